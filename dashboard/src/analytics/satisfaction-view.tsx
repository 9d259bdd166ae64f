import type { AnalyticsAnswer, Csat, Satisfaction, TeamRow, Teams } from "@tandem/protocol";
import { BarChart, BarList } from "./bar-chart";
import { Card } from "./card";
import { Figure } from "./figure";
import type { ApiQuery } from "./filters";
import { count, percent } from "./format";
import type { TableModel } from "./table-model";
import { csatCells, CSAT_COLUMNS } from "./teams-view";
import { useAnswer } from "./use-analytics";

const SENTIMENTS = [
  { key: "positive", label: "Positive", color: "#16a34a" },
  { key: "neutral", label: "Neutral", color: "#94a3b8" },
  { key: "negative", label: "Negative", color: "#dc2626" },
] as const;

export function ratingsTable(s: Satisfaction, before: Satisfaction | null): TableModel {
  return {
    caption: "Ratings",
    file: "ratings",
    columns: [{ label: "Rating" }, { label: "Conversations", numeric: true }, ...(before ? [{ label: "Previous period", numeric: true }] : [])],
    rows: s.distribution.map((n, i) => ({
      key: String(i + 1),
      drill: `rating:${i + 1}`,
      cells: [{ text: `${i + 1} ★` }, { text: count(n), sort: n }, ...(before ? [{ text: count(before.distribution[i]), sort: before.distribution[i] }] : [])],
    })),
  };
}

export function splitTable(s: Satisfaction): TableModel {
  const row = (key: string, label: string, csat: Csat) => ({ key, drill: `csat:${key}`, cells: [{ text: label }, ...csatCells(csat)] });
  return {
    caption: "Bot alone and with a person",
    file: "csat-bot-alone-vs-person",
    columns: [{ label: "Conversations" }, ...CSAT_COLUMNS],
    rows: [row("alone", "Bot alone", s.botAlone), row("person", "With a person", s.withPerson)],
  };
}

export function resolvedTable(s: Satisfaction): TableModel {
  const total = s.resolved.yes + s.resolved.no;
  const row = (key: string, label: string, n: number) => ({ key, drill: `resolved:${key}`, cells: [{ text: label }, { text: count(n), sort: n }, { text: percent(total ? n / total : null), sort: total ? n / total : null }] });
  return {
    caption: "Was the question resolved?",
    file: "resolved",
    columns: [{ label: "Answer" }, { label: "Ratings", numeric: true }, { label: "Share", numeric: true }],
    rows: [row("yes", "Yes", s.resolved.yes), row("no", "No", s.resolved.no)],
  };
}

export function sentimentTable(s: Satisfaction): TableModel {
  return {
    caption: "Sentiment",
    file: "sentiment",
    columns: [{ label: "Sentiment" }, { label: "Conversations", numeric: true }],
    rows: SENTIMENTS.map((x) => ({ key: x.key, drill: `sentiment:${x.key}`, cells: [{ text: x.label }, { text: count(s.sentiment[x.key]), sort: s.sentiment[x.key] }] })),
  };
}

export function wordsTable(s: Satisfaction): TableModel {
  return {
    caption: "Words that matched",
    file: "sentiment-words",
    columns: [{ label: "Word" }, { label: "Sign" }, { label: "Count", numeric: true }],
    rows: s.sentiment.words.map((w) => ({ key: w.word, drill: `word:${w.sign > 0 ? "+" : "-"}${w.word}`, cells: [{ text: w.word }, { text: w.sign > 0 ? "positive" : "negative" }, { text: count(w.count), sort: w.count }] })),
  };
}

export function csatByTable(kind: "operator" | "group", rows: TeamRow[]): TableModel {
  return {
    caption: `CSAT by ${kind}`,
    file: `csat-by-${kind}`,
    columns: [{ label: kind === "operator" ? "Operator" : "Group" }, ...CSAT_COLUMNS],
    rows: rows.map((r) => ({ key: r.id, drill: `${kind}:${r.id}`, cells: [{ text: r.name }, ...csatCells(r.csat)] })),
  };
}

/** A5: ratings, resolved or not, bot alone against with a person, per operator and group, and keyword sentiment. */
export function SatisfactionView(props: { answer: AnalyticsAnswer<Satisfaction>; query: ApiQuery; tick: number }) {
  const { current, before } = props.answer;
  const teams = useAnswer<Teams>("teams", props.query, props.tick).answer?.current;
  const prev = (value: number | null | undefined) => (before ? (value ?? null) : undefined);
  const byWilson = { column: 4, descending: true };
  return (
    <div class="an-grid">
      <div class="an-figures wide">
        <Figure label="Mean rating" definition="csat" kind="decimal" better="up" value={current.csat.mean} previous={prev(before?.csat.mean)} drill="rated" testid="figure-mean" />
        <Figure label="Rated 4–5" definition="csat" kind="percent" better="up" value={current.csat.satisfied} previous={prev(before?.csat.satisfied)} />
        <Figure label="Ratings" definition="csat" kind="count" value={current.csat.n} previous={prev(before?.csat.n)} drill="rated" />
        <Figure
          label="Response rate"
          definition="responseRate"
          kind="percent"
          better="up"
          value={current.responseRate}
          previous={prev(before?.responseRate)}
          note={`${count(current.csat.n)} of ${count(current.closed)} closed`}
        />
      </div>
      <Card
        title="Ratings"
        definition="csat"
        testid="card-ratings"
        table={ratingsTable(current, before)}
        chart={<BarChart title="Rated" color="#f59e0b" bars={current.distribution.map((n, i) => ({ label: `${i + 1} ★`, value: n, previous: before?.distribution[i], drill: `rating:${i + 1}` }))} />}
      />
      <Card
        title="Resolved"
        definition="resolved"
        testid="card-resolved"
        table={resolvedTable(current)}
        chart={
          <BarList
            title="Resolved"
            rows={[
              { label: "Yes", value: current.resolved.yes, text: count(current.resolved.yes), color: "#16a34a", drill: "resolved:yes" },
              { label: "No", value: current.resolved.no, text: count(current.resolved.no), color: "#dc2626", drill: "resolved:no" },
            ]}
          />
        }
      />
      <Card title="Bot alone and with a person" definition="csat" testid="card-split" table={splitTable(current)} />
      <Card
        title="Sentiment"
        definition="sentiment"
        testid="card-sentiment"
        table={sentimentTable(current)}
        chart={<BarChart title="Sentiment" bars={SENTIMENTS.map((x) => ({ label: x.label, value: current.sentiment[x.key], color: x.color, drill: `sentiment:${x.key}` }))} height={150} />}
      />
      <Card title="Words that matched" definition="sentiment" testid="card-words" sortable table={wordsTable(current)} wide>
        <p class="an-words" aria-hidden="true">
          {current.sentiment.words.map((w) => (
            <span class={w.sign > 0 ? "an-word good" : "an-word bad"}>
              {w.word} <b>{w.count}</b>
            </span>
          ))}
        </p>
      </Card>
      {teams && <Card title="CSAT by operator" definition="csat" testid="card-csat-operators" sortable initialSort={byWilson} table={csatByTable("operator", teams.operators)} />}
      {teams && <Card title="CSAT by group" definition="csat" testid="card-csat-groups" sortable initialSort={byWilson} table={csatByTable("group", teams.groups)} />}
    </div>
  );
}
