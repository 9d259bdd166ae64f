// Bulk writes for the analytics seed: multi-row INSERTs with the values
// written into the SQL (the seed makes every value itself), a few megabytes
// per request, one request in flight while the next is built.
import { createClient, type Client } from "@libsql/client/web";

export type Value = string | number | boolean | null | Record<string, unknown> | unknown[];

/** One value as an SQL literal. */
export function literal(value: Value): string {
  switch (typeof value) {
    case "string":
      return value.includes("'") ? `'${value.replaceAll("'", "''")}'` : `'${value}'`;
    case "number":
      if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
      return String(value);
    case "boolean":
      return value ? "1" : "0";
    default:
      return value === null ? "NULL" : literal(JSON.stringify(value));
  }
}

/** A row as the SQL tuple `(…)`. */
export const tuple = (row: Value[]) => `(${row.map(literal).join(",")})`;

export type Bulk = {
  client: Client;
  /** Queues rows of a table; sends when the queue is big enough. */
  add(table: string, columns: readonly string[], row: Value[]): Promise<void>;
  /** Queues an already-written tuple. */
  addTuple(table: string, columns: readonly string[], tuple: string): Promise<void>;
  /** Sends what is queued and waits for every request. */
  flush(): Promise<void>;
  rows: number;
  /** Rows queued per table. */
  tables: Record<string, number>;
  requests: number;
  close(): void;
};

/**
 * Rows of several tables, each table's rows in the order they were added;
 * a request is one write transaction of up to `maxBytes` of SQL, its tables
 * in the order of `tables` (parents before children: the foreign keys are
 * enforced).
 */
export function createBulk(url: string, tables: readonly string[], maxBytes = 3_000_000): Bulk {
  const client = createClient({ url });
  const queues = new Map<string, { head: string; rows: string[]; bytes: number }>(tables.map((table) => [table, { head: "", rows: [], bytes: 0 }]));
  let pending: Promise<unknown> = Promise.resolve();
  let queued = 0;
  const bulk: Bulk = {
    client,
    rows: 0,
    tables: {},
    requests: 0,
    add: (table, columns, row) => bulk.addTuple(table, columns, tuple(row)),
    async addTuple(table, columns, text) {
      const queue = queues.get(table);
      if (!queue) throw new Error(`table ${table} is not in the bulk's order`);
      queue.head ||= `INSERT INTO ${table} (${columns.join(",")}) VALUES `;
      queue.rows.push(text);
      queue.bytes += text.length + 1;
      queued += text.length + 1;
      bulk.rows++;
      bulk.tables[table] = (bulk.tables[table] ?? 0) + 1;
      if (queued >= maxBytes) await send();
    },
    async flush() {
      await send();
      await pending;
    },
    close: () => client.close(),
  };
  async function send() {
    const statements: string[] = [];
    for (const queue of queues.values()) {
      if (!queue.rows.length) continue;
      statements.push(queue.head + queue.rows.join(","));
      queue.rows = [];
      queue.bytes = 0;
    }
    queued = 0;
    if (!statements.length) return;
    // One request at a time reaches sqld (one writer anyway); the next is built meanwhile.
    await pending;
    bulk.requests++;
    // One SQL text per request: the client's batch keeps short statements
    // server-side by id ("store_sql"), and sqld lost them behind megabytes of
    // others ("SQL text 0 not found"); a sequence has no such ids.
    pending = client.executeMultiple(`BEGIN;\n${statements.join(";\n")};\nCOMMIT;`);
    // Its failure is thrown by the next await of it; until then it is not "unhandled".
    pending.catch(() => {});
  }
  return bulk;
}
