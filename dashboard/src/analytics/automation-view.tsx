import { HANDOFF_REASONS, type AnalyticsAnswer, type Automation, type HandoffReason } from "@tandem/protocol";
import { BarList } from "./bar-chart";
import { Card } from "./card";
import { bucketLabel } from "./dates";
import { Figure } from "./figure";
import { count, percent } from "./format";
import { COLORS } from "./scale";
import { SeriesChart } from "./series-chart";
import type { TableModel } from "./table-model";

export const REASON_NAMES: Record<HandoffReason, string> = {
  asked_for_person: "Asked for a person",
  complaint: "Complaint",
  low_confidence: "Low confidence",
  repeated: "Repeated question",
  off_hours: "Outside hours",
  operator_took_over: "An operator took over",
  other: "Other",
};

const TREND = [
  { key: "withBot", label: "With the bot" },
  { key: "resolvedAlone", label: "Resolved alone" },
  { key: "handedOff", label: "Handed to people" },
] as const;

export function reasonsTable(automation: Automation): TableModel {
  const byReason = new Map(automation.reasons.map((r) => [r.reason, r]));
  return {
    caption: "Hand-offs by reason",
    file: "handoff-reasons",
    columns: [{ label: "Reason" }, { label: "Conversations", numeric: true }, { label: "Share", numeric: true }],
    rows: HANDOFF_REASONS.map((reason) => {
      const row = byReason.get(reason);
      return {
        key: reason,
        drill: `reason:${reason}`,
        cells: [{ text: REASON_NAMES[reason] }, { text: count(row?.count ?? 0), sort: row?.count ?? 0 }, { text: percent(row?.share ?? null), sort: row?.share ?? null }],
      };
    }),
  };
}

export function trendTable(answer: AnalyticsAnswer<Automation>): TableModel {
  const { current, groupBy } = answer;
  return {
    caption: "Automation over time",
    file: `automation-by-${groupBy}`,
    columns: [{ label: groupBy === "day" ? "Day" : groupBy === "week" ? "Week" : "Month" }, ...TREND.map((t) => ({ label: t.label, numeric: true, definition: t.key }))],
    rows: current.buckets.map((bucket, i) => ({
      key: bucket,
      cells: [{ text: bucketLabel(bucket, groupBy), sort: bucket }, ...TREND.map((t) => ({ text: count(current.series[t.key][i]), sort: current.series[t.key][i] }))],
    })),
  };
}

/** A4: how much the bot resolves alone, why it hands over, and a warning when hand-offs rise. */
export function AutomationView(props: { answer: AnalyticsAnswer<Automation>; canAdminister: boolean }) {
  const { answer } = props;
  const { current, before } = answer;
  const prev = (value: number | null | undefined) => (before ? (value ?? null) : undefined);
  const reasons = reasonsTable(current);
  return (
    <div class="an-grid">
      {current.warning && (
        <p class="an-warning wide" role="alert" data-testid="handoff-warning">
          <strong>Hand-offs are up {current.warning.risePoints.toFixed(1)} points</strong> against the previous period (the warning is set at{" "}
          {current.warning.thresholdPoints} points). Look at the reasons below and at the questions the bot could not answer.
        </p>
      )}
      <div class="an-figures wide">
        <Figure label="With the bot" definition="withBot" kind="count" value={current.withBot} previous={prev(before?.withBot)} testid="figure-with-bot" />
        <Figure
          label="Bot resolved alone"
          definition="resolvedAlone"
          kind="percent"
          better="up"
          value={current.resolvedAloneShare}
          previous={prev(before?.resolvedAloneShare)}
          note={`${count(current.resolvedAlone)} of ${count(current.withBot)} · ${count(current.pending)} pending`}
          drill="alone"
          testid="figure-alone"
        />
        <Figure
          label="Handed to people"
          definition="handedOff"
          kind="percent"
          better="down"
          value={current.handoffShare}
          previous={prev(before?.handoffShare)}
          note={`${count(current.handedOff)} of ${count(current.withBot)}`}
          drill="handed"
          testid="figure-handed-off"
        />
        <Figure
          label="Bot's share of messages"
          definition="messageShare"
          kind="percent"
          value={current.messages.botShare}
          previous={prev(before?.messages.botShare)}
          note={`bot ${count(current.messages.bot)} · people ${count(current.messages.human)}`}
        />
        <div class="an-figure" data-testid="unanswered">
          <div class="an-figure-label">Unanswered questions</div>
          {props.canAdminister ? (
            <a class="an-figure-value an-link" href="#/settings/knowledge" data-testid="unanswered-link">
              {count(current.unanswered)}
            </a>
          ) : (
            <div class="an-figure-value">{count(current.unanswered)}</div>
          )}
          <div class="an-figure-note muted">{props.canAdminister ? "Settings → Knowledge base" : "an admin adds them to the knowledge base"}</div>
        </div>
      </div>
      <Card
        title="Hand-offs by reason"
        definition="handoffReasons"
        testid="card-reasons"
        table={reasons}
        chart={
          <BarList
            title="Handed to people"
            rows={HANDOFF_REASONS.map((reason, i) => ({
              label: REASON_NAMES[reason],
              value: current.reasons.find((r) => r.reason === reason)?.count ?? 0,
              text: `${reasons.rows[i]!.cells[1]!.text} · ${reasons.rows[i]!.cells[2]!.text}`,
              drill: `reason:${reason}`,
            }))}
          />
        }
      />
      <Card
        title="Automation over time"
        definition="withBot"
        testid="card-automation-trend"
        table={trendTable(answer)}
        chart={
          <SeriesChart
            buckets={current.buckets}
            groupBy={answer.groupBy}
            series={TREND.map((t, i) => ({ label: t.label, color: COLORS[i]!, values: current.series[t.key], drill: (bucket: string) => `trend:${t.key}:${bucket}` }))}
          />
        }
      />
    </div>
  );
}
