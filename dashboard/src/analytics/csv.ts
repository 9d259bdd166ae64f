import type { TableModel } from "./table-model";

/**
 * A table as CSV (RFC 4180): the header and the rows exactly as the screen
 * shows them, quoted where needed, lines ended by CRLF. A cell that a
 * spreadsheet would run as a formula (=, +, -, @ first, and not a number) is
 * kept as text with a leading apostrophe.
 */
export function toCsv(table: TableModel): string {
  const lines = [table.columns.map((c) => c.label), ...table.rows.map((row) => row.cells.map((cell) => cell.text))];
  return lines.map((line) => line.map(csvField).join(",")).join("\r\n") + "\r\n";
}

function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Saves the table as a .csv file; the byte order mark makes spreadsheet programs read it as UTF-8 (Cyrillic names). */
export function downloadCsv(table: TableModel): void {
  const url = URL.createObjectURL(new Blob(["\uFEFF", toCsv(table)], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${table.file}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
