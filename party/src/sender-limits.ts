import type { Actor } from "../../worker/src/auth/actor";
import { readRates } from "../../worker/src/limits/rates";
import { createBuckets } from "../../worker/src/limits/token-bucket";

/**
 * What one Conversation room lets its clients send (S4), counted in the
 * room's memory: messages and pages per customer, typing per connection,
 * resumes and the messages they replay (`page` at most each) per client. Each check answers 0
 * (go on, counted) or the milliseconds to wait. Operators are signed in:
 * only their resumes, which cost reads, are counted.
 */
export function createSenderLimits(configured: string | undefined, page: number) {
  const rates = readRates(configured);
  const sends = createBuckets(rates.send);
  const typing = createBuckets(rates.typing);
  const pages = createBuckets(rates.page);
  const resumes = createBuckets(rates.resume);
  const replays = createBuckets(rates.replay);
  const key = (actor: Actor) => `${actor.kind}:${actor.id}`;

  return {
    send: (actor: Actor) => (actor.kind === "visitor" ? sends.take(key(actor)) : 0),
    typing: (actor: Actor, connectionId: string) => (actor.kind === "visitor" ? typing.take(connectionId) : 0),
    page: (actor: Actor) => pages.take(key(actor)),
    /**
     * A resume may go while the client has resumes left and replay budget
     * for a whole page: it is charged the page now (resumes that arrive
     * together are all counted before any of them runs) and given back what
     * it did not send (`replayed`).
     */
    resume(actor: Actor): number {
      const wait = resumes.take(key(actor));
      if (wait) return wait;
      const budget = replays.take(key(actor), page);
      if (budget) resumes.spend(key(actor), -1);
      return budget;
    },
    /** What a resume really replayed: the rest of its page comes back. */
    replayed(actor: Actor, messages: number) {
      replays.spend(key(actor), messages - page);
    },
  };
}

export type SenderLimits = ReturnType<typeof createSenderLimits>;
