import { useEffect, useState } from "preact/hooks";
import { useChartWidth } from "./chart-width";
import { bucketLabel } from "./dates";
import { useDrill } from "./drill";
import { count } from "./format";
import { axis } from "./scale";

export type Series = {
  label: string;
  color: string;
  values: number[];
  /** The previous period's values, drawn dashed. */
  previous?: number[];
  /** What a point drills to; none when the API has no list for it. */
  drill?: (bucket: string) => string;
};

const H = 220;
const LEFT = 40;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 26;

/**
 * Time series as lines in plain SVG. Points of several series often sit on
 * one another, so a click picks the bucket (its whole column) and a small
 * menu offers each series' conversations there.
 */
export function SeriesChart(props: { buckets: string[]; groupBy: "day" | "week" | "month"; series: Series[] }) {
  const { buckets, series, groupBy } = props;
  const open = useDrill();
  const W = useChartWidth();
  const [picked, setPicked] = useState<number | null>(null);
  useEffect(() => {
    if (picked === null) return;
    const close = (event: Event) => (event.type === "click" || (event as KeyboardEvent).key === "Escape") && setPicked(null);
    // Registered after this click is done, so it does not close the menu it opened.
    const timer = setTimeout(() => {
      document.addEventListener("click", close);
      document.addEventListener("keydown", close);
    });
    return () => {
      clearTimeout(timer);
      document.removeEventListener("click", close);
      document.removeEventListener("keydown", close);
    };
  }, [picked]);

  const ticks = axis(Math.max(0, ...series.flatMap((s) => [...s.values, ...(s.previous ?? [])])));
  const top = ticks.at(-1)!;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const step = buckets.length <= 1 ? plotW : plotW / (buckets.length - 1);
  const x = (i: number) => LEFT + (buckets.length <= 1 ? plotW / 2 : i * step);
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const every = Math.ceil(buckets.length / Math.max(2, Math.floor(W / 80)));
  const dot = buckets.length > 40 ? 2.5 : 3.5;
  const line = (values: number[]) => values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const drillable = series.filter((s) => s.drill);
  const title = (i: number) => `${bucketLabel(buckets[i]!, groupBy)}: ${series.map((s) => `${s.label} ${count(s.values[i])}`).join(", ")}`;
  return (
    <figure class="an-figure-chart">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} class="an-svg" role="presentation">
        {ticks.map((t) => (
          <g>
            <line x1={LEFT} x2={W - RIGHT} y1={y(t)} y2={y(t)} class="an-gridline" />
            <text x={LEFT - 6} y={y(t) + 4} class="an-axis" text-anchor="end">
              {t}
            </text>
          </g>
        ))}
        {buckets.map((b, i) =>
          i % every === 0 ? (
            <text x={x(i)} y={H - 8} class="an-axis" text-anchor="middle">
              {bucketLabel(b, groupBy, true)}
            </text>
          ) : null,
        )}
        {buckets.map((b, i) => (
          <rect
            x={x(i) - step / 2}
            y={TOP}
            width={step}
            height={plotH}
            class={drillable.length ? "an-col an-hit" : "an-col"}
            data-testid="series-bucket"
            data-bucket={b}
            onClick={drillable.length ? () => setPicked(i) : undefined}
          >
            <title>{title(i)}</title>
          </rect>
        ))}
        {series.map((s) =>
          s.previous ? <polyline points={line(s.previous)} fill="none" stroke={s.color} stroke-width="1.5" stroke-dasharray="4 3" opacity="0.45" pointer-events="none" /> : null,
        )}
        {series.map((s) => (
          <g data-series={s.label} pointer-events="none">
            <polyline points={line(s.values)} fill="none" stroke={s.color} stroke-width="2" stroke-linejoin="round" />
            {/* Past a few months of days a dot per point is noise (and thousands of nodes): the line alone. */}
            {buckets.length <= 120 &&
              s.values.map((v, i) => <circle cx={x(i)} cy={y(v)} r={dot} fill={s.color} data-testid="series-point" data-bucket={buckets[i]} data-value={v} />)}
          </g>
        ))}
        {picked !== null && <line x1={x(picked)} x2={x(picked)} y1={TOP} y2={TOP + plotH} class="an-cursor" />}
      </svg>
      {picked !== null && (
        <div class={x(picked) > W / 2 ? "an-pop left" : "an-pop"} style={{ left: `${x(picked)}px` }} data-testid="series-menu">
          <div class="an-pop-title">{bucketLabel(buckets[picked]!, groupBy)}</div>
          {drillable.map((s) => (
            <button
              type="button"
              class="an-link"
              data-testid="series-drill"
              data-series={s.label}
              onClick={() => open({ drill: s.drill!(buckets[picked]!), title: `${s.label} · ${bucketLabel(buckets[picked]!, groupBy)}` })}
            >
              <i class="an-swatch" style={{ background: s.color }} /> {s.label}: {count(s.values[picked])}
            </button>
          ))}
        </div>
      )}
      <figcaption class="an-legend">
        {series.map((s) => (
          <span>
            <i class="an-swatch" style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
        {series.some((s) => s.previous) && (
          <span class="muted">
            <i class="an-swatch dashed" />
            previous period
          </span>
        )}
      </figcaption>
    </figure>
  );
}
