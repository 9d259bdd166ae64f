import { logError } from "../../worker/src/log-error";
/** How long a site waits out a customer's silence (B4): from BotContext. */
export type IdleSettings = { closeMinutes: number; reminderMinutes: number };

type Timer = { remindAt: number | null; closeAt: number; minutesLeft: number };

/** What a due alarm asks the room to do. */
export type IdleStep = { kind: "remind"; minutesLeft: number } | { kind: "close" } | null;

// The one thing a Conversation room keeps in its own storage. It is due a
// fixed time after the last message that was not the customer's, so it
// could be set again from libSQL.
const KEY = "idle";

/**
 * Closing after the customer's silence, on the room's Durable Object alarm:
 * armed when the other side speaks, disarmed when the customer does, and
 * surviving restarts because the alarm and its timer are stored.
 */
export function createIdleTimer(storage: DurableObjectStorage, waitUntil: (work: Promise<unknown>) => void) {
  // Counts disarms: a timer armed before one of them must not be written after it.
  let generation = 0;

  return {
    /** The generation now; `arm(…, since)` does nothing once a disarm came after it. */
    get generation() {
      return generation;
    },

    /** The customer's silence counts from now. */
    arm(settings: IdleSettings, since = generation) {
      const at = Date.now();
      const timer: Timer = {
        remindAt: settings.reminderMinutes > 0 ? at + (settings.closeMinutes - settings.reminderMinutes) * 60_000 : null,
        closeAt: at + settings.closeMinutes * 60_000,
        minutesLeft: settings.reminderMinutes,
      };
      const write = async () => {
        if (since !== generation) return;
        await storage.put(KEY, timer);
        await storage.setAlarm(timer.remindAt ?? timer.closeAt);
      };
      waitUntil(write().catch((e) => logError("idle timer", e)));
    },

    /** The customer spoke, or nobody waits on them any more. */
    async disarm() {
      generation++;
      if (await storage.get(KEY)) {
        await storage.delete(KEY);
        await storage.deleteAlarm();
      }
    },

    /**
     * The alarm rang: what is due now. `counts` says whether the
     * conversation is still one whose silence counts (open and not waiting
     * in the queue); if not, the timer goes. A due step stays stored until
     * the room has done it (`reminded`, or the close's `disarm`): if doing it
     * fails, the runtime rings the alarm again and finds it still due.
     */
    async due(counts: boolean): Promise<IdleStep> {
      const timer = await storage.get<Timer>(KEY);
      if (!timer || !counts) {
        await storage.delete(KEY);
        return null;
      }
      const now = Date.now();
      if (now >= timer.closeAt) return { kind: "close" };
      if (timer.remindAt !== null && now >= timer.remindAt) return { kind: "remind", minutesLeft: timer.minutesLeft };
      await storage.setAlarm(timer.remindAt ?? timer.closeAt);
      return null;
    },

    /** The reminder was said: next comes the close. */
    async reminded() {
      const timer = await storage.get<Timer>(KEY);
      if (!timer) return;
      await storage.put(KEY, { ...timer, remindAt: null });
      await storage.setAlarm(timer.closeAt);
    },
  };
}
