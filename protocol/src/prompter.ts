// Schemas for the prompter (D9, B6): suggested answers beside the operator's
// reply box, and the operator's accept or reject of one, which the matcher learns from.
import * as v from "valibot";
import { MAX_BODY_LENGTH } from "./limits";

const text = (field: string, max: number) =>
  v.pipe(v.string(`${field} is required`), v.trim(), v.minLength(1, `${field} is required`), v.maxLength(max, `${field} is longer than ${max} characters`));

export const PrompterFeedbackBody = v.object({
  intentId: v.pipe(v.string("intentId is required"), v.minLength(1, "intentId is required"), v.maxLength(26, "no such intent")),
  /** The customer's message the suggestion answered. */
  question: text("question", MAX_BODY_LENGTH),
  /** The answer text as it was suggested. */
  suggestion: text("suggestion", MAX_BODY_LENGTH),
  accepted: v.boolean("accepted must be true or false"),
});
export type PrompterFeedbackBody = v.InferOutput<typeof PrompterFeedbackBody>;

export type PrompterSuggestion = { intentId: string; name: string; text: string; confidence: number };

/** For the conversation's latest customer message; no question, no suggestions. */
export type PrompterSuggestions = {
  question: { seq: number; text: string } | null;
  suggestions: PrompterSuggestion[];
};
