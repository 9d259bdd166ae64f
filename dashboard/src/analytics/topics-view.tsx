import type { AnalyticsAnswer, TopicRow, Topics } from "@tandem/protocol";
import { Card } from "./card";
import { bucketLabel } from "./dates";
import { count, duration } from "./format";
import { COLORS } from "./scale";
import { SeriesChart } from "./series-chart";
import type { TableModel } from "./table-model";
import { csatCells, CSAT_COLUMNS } from "./teams-view";

/** How many topics the trend chart draws: more lines than this are a tangle. */
const TREND_TOPICS = 6;

export function topicTable(kind: "tag" | "intent", rows: TopicRow[]): TableModel {
  return {
    caption: kind === "tag" ? "Topics by tag" : "Topics by intent",
    file: kind === "tag" ? "topics-by-tag" : "topics-by-intent",
    columns: [
      { label: kind === "tag" ? "Tag" : "Intent" },
      { label: "Conversations", numeric: true, definition: "topics" },
      { label: "First response p50", numeric: true, definition: "firstResponse" },
      ...CSAT_COLUMNS,
    ],
    rows: rows.map((r) => ({
      key: r.id,
      drill: `${kind}:${r.id}`,
      cells: [{ text: r.name }, { text: count(r.count), sort: r.count }, { text: duration(r.firstResponseP50), sort: r.firstResponseP50 }, ...csatCells(r.csat)],
    })),
  };
}

const top = (rows: TopicRow[]) => [...rows].sort((a, b) => b.count - a.count).slice(0, TREND_TOPICS);

export function topicTrendTable(kind: "tag" | "intent", answer: AnalyticsAnswer<Topics>): TableModel {
  const { current, groupBy } = answer;
  const rows = top(kind === "tag" ? current.tags : current.intents);
  return {
    caption: kind === "tag" ? "Tags over time" : "Intents over time",
    file: `${kind}s-by-${groupBy}`,
    columns: [{ label: groupBy === "day" ? "Day" : groupBy === "week" ? "Week" : "Month" }, ...rows.map((r) => ({ label: r.name, numeric: true }))],
    rows: current.buckets.map((bucket, i) => ({
      key: bucket,
      cells: [{ text: bucketLabel(bucket, groupBy), sort: bucket }, ...rows.map((r) => ({ text: count(r.series[i]), sort: r.series[i] }))],
    })),
  };
}

function TopicTable(props: { kind: "tag" | "intent"; answer: AnalyticsAnswer<Topics> }) {
  const { kind, answer } = props;
  const rows = kind === "tag" ? answer.current.tags : answer.current.intents;
  return <Card title={`By ${kind}`} definition="topics" testid={`card-${kind}s`} wide sortable initialSort={{ column: 1, descending: true }} table={topicTable(kind, rows)} />;
}

function TopicTrend(props: { kind: "tag" | "intent"; answer: AnalyticsAnswer<Topics> }) {
  const { kind, answer } = props;
  const rows = kind === "tag" ? answer.current.tags : answer.current.intents;
  return (
    <Card
        title={`${kind === "tag" ? "Tags" : "Intents"} over time`}
        definition="topics"
        testid={`card-${kind}-trend`}
        table={topicTrendTable(kind, answer)}
        chart={
          <SeriesChart
            buckets={answer.current.buckets}
            groupBy={answer.groupBy}
            series={top(rows).map((r, i) => ({
              label: r.name,
              color: (kind === "tag" && r.color) || COLORS[i % COLORS.length]!,
              values: r.series,
              drill: (bucket: string) => `topic:${kind}:${r.id}:${bucket}`,
            }))}
          />
      }
    />
  );
}

/** A6: what customers ask about, by tag and by the bot's intent. */
export function TopicsView(props: { answer: AnalyticsAnswer<Topics> }) {
  return (
    <div class="an-grid">
      <TopicTable kind="tag" answer={props.answer} />
      <TopicTable kind="intent" answer={props.answer} />
      <TopicTrend kind="tag" answer={props.answer} />
      <TopicTrend kind="intent" answer={props.answer} />
    </div>
  );
}
