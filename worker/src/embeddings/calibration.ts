// Turning a cosine into a confidence on the matcher's scale (issue 19): each
// phrasing's vector was compared with the rest of its base, itself left out —
// the best cosine of its own intent (how close a right match comes) and of
// any other intent (how close a wrong one comes). A logistic fit of the two
// (Platt scaling, both sides weighted alike) puts the answer line, 0.5,
// where they cross. Pure functions: the embedder stores the fit.

/** Fewer samples than this on either side fit nothing worth trusting. */
export const MIN_SAMPLES = 3;
/**
 * How often a right match must beat a wrong one (the area under the ROC
 * curve) for the vectors to be used at all: below it, a model that cannot
 * tell this base's intents apart would only add wrong answers.
 */
export const MIN_SEPARATION = 0.75;

export type Fit = { a: number; b: number };

/** The confidence of a cosine under a fit, 0..1. */
export const confidenceOf = (fit: Fit, cosine: number) => 1 / (1 + Math.exp(-(fit.a * cosine + fit.b)));

/** How often an own-intent cosine is above a nearest-other one (ties count half). */
export function separation(own: number[], other: number[]): number {
  if (!own.length || !other.length) return 0;
  const sorted = [...other].sort((x, y) => x - y);
  let wins = 0;
  for (const x of own) {
    let below = 0;
    let equal = 0;
    // Binary search for the count below x and equal to x.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    below = lo;
    while (lo + equal < sorted.length && sorted[lo + equal] === x) equal++;
    wins += below + equal / 2;
  }
  return wins / (own.length * other.length);
}

/**
 * The logistic fit of own (label 1) against other (label 0) cosines, with
 * Platt's smoothed targets and a little ridge so that a base whose sides do
 * not overlap still gets a finite slope; null, with the reason, when the
 * samples are too few or do not separate.
 */
export function fitCalibration(own: number[], other: number[]): { fit: Fit | null; reason: string | null } {
  if (own.length < MIN_SAMPLES || other.length < MIN_SAMPLES) {
    return { fit: null, reason: `needs at least two intents with ${MIN_SAMPLES} phrasings between them that have a second one of their intent` };
  }
  const auc = separation(own, other);
  if (auc < MIN_SEPARATION) {
    return { fit: null, reason: `the model's vectors do not tell this base's intents apart (a right match beats a wrong one ${Math.round(auc * 100)} % of the time)` };
  }
  const samples = [
    ...own.map((x) => ({ x, t: (own.length + 1) / (own.length + 2), w: 1 / own.length })),
    ...other.map((x) => ({ x, t: 1 / (other.length + 2), w: 1 / other.length })),
  ];
  const ridge = 1e-4;
  let a = 0;
  let b = 0;
  for (let step = 0; step < 100; step++) {
    // Newton's method on the weighted cross-entropy.
    let ga = ridge * a;
    let gb = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = 1e-9;
    for (const { x, t, w } of samples) {
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const d = w * (p - t);
      const h = w * p * (1 - p);
      ga += d * x;
      gb += d;
      haa += h * x * x;
      hab += h * x;
      hbb += h;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-7 && Math.abs(db) < 1e-7) break;
  }
  if (!(a > 0) || !Number.isFinite(b)) return { fit: null, reason: "the calibration did not converge" };
  return { fit: { a, b }, reason: null };
}
