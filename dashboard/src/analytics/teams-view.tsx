import type { AnalyticsAnswer, Csat, TeamRow, Teams } from "@tandem/protocol";
import { Card } from "./card";
import { count, decimal, duration, percent } from "./format";
import type { Cell, Column, TableModel } from "./table-model";

/** The CSAT columns every table with ratings has. */
export const CSAT_COLUMNS: Column[] = [
  { label: "Ratings", numeric: true, definition: "csat" },
  { label: "CSAT mean", numeric: true },
  { label: "4–5", numeric: true },
  { label: "Wilson", numeric: true },
];

export const csatCells = (csat: Csat): Cell[] => [
  { text: count(csat.n), sort: csat.n },
  { text: decimal(csat.mean), sort: csat.mean },
  { text: percent(csat.satisfied), sort: csat.satisfied },
  { text: percent(csat.wilson), sort: csat.wilson },
];

/** Groups or operators with the same figures (A3). */
export function teamTable(kind: "group" | "operator", rows: TeamRow[]): TableModel {
  return {
    caption: kind === "group" ? "Groups" : "Operators",
    file: kind === "group" ? "groups" : "operators",
    columns: [
      { label: kind === "group" ? "Group" : "Operator" },
      { label: "Handled", numeric: true, definition: "handled" },
      { label: "First responses", numeric: true, definition: "firstResponse" },
      { label: "First response p50", numeric: true },
      { label: "First response p90", numeric: true },
      { label: "Lifetime p50", numeric: true, definition: "lifetime" },
      { label: "Transfers", numeric: true, definition: "transfers" },
      ...CSAT_COLUMNS,
    ],
    rows: rows.map((row) => ({
      key: row.id,
      drill: `${kind}:${row.id}`,
      cells: [
        { text: row.name },
        { text: count(row.handled), sort: row.handled },
        { text: count(row.firstResponse.n), sort: row.firstResponse.n },
        { text: duration(row.firstResponse.p50), sort: row.firstResponse.p50 },
        { text: duration(row.firstResponse.p90), sort: row.firstResponse.p90 },
        { text: duration(row.lifetimeP50), sort: row.lifetimeP50 },
        { text: count(row.transfers), sort: row.transfers },
        ...csatCells(row.csat),
      ],
    })),
  };
}

/** The Wilson column of teamTable, where operators are ranked by default. */
export const WILSON_COLUMN = 10;

/** A3: groups and operators side by side; operators ranked on CSAT by the Wilson lower bound. */
export function TeamsView(props: { answer: AnalyticsAnswer<Teams> }) {
  const { current } = props.answer;
  return (
    <div class="an-grid">
      <Card title="Operators" definition="csat" testid="card-operators" wide sortable initialSort={{ column: WILSON_COLUMN, descending: true }} table={teamTable("operator", current.operators)} />
      <Card title="Groups" definition="handled" testid="card-groups" wide sortable initialSort={{ column: 1, descending: true }} table={teamTable("group", current.groups)} />
    </div>
  );
}
