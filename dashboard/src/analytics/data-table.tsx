import { useDrill } from "./drill";
import type { Sort, TableModel } from "./table-model";
import { Term } from "./term";

type Props = {
  table: TableModel;
  /** Read by screen readers only, beside its chart: no buttons, the chart's marks are the clickable ones. */
  hidden?: boolean;
  sort?: Sort | null;
  onSort?: (sort: Sort) => void;
};

/** A TableModel on screen; a row or cell with a drill opens its conversations. */
export function DataTable(props: Props) {
  const { table, hidden, sort, onSort } = props;
  const open = useDrill();
  const drillButton = (drill: string, text: string, title: string) => (
    <button type="button" class="an-link" data-testid="drill" onClick={() => open({ drill, title })}>
      {text}
    </button>
  );
  const body = (
    <table class="an-table" data-testid={hidden ? undefined : "an-table"}>
      <caption class="visually-hidden">{table.caption}</caption>
      <thead>
        <tr>
          {table.columns.map((column, i) => {
            const sorted = sort?.column === i;
            const label = (
              <span class="an-th-label" data-testid="th-label">
                {column.label}
              </span>
            );
            return (
              <th
                scope="col"
                class={column.numeric ? "num" : undefined}
                aria-sort={sorted ? (sort!.descending ? "descending" : "ascending") : undefined}
              >
                {onSort && !hidden ? (
                  <button type="button" class="an-sort" data-testid="sort" onClick={() => onSort({ column: i, descending: sorted ? !sort!.descending : !!column.numeric })}>
                    {label}
                    <span aria-hidden="true">{sorted ? (sort!.descending ? " ▼" : " ▲") : ""}</span>
                  </button>
                ) : (
                  label
                )}
                {column.definition && !hidden && <Term name={column.label} definition={column.definition} iconOnly />}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => (
          <tr key={row.key} data-testid="an-row">
            {row.cells.map((cell, i) => {
              const Tag = i === 0 ? "th" : "td";
              const drill = hidden ? undefined : (cell.drill ?? (i === 0 ? row.drill : undefined));
              return (
                <Tag scope={i === 0 ? "row" : undefined} class={table.columns[i]?.numeric ? "num" : undefined} data-testid="cell">
                  {drill ? drillButton(drill, cell.text, `${row.cells[0]!.text}${i === 0 ? "" : ` · ${table.columns[i]!.label}`}`) : cell.text}
                </Tag>
              );
            })}
          </tr>
        ))}
        {table.rows.length === 0 && (
          <tr>
            <td colSpan={table.columns.length} class="muted an-empty-row">
              Nothing in this period.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
  // A table is as wide as its cells whatever its own width, so the box around it hides it.
  return hidden ? <div class="visually-hidden">{body}</div> : body;
}
