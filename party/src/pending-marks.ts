import type { PendingMarks } from "../../worker/src/conversations/append-message";
import { logError } from "../../worker/src/log-error";

/** How long a read mark may wait for a write to ride with before it is stored alone. */
const DELAY_MS = 2000;

const higher = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/**
 * Read marks (W9) the room has told everyone of but not stored yet. The room
 * is their only writer, so its copy is the truth; the store hears of them
 * with the room's next write (`take`, see appendStep) or alone a moment
 * later, in the room's order (`run`): a write per mark would be a write
 * request per message read. Lost only if the room goes away within that
 * moment; a mark is then a little behind until the next read frame.
 */
export function createPendingMarks(options: {
  write: (marks: PendingMarks) => Promise<unknown>;
  run: (work: () => Promise<void>) => Promise<void>;
  waitUntil: (work: Promise<unknown>) => void;
}) {
  let pending: PendingMarks = {};
  let timer: ReturnType<typeof setTimeout> | undefined;

  function take(): PendingMarks | undefined {
    if (pending.visitor === undefined && pending.operator === undefined) return undefined;
    const marks = pending;
    pending = {};
    return marks;
  }

  function storeSoon() {
    if (timer) return;
    const stored = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timer = undefined;
        const work = options.run(async () => {
          const marks = take();
          if (!marks) return;
          await options.write(marks).catch((error) => {
            // Not stored: they wait for the next write.
            pending = { visitor: higher(marks.visitor, pending.visitor), operator: higher(marks.operator, pending.operator) };
            throw error;
          });
        });
        work.catch((error) => logError("read marks", error)).finally(resolve);
      }, DELAY_MS);
    });
    options.waitUntil(stored);
  }

  return {
    /** One side's mark rose: stored with the next write, or shortly. */
    raise(by: "visitor" | "operator", mark: number) {
      pending[by] = mark;
      storeSoon();
    },
    /** The marks to store with a write now (none left pending after). */
    take,
    /** A record just read from the store: marks still pending here are newer than its own. */
    apply(record: { visitorReadSeq: number; operatorReadSeq: number }) {
      record.visitorReadSeq = Math.max(record.visitorReadSeq, pending.visitor ?? 0);
      record.operatorReadSeq = Math.max(record.operatorReadSeq, pending.operator ?? 0);
    },
  };
}
