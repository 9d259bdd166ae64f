// Schemas for the unanswered questions list (B5): what the bot could not
// answer, grouped by similarity, for an admin to add to an intent or dismiss.
import * as v from "valibot";

const all = v.optional(v.boolean("all must be true or false"), false);

/** Add the question's text as a phrasing of the intent; `all` marks its whole group handled too. */
export const UnansweredAddBody = v.object({
  intentId: v.pipe(v.string("intentId is required"), v.minLength(1, "intentId is required"), v.maxLength(26, "no such intent")),
  all,
});
export type UnansweredAddBody = v.InferOutput<typeof UnansweredAddBody>;

/** Take the question (or with `all`, its group) off the list without adding it anywhere. */
export const UnansweredDismissBody = v.object({ all });
export type UnansweredDismissBody = v.InferOutput<typeof UnansweredDismissBody>;

export type UnansweredReason = "low_confidence" | "failed" | "offline";

export type UnansweredQuestion = {
  id: string;
  text: string;
  lang: "ru" | "uk" | "en" | null;
  reason: UnansweredReason;
  /** When the customer asked, in ms. */
  at: number;
  conversationId: string;
};

/** Questions alike enough to answer the same way; the first (newest) is the one the others were compared with. */
export type UnansweredGroup = {
  /** Its first question's id. */
  id: string;
  size: number;
  questions: UnansweredQuestion[];
  /** The matcher's best intent for the first question, to preselect; too unsure for the bot to answer with. */
  suggestion: { intentId: string; name: string; confidence: number } | null;
};

export type UnansweredList = { groups: UnansweredGroup[] };
/** What add and dismiss answer: the questions taken off the list. */
export type UnansweredHandled = { handled: string[] };
