// How analytics figures read: durations in words, shares in per cent, a missing value as a dash.

export const NONE = "—";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** "4.2 s", "45 s", "1 m 20 s", "2 h 5 m", "3 d 4 h"; the smaller unit is left out when it is zero. */
export function duration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return NONE;
  if (ms < 10 * S) return `${trim((ms / S).toFixed(1))} s`;
  // Rounded to the second first, so 59.6 s reads "1 m", never "60 s".
  const total = Math.round(ms / S) * S;
  if (total < M) return `${total / S} s`;
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) => {
    const whole = Math.floor(total / big);
    const rest = Math.floor((total % big) / small);
    return rest ? `${whole} ${bigUnit} ${rest} ${smallUnit}` : `${whole} ${bigUnit}`;
  };
  if (total < H) return two(M, "m", S, "s");
  if (total < D) return two(H, "h", M, "m");
  return two(D, "d", H, "h");
}

const trim = (fixed: string) => fixed.replace(/\.0$/, "");

/** 0.1234 → "12.3 %"; whole per cents lose the decimal ("50 %"). */
export function percent(share: number | null | undefined): string {
  if (share == null || !Number.isFinite(share)) return NONE;
  return `${trim((share * 100).toFixed(1))} %`;
}

/** 12345 → "12,345". */
export function count(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NONE;
  return Math.round(n).toLocaleString("en-US");
}

/** A mean rating or a rate: "4.27". */
export function decimal(n: number | null | undefined, digits = 2): string {
  if (n == null || !Number.isFinite(n)) return NONE;
  return n.toFixed(digits);
}

export type Kind = "duration" | "percent" | "count" | "decimal";
export const formatOf: Record<Kind, (n: number | null | undefined) => string> = { duration, percent, count, decimal };

/** Which way is good for a figure: fewer minutes, more resolved. */
export type Better = "up" | "down" | null;

export type Change = { text: string; direction: "up" | "down" | "same"; good: boolean | null };

/**
 * The change from the previous period: in points for shares ("+3.2 pts"), in
 * per cent of the previous value otherwise ("−12 %"); null when either is missing
 * or the previous value is zero (no per cent of nothing).
 */
export function change(current: number | null | undefined, previous: number | null | undefined, kind: Kind, better: Better): Change | null {
  if (current == null || previous == null) return null;
  const delta = current - previous;
  const direction = delta > 0 ? "up" : delta < 0 ? "down" : "same";
  const good = direction === "same" || !better ? null : direction === better;
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  if (kind === "percent") return { text: `${sign}${trim(Math.abs(delta * 100).toFixed(1))} pts`, direction, good };
  if (previous === 0) return delta === 0 ? { text: "±0 %", direction, good } : null;
  return { text: `${sign}${Math.round(Math.abs(delta / previous) * 100)} %`, direction, good };
}
