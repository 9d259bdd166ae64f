import type { Load } from "@tandem/protocol";
import { useChartWidth } from "./chart-width";
import { dayLabel } from "./dates";
import { useDrill } from "./drill";
import { decimal, duration } from "./format";

const PARTS = ["online", "away", "offline"] as const;

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** An operator's offline time over the period's days. */
export const offline = (o: Load["operators"][number]) => sum(o.days.map((d) => d.offline));

/** Online, away and offline of each operator in the period as one bar; a click lists the conversations they handled. */
export function PresenceBars(props: { load: Load }) {
  const open = useDrill();
  return (
    <ul class="an-presence">
      {props.load.operators.map((o) => {
        const ms = { online: o.online, away: o.away, offline: offline(o) };
        const total = Math.max(1, sum(Object.values(ms)));
        return (
          <li data-testid="presence-row" class="an-hit" onClick={() => open({ drill: `operator:${o.id}`, title: o.name })}>
            <span class="an-presence-name">{o.name}</span>
            <span class="an-presence-bar">
              {PARTS.map((part) => (
                <span class={`an-presence-${part}`} style={{ width: `${(ms[part] / total) * 100}%` }} title={`${part}: ${duration(ms[part])}`} />
              ))}
            </span>
            <span class="an-presence-text">
              {duration(o.online)} online · {decimal(o.perOnlineHour)} / h
            </span>
          </li>
        );
      })}
    </ul>
  );
}

const NAME = 160;
const ROW = 26;
const TOP = 16;

/** Each operator's days side by side: a column per day, green for online, amber for away, grey for offline. */
export function PresenceDays(props: { load: Load }) {
  const open = useDrill();
  const W = useChartWidth();
  const operators = props.load.operators;
  const days = operators[0]?.days.map((d) => d.day) ?? [];
  const column = (W - NAME) / Math.max(days.length, 1);
  const every = Math.ceil(days.length / Math.max(2, Math.floor((W - NAME) / 70)));
  const H = TOP + operators.length * ROW;
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} class="an-svg" role="presentation">
      {days.map((day, i) =>
        i % every === 0 ? (
          <text x={NAME + i * column} y={11} class="an-axis">
            {dayLabel(day, true)}
          </text>
        ) : null,
      )}
      {operators.map((o, row) => {
        const y = TOP + row * ROW;
        return (
          <g class="an-hit" data-testid="presence-days-row" onClick={() => open({ drill: `operator:${o.id}`, title: o.name })}>
            <text x={0} y={y + ROW / 2 + 3} class="an-axis an-name">
              {o.name.length > 22 ? `${o.name.slice(0, 21)}…` : o.name}
            </text>
            {/* Offline is the row's ground; a day draws only what it had of online and away (a year of days stays light). */}
            <rect x={NAME} y={y + 2} width={W - NAME} height={ROW - 6} class="an-presence-off" />
            {o.days.map((d, i) => {
              const total = Math.max(1, d.online + d.away + d.offline);
              const h = ROW - 6;
              const online = (d.online / total) * h;
              const away = (d.away / total) * h;
              const x = NAME + i * column;
              const w = Math.max(1, column - 1);
              return (
                <g>
                  {online > 0 && <rect x={x} y={y + 2 + h - online} width={w} height={online} class="an-presence-on" />}
                  {away > 0 && <rect x={x} y={y + 2 + h - online - away} width={w} height={away} class="an-presence-aw" />}
                  <title>{`${o.name} · ${dayLabel(d.day)}: online ${duration(d.online)}, away ${duration(d.away)}, offline ${duration(d.offline)}`}</title>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
