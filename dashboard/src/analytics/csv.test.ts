import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";
import { sortRows, type TableModel } from "./table-model";

// The CSV and the sorting of the one row model that the screen and the export share.
const table: TableModel = {
  caption: "Operators",
  file: "operators",
  columns: [{ label: "Name" }, { label: "CSAT", numeric: true }],
  rows: [
    { key: "a", cells: [{ text: "Ann, the \"lead\"" }, { text: "4.50", sort: 4.5 }] },
    { key: "b", cells: [{ text: "=HYPERLINK(1)" }, { text: "—", sort: null }] },
    { key: "c", cells: [{ text: "Сергій\nnew line" }, { text: "-0.5", sort: -0.5 }] },
  ],
};

describe("CSV of a table as shown", () => {
  it("quotes what needs quoting, defuses formulas and ends lines with CRLF", () => {
    expect(toCsv(table)).toBe('Name,CSAT\r\n"Ann, the ""lead""",4.50\r\n\'=HYPERLINK(1),—\r\n"Сергій\nnew line",-0.5\r\n');
  });

  it("sorts numbers as numbers and empty values last, either way", () => {
    const names = (t: TableModel) => t.rows.map((r) => r.key).join("");
    expect(names(sortRows(table, { column: 1, descending: true }))).toBe("acb");
    expect(names(sortRows(table, { column: 1, descending: false }))).toBe("cab");
    expect(names(sortRows(table, null))).toBe("abc");
  });
});
