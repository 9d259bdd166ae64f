import { useChartWidth } from "./chart-width";
import { useDrill } from "./drill";
import { weekdayName } from "./dates";

const CELL_H = 22;
const LEFT = 40;
const TOP = 18;

/** Weekday × hour in plain SVG, darker with more conversations; each cell opens its conversations. */
export function HeatMap(props: { cells: number[][] }) {
  const open = useDrill();
  const CELL_W = Math.max(14, Math.min(44, (useChartWidth() - LEFT) / 24));
  const max = Math.max(1, ...props.cells.flat());
  const W = LEFT + 24 * CELL_W;
  const H = TOP + 7 * CELL_H;
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} class="an-svg" role="presentation">
      {Array.from({ length: 24 }, (_, hour) =>
        hour % 3 === 0 ? (
          <text x={LEFT + hour * CELL_W + CELL_W / 2} y={12} class="an-axis" text-anchor="middle">
            {String(hour).padStart(2, "0")}
          </text>
        ) : null,
      )}
      {props.cells.map((row, weekday) => (
        <g>
          <text x={LEFT - 6} y={TOP + weekday * CELL_H + CELL_H / 2 + 4} class="an-axis" text-anchor="end">
            {weekdayName(weekday)}
          </text>
          {row.map((value, hour) => {
            const label = `${weekdayName(weekday)} ${String(hour).padStart(2, "0")}:00`;
            return (
              <g
                class="an-hit"
                data-testid="heat-cell"
                data-weekday={weekday}
                data-hour={hour}
                data-value={value}
                onClick={() => open({ drill: `heat:${weekday}:${hour}`, title: `Started · ${label}` })}
              >
                <rect
                  x={LEFT + hour * CELL_W + 1}
                  y={TOP + weekday * CELL_H + 1}
                  width={CELL_W - 2}
                  height={CELL_H - 2}
                  rx="3"
                  class={value ? "an-heat" : "an-heat zero"}
                  fill-opacity={value ? 0.15 + (0.85 * value) / max : 1}
                >
                  <title>{`${label}: ${value}`}</title>
                </rect>
                {value > 0 && CELL_W >= 20 && (
                  <text x={LEFT + hour * CELL_W + CELL_W / 2} y={TOP + weekday * CELL_H + CELL_H / 2 + 4} class={value / max > 0.55 ? "an-heat-text light" : "an-heat-text"} text-anchor="middle">
                    {value}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
