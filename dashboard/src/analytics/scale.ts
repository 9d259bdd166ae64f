/** A round top for an axis that holds `max` (1, 2, 5 × 10ⁿ), and its ticks from 0. */
export function axis(max: number, ticks = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!);
  const top = Math.ceil(max / step) * step;
  const values: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) values.push(v);
  return values;
}

/** Chart colours, in the dashboard's palette; a series keeps its colour in every view. */
export const COLORS = ["#2563eb", "#f59e0b", "#16a34a", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];
