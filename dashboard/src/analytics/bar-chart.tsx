import { useChartWidth } from "./chart-width";
import { useDrill } from "./drill";
import { axis } from "./scale";

export type Bar = { label: string; /** The longer name for its tooltip and drill-down. */ title?: string; value: number; previous?: number; drill?: string; color?: string };

const TOP = 16;
const BOTTOM = 26;
const LEFT = 40;

/** Vertical bars in plain SVG (histograms, ratings, sentiment); each bar opens its conversations. */
export function BarChart(props: { bars: Bar[]; title: string; color?: string; height?: number }) {
  const { bars, title } = props;
  const H = props.height ?? 180;
  const W = useChartWidth();
  const open = useDrill();
  const ticks = axis(Math.max(0, ...bars.flatMap((b) => [b.value, b.previous ?? 0])));
  const top = ticks.at(-1)!;
  const plotH = H - TOP - BOTTOM;
  const slot = (W - LEFT) / Math.max(bars.length, 1);
  const width = Math.min(56, slot * 0.7);
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} class="an-svg" role="presentation">
      {ticks.map((t) => (
        <g>
          <line x1={LEFT} x2={W} y1={y(t)} y2={y(t)} class="an-gridline" />
          <text x={LEFT - 6} y={y(t) + 4} class="an-axis" text-anchor="end">
            {t}
          </text>
        </g>
      ))}
      {bars.map((bar, i) => {
        const x = LEFT + i * slot + (slot - width) / 2;
        const name = bar.title ?? bar.label;
        const click = bar.drill ? () => open({ drill: bar.drill!, title: `${title} · ${name}` }) : undefined;
        return (
          <g>
            {bar.previous !== undefined && (
              <rect x={x - 4} y={y(bar.previous)} width={width} height={Math.max(0, y(0) - y(bar.previous))} class="an-bar-before" />
            )}
            {/* The whole column is the target, so a bar of 0 can be clicked too. */}
            <rect
              x={LEFT + i * slot}
              y={TOP}
              width={slot}
              height={plotH}
              fill="transparent"
              class={click ? "an-hit" : undefined}
              data-testid="bar"
              data-label={bar.label}
              data-value={bar.value}
              onClick={click}
            >
              <title>{`${name}: ${bar.value}`}</title>
            </rect>
            <rect x={x} y={y(bar.value)} width={width} height={Math.max(0, y(0) - y(bar.value))} rx="3" fill={bar.color ?? props.color ?? "#2563eb"} pointer-events="none" />
            <text x={x + width / 2} y={y(bar.value) - 4} class="an-value" text-anchor="middle">
              {bar.value}
            </text>
            <text x={LEFT + i * slot + slot / 2} y={H - 8} class="an-axis" text-anchor="middle">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars (reasons, presence): a label, a bar in proportion, the value as text. */
export function BarList(props: { rows: { label: string; value: number; text: string; drill?: string; color?: string }[]; title: string }) {
  const open = useDrill();
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <ul class="an-barlist">
      {props.rows.map((row) => (
        <li>
          <button
            type="button"
            class="an-barlist-row"
            tabIndex={-1}
            disabled={!row.drill}
            data-testid="bar"
            data-label={row.label}
            onClick={() => row.drill && open({ drill: row.drill, title: `${props.title} · ${row.label}` })}
          >
            <span class="an-barlist-label">{row.label}</span>
            <span class="an-barlist-track">
              {row.value > 0 && <span class="an-barlist-fill" style={{ width: `${(row.value / max) * 100}%`, background: row.color ?? "#2563eb" }} />}
            </span>
            <span class="an-barlist-value">{row.text}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
