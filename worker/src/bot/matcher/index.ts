// The bot's matcher (B1, B6, A5): pure functions, no I/O; runs in the Worker and the rooms.
export type { Feedback, Lang, Match, MatchIntent, Matcher } from "./types";
export { ANSWER_THRESHOLD, buildMatcher, similar } from "./matcher";
export { detectLang } from "./lang";
export { signals, sentiment, sentimentOf } from "./signals";
export { normalize } from "./normalize";
export { FEEDBACK_PER_INTENT } from "./feedback";
