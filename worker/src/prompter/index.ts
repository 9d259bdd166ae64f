// The prompter (D9, B6): suggested answers for the operator, and what they made of them.
export { suggest, SUGGEST_LIMIT, SUGGEST_THRESHOLD } from "./suggest";
export { recordFeedback, type FeedbackResult } from "./feedback";
