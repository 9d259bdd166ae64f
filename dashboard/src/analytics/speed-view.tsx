import { DURATION_METRICS, HISTOGRAM_BOUNDS, type AnalyticsAnswer, type Distribution, type DurationMetric, type Speed } from "@tandem/protocol";
import { BarChart } from "./bar-chart";
import { Card } from "./card";
import { Figure } from "./figure";
import { count, duration } from "./format";
import type { TableModel } from "./table-model";

export const METRIC_NAMES: Record<DurationMetric, string> = {
  firstResponse: "First response time",
  queueWait: "Queue wait",
  lifetime: "Lifetime",
  replyTime: "Reply time",
};

const short = (ms: number, space = " ") => (ms < 60_000 ? `${ms / 1000}${space}s` : ms < 3_600_000 ? `${ms / 60_000}${space}m` : `${ms / 3_600_000}${space}h`);

/** "≤ 30 s", "30 s–1 m", …, "> 24 h": the histogram's bins, as its table names them. */
export const BIN_LABELS = [
  `≤ ${short(HISTOGRAM_BOUNDS[0])}`,
  ...HISTOGRAM_BOUNDS.slice(1).map((bound, i) => `${short(HISTOGRAM_BOUNDS[i]!)}–${short(bound)}`),
  `> ${short(HISTOGRAM_BOUNDS.at(-1)!)}`,
];

/** "≤30s", "≤1m", …, ">24h": the same bins under the chart's narrow bars (each bin ends at its bound). */
const BAR_LABELS = [...HISTOGRAM_BOUNDS.map((bound) => `≤${short(bound, "")}`), `>${short(HISTOGRAM_BOUNDS.at(-1)!, "")}`];

const STATS = ["n", "min", "p50", "mean", "p90", "max"] as const;

/** One distribution's histogram as a table; with compare on, the previous period's counts beside. */
export function histogramTable(metric: DurationMetric, now: Distribution, before: Distribution | null, hours: string): TableModel {
  return {
    caption: `${METRIC_NAMES[metric]}: histogram`,
    file: `${metric}-histogram${hours === "working" ? "-working-hours" : ""}`,
    columns: [{ label: "Time" }, { label: "Count", numeric: true }, ...(before ? [{ label: "Previous period", numeric: true }] : [])],
    rows: BIN_LABELS.map((label, bin) => ({
      key: label,
      drill: `hist:${metric}:${bin}`,
      cells: [{ text: label }, { text: count(now.histogram[bin] ?? 0) }, ...(before ? [{ text: count(before.histogram[bin] ?? 0) }] : [])],
    })),
  };
}

/** The four distributions side by side. */
export function summaryTable(speed: Speed, before: Speed | null): TableModel {
  const rows = DURATION_METRICS.flatMap((metric) => {
    const row = (d: Distribution, label: string, key: string, drill?: string) => ({
      key,
      drill,
      cells: [{ text: label }, { text: count(d.n), sort: d.n }, ...STATS.slice(1).map((s) => ({ text: duration(d[s] as number | null), sort: d[s] as number | null }))],
    });
    const now = row(speed[metric], METRIC_NAMES[metric], metric, `metric:${metric}`);
    return before ? [now, row(before[metric], `${METRIC_NAMES[metric]} (previous period)`, `${metric}-before`)] : [now];
  });
  return {
    caption: "Durations",
    file: "durations",
    columns: [{ label: "Metric" }, ...STATS.map((s) => ({ label: s, numeric: true }))],
    rows,
  };
}

/** A1: how fast customers get a person, how long conversations live, how fast replies come. */
export function SpeedView(props: { answer: AnalyticsAnswer<Speed> }) {
  const { current, before, hours } = props.answer;
  const prev = (value: number | null | undefined) => (before ? (value ?? null) : undefined);
  return (
    <div class="an-grid">
      <div class="an-figures wide">
        <Figure label="First response p50" definition="firstResponse" kind="duration" better="down" value={current.firstResponse.p50} previous={prev(before?.firstResponse.p50)} />
        <Figure label="First response p90" definition="firstResponse" kind="duration" better="down" value={current.firstResponse.p90} previous={prev(before?.firstResponse.p90)} />
        <Figure label="Queue wait p50" definition="queueWait" kind="duration" better="down" value={current.queueWait.p50} previous={prev(before?.queueWait.p50)} />
        <Figure label="Lifetime p50" definition="lifetime" kind="duration" value={current.lifetime.p50} previous={prev(before?.lifetime.p50)} />
        <Figure
          label="Left the queue"
          definition="abandoned"
          kind="percent"
          better="down"
          value={current.abandoned.share}
          previous={prev(before?.abandoned.share)}
          note={`${count(current.abandoned.left)} of ${count(current.abandoned.waited)} who waited`}
          drill="abandoned"
          testid="figure-abandoned"
        />
      </div>
      {DURATION_METRICS.map((metric) => {
        const d = current[metric];
        const b = before?.[metric];
        return (
          <Card
            key={metric}
            title={METRIC_NAMES[metric]}
            definition={metric}
            testid={`card-${metric}`}
            table={histogramTable(metric, d, b ?? null, hours)}
            chart={<BarChart title={METRIC_NAMES[metric]} bars={BIN_LABELS.map((label, bin) => ({ label: BAR_LABELS[bin]!, title: label, value: d.histogram[bin] ?? 0, previous: b?.histogram[bin], drill: `hist:${metric}:${bin}` }))} />}
          >
            <div class="an-figures compact">
              <Figure label="n" definition="distribution" kind="count" value={d.n} previous={prev(b?.n)} drill={`metric:${metric}`} />
              {STATS.slice(1).map((stat) => (
                <Figure label={stat} definition="distribution" kind="duration" better="down" value={d[stat] as number | null} previous={prev(b?.[stat] as number | null)} />
              ))}
            </div>
          </Card>
        );
      })}
      <Card title="Durations" definition="distribution" testid="card-durations" table={summaryTable(current, before)} wide />
    </div>
  );
}
