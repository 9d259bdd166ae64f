// The bot's matcher (B1, B6, A5): pure functions, no I/O; runs in the Worker and the rooms.
export type { Feedback, HeldOut, Lang, Match, MatchIntent, Matcher } from "./types";
export { buildMatcher, calibrate, HELD_OUT_LIMIT, similar } from "./matcher";
export { ANSWER_THRESHOLD } from "./threshold";
export { calibrated, calibrationOf, spread, UNCALIBRATED, type Calibration } from "./calibrate";
export { detectLang } from "./lang";
export { signals, sentiment, sentimentOf } from "./signals";
export { normalize } from "./normalize";
export { FEEDBACK_PER_INTENT } from "./feedback";
