import type { DefinitionKey } from "@tandem/protocol";

/** One cell as shown: its text, and what sorting compares (the raw number; null sorts last). */
export type Cell = { text: string; sort?: number | string | null; drill?: string };
export type Row = { cells: Cell[]; drill?: string; key: string };
export type Column = { label: string; numeric?: boolean; definition?: DefinitionKey };

/**
 * What a table or a chart's table view shows. The screen renders it and the
 * CSV export writes it, from this same value, so the two cannot disagree.
 */
export type TableModel = {
  caption: string;
  /** The CSV file's name, without .csv. */
  file: string;
  columns: Column[];
  rows: Row[];
};

export type Sort = { column: number; descending: boolean };

/** The rows in the order a column sorts them; empty values (null) always last. */
export function sortRows(table: TableModel, sort: Sort | null): TableModel {
  if (!sort) return table;
  const key = (row: Row) => {
    const cell = row.cells[sort.column];
    return cell?.sort === undefined ? cell?.text : cell.sort;
  };
  const rows = [...table.rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return sort.descending ? -order : order;
  });
  return { ...table, rows };
}
