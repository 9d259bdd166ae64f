import { createClient, type Client } from "@libsql/client/web";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSqld, type Sqld } from "../sqld";
import { classifySql } from "./libsql-classify";
import { startLibsqlCounter, type LibsqlCounter } from "./libsql-counter";

describe("classifySql", () => {
  it.each([
    ["select 1", ["read"]],
    ["INSERT INTO t VALUES (1)", ["write"]],
    ["  -- a comment; with a semicolon\n update t set a = 1", ["write"]],
    ["/* delete */ SELECT 'insert; into' FROM t", ["read"]],
    ["WITH x AS (SELECT 1 FROM t) INSERT INTO t SELECT * FROM x", ["write"]],
    ["WITH RECURSIVE x(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM x WHERE n < 3) SELECT n FROM x", ["read"]],
    ["WITH d AS MATERIALIZED (SELECT id FROM t) DELETE FROM t WHERE id IN d", ["write"]],
    ["SELECT replace(a, 'x', 'y') FROM \"update\"", ["read"]],
    ["REPLACE INTO t VALUES (1)", ["write"]],
    ["UPDATE conversations SET a = 1 RETURNING a", ["write"]],
    ["BEGIN IMMEDIATE", ["begin-write"]],
    ["BEGIN DEFERRED", ["begin"]],
    ["COMMIT", ["end"]],
    ["ROLLBACK TO SAVEPOINT s", ["read"]],
    ["CREATE TABLE t (a); SELECT 1;", ["write", "read"]],
  ] as const)("%s", (sql, kinds) => {
    expect(classifySql(sql)).toEqual(kinds);
  });
});

// The counter between a real libSQL client and a real sqld: what it counts
// is what @libsql/client sends for each kind of call.
describe("the libSQL counter", () => {
  let dataDir: string;
  let sqld: Sqld;
  let counter: LibsqlCounter;
  let client: Client;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "tandem-counter-"));
    sqld = await startSqld({ dataDir });
    counter = await startLibsqlCounter(sqld.url, { keepRequests: true });
    client = createClient({ url: counter.url });
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
  });

  afterAll(async () => {
    client?.close();
    await counter?.stop();
    await sqld?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function count(work: () => Promise<unknown>) {
    await counter.reset();
    await work();
    const { writes, reads, unparsed, errors } = await counter.counts();
    return { writes, reads, unparsed, errors };
  }

  it("counts a read, a write and a batch that writes as one request each, and passes the answers through", async () => {
    expect(await count(() => client.execute("SELECT COUNT(*) FROM t"))).toEqual({ writes: 0, reads: 1, unparsed: 0, errors: 0 });
    expect(await count(() => client.execute({ sql: "INSERT INTO t (body) VALUES (?)", args: ["a"] }))).toEqual({ writes: 1, reads: 0, unparsed: 0, errors: 0 });
    const batch = () => client.batch(["INSERT INTO t (body) VALUES ('b')", "INSERT INTO t (body) VALUES ('b')", "SELECT COUNT(*) AS n FROM t"]);
    expect(await count(batch)).toEqual({ writes: 1, reads: 0, unparsed: 0, errors: 0 });
    expect((await client.execute("SELECT COUNT(*) AS n FROM t")).rows[0].n).toBe(3);
    expect(await count(() => client.batch(["SELECT 1", "SELECT 2"], "read"))).toEqual({ writes: 0, reads: 1, unparsed: 0, errors: 0 });
  });

  it("counts every request of a transaction that writes as a write, its first read included once it holds the lock", async () => {
    const immediate = await count(async () => {
      const tx = await client.transaction("write");
      await tx.execute("SELECT COUNT(*) FROM t");
      await tx.execute("INSERT INTO t (body) VALUES ('c')");
      await tx.commit();
    });
    expect(immediate).toEqual({ writes: 3, reads: 0, unparsed: 0, errors: 0 });

    const deferred = await count(async () => {
      const tx = await client.transaction("deferred");
      await tx.execute("SELECT COUNT(*) FROM t");
      await tx.execute("UPDATE t SET body = 'd' WHERE id = 1");
      await tx.execute("SELECT body FROM t WHERE id = 1");
      await tx.commit();
    });
    expect(deferred).toEqual({ writes: 3, reads: 1, unparsed: 0, errors: 0 });
  });

  it("counts what libSQL refused", async () => {
    await counter.reset();
    await expect(client.execute("SELECT nope FROM t")).rejects.toThrow(/nope/);
    expect((await counter.counts()).errors).toBe(1);
  });
});
