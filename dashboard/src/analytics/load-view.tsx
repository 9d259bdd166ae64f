import type { AnalyticsAnswer, Load } from "@tandem/protocol";
import { Card } from "./card";
import { bucketLabel, dayLabel, weekdayName } from "./dates";
import { Figure } from "./figure";
import { HeatMap } from "./heat-map";
import { offline, PresenceBars, PresenceDays, sum } from "./presence-chart";
import { count, decimal, duration } from "./format";
import { COLORS } from "./scale";
import { SeriesChart } from "./series-chart";
import type { TableModel } from "./table-model";

const SERIES = [
  { key: "started", label: "Started" },
  { key: "escalated", label: "Escalated" },
  { key: "closed", label: "Closed" },
] as const;

export function seriesTable(answer: AnalyticsAnswer<Load>): TableModel {
  const { current, before, groupBy } = answer;
  return {
    caption: "Conversations over time",
    file: `conversations-by-${groupBy}`,
    columns: [
      { label: groupBy === "day" ? "Day" : groupBy === "week" ? "Week" : "Month" },
      ...SERIES.map((s) => ({ label: s.label, numeric: true, definition: s.key })),
      ...(before ? SERIES.map((s) => ({ label: `${s.label} (previous period)`, numeric: true })) : []),
    ],
    rows: current.buckets.map((bucket, i) => ({
      key: bucket,
      cells: [
        { text: bucketLabel(bucket, groupBy), sort: bucket },
        ...SERIES.map((s) => ({ text: count(current[s.key][i]), sort: current[s.key][i], drill: `series:${s.key}:${bucket}` })),
        ...(before ? SERIES.map((s) => ({ text: count(before[s.key][i]), sort: before[s.key][i] ?? null })) : []),
      ],
    })),
  };
}

export function heatTable(load: Load): TableModel {
  return {
    caption: "Conversations started by weekday and hour",
    file: "started-by-weekday-and-hour",
    columns: [{ label: "Weekday" }, ...Array.from({ length: 24 }, (_, h) => ({ label: String(h).padStart(2, "0"), numeric: true }))],
    rows: load.heatmap.map((hours, weekday) => ({
      key: String(weekday),
      cells: [{ text: weekdayName(weekday) }, ...hours.map((n, hour) => ({ text: count(n), sort: n, drill: `heat:${weekday}:${hour}` }))],
    })),
  };
}

export function presenceTable(load: Load): TableModel {
  return {
    caption: "Operators' presence and load",
    file: "operators-presence",
    columns: [
      { label: "Operator" },
      { label: "Online", numeric: true, definition: "presence" },
      { label: "Away", numeric: true },
      { label: "Offline", numeric: true },
      { label: "Handled", numeric: true, definition: "handled" },
      { label: "Per online hour", numeric: true, definition: "perOnlineHour" },
    ],
    rows: load.operators.map((o) => ({
      key: o.id,
      drill: `operator:${o.id}`,
      cells: [
        { text: o.name },
        { text: duration(o.online), sort: o.online },
        { text: duration(o.away), sort: o.away },
        { text: duration(offline(o)), sort: offline(o) },
        { text: count(o.handled), sort: o.handled },
        { text: decimal(o.perOnlineHour), sort: o.perOnlineHour },
      ],
    })),
  };
}

export function presenceByDayTable(load: Load): TableModel {
  return {
    caption: "Presence by day",
    file: "presence-by-day",
    columns: [{ label: "Day" }, { label: "Operator" }, { label: "Online", numeric: true }, { label: "Away", numeric: true }, { label: "Offline", numeric: true }],
    rows: load.operators.flatMap((o) =>
      o.days.map((d) => ({
        key: `${o.id}-${d.day}`,
        drill: undefined,
        cells: [{ text: dayLabel(d.day), sort: d.day }, { text: o.name }, { text: duration(d.online), sort: d.online }, { text: duration(d.away), sort: d.away }, { text: duration(d.offline), sort: d.offline }],
      })),
    ),
  };
}

/** A2: the load by day and hour, and the operators who carried it. */
export function LoadView(props: { answer: AnalyticsAnswer<Load> }) {
  const { answer } = props;
  const { current, before } = answer;
  return (
    <div class="an-grid">
      <div class="an-figures wide">
        {SERIES.map((s, i) => (
          <Figure label={s.label} definition={s.key} kind="count" value={sum(current[s.key])} previous={before ? sum(before[s.key]) : undefined} testid={`figure-${s.key}`} key={i} />
        ))}
        <Figure
          label="Handled per online hour"
          definition="perOnlineHour"
          kind="decimal"
          value={current.perOnlineHour}
          previous={before ? before.perOnlineHour : undefined}
          testid="figure-per-online-hour"
        />
      </div>
      <Card
        title="Conversations over time"
        definition="started"
        testid="card-series"
        wide
        table={seriesTable(answer)}
        chart={
          <SeriesChart
            buckets={current.buckets}
            groupBy={answer.groupBy}
            series={SERIES.map((s, i) => ({
              label: s.label,
              color: COLORS[i]!,
              values: current[s.key],
              previous: before?.[s.key],
              drill: (bucket) => `series:${s.key}:${bucket}`,
            }))}
          />
        }
      />
      <Card title="Started by weekday and hour" definition="heatmap" testid="card-heatmap" wide table={heatTable(current)} chart={<HeatMap cells={current.heatmap} />} />
      <Card title="Operators" definition="presence" testid="card-presence" wide sortable table={presenceTable(current)} chart={<PresenceBars load={current} />} />
      <Card title="Presence by day" definition="presence" testid="card-presence-days" wide sortable table={presenceByDayTable(current)} chart={<PresenceDays load={current} />} />
    </div>
  );
}
