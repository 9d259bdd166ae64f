/**
 * Answer when the top confidence is at least this, else escalate. Confidence
 * is calibrated per knowledge base (calibrate.ts), so this one line holds for
 * a base of 3 phrasings per intent and one of 30.
 */
export const ANSWER_THRESHOLD = 0.5;
