import type { DefinitionKey } from "@tandem/protocol";
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ChartWidth, useWidth } from "./chart-width";
import { downloadCsv } from "./csv";
import { DataTable } from "./data-table";
import { sortRows, type Sort, type TableModel } from "./table-model";
import { Term } from "./term";

type Props = {
  title: string;
  definition?: DefinitionKey;
  /** The chart's numbers (or the table itself when there is no chart). */
  table: TableModel;
  chart?: ComponentChildren;
  /** Above the chart or table: headline figures, a legend. */
  children?: ComponentChildren;
  sortable?: boolean;
  initialSort?: Sort;
  testid: string;
  wide?: boolean;
};

/**
 * A chart or a table with its title, its definition and a CSV of what it
 * shows. A chart has its table beside it for screen readers, and a button
 * that shows that table instead of the chart (where its rows drill down too).
 */
export function Card(props: Props) {
  const [asTable, setAsTable] = useState(false);
  const [chartBox, width] = useWidth<HTMLDivElement>();
  const [sort, setSort] = useState<Sort | null>(props.initialSort ?? null);
  const shown = sortRows(props.table, sort);
  const chart = props.chart && !asTable;
  return (
    <section class={props.wide ? "an-card wide" : "an-card"} data-testid={props.testid} aria-label={props.title}>
      <header class="an-card-head">
        <h3>{props.definition ? <Term name={props.title} definition={props.definition} /> : props.title}</h3>
        <div class="an-card-actions">
          {props.chart && (
            <button type="button" class="ghost" aria-pressed={asTable} data-testid="show-table" onClick={() => setAsTable(!asTable)}>
              {asTable ? "Chart" : "Table"}
            </button>
          )}
          <button type="button" class="ghost" data-testid="csv" title={`Download ${shown.caption} as CSV`} onClick={() => downloadCsv(shown)}>
            CSV
          </button>
        </div>
      </header>
      {props.children}
      {/* Kept in the page while the table shows, so its width stays followed. */}
      {props.chart && (
        <div class="an-chart" aria-hidden="true" ref={chartBox} hidden={asTable}>
          {width > 0 && <ChartWidth.Provider value={width}>{props.chart}</ChartWidth.Provider>}
        </div>
      )}
      {chart ? (
        <DataTable table={shown} hidden />
      ) : (
        <div class="an-table-wrap">
          <DataTable table={shown} sort={sort} onSort={props.sortable ? setSort : undefined} />
        </div>
      )}
    </section>
  );
}
