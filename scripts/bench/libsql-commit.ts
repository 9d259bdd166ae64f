import { createClient } from "@libsql/client/web";
import { summarize } from "./stats";

/**
 * The storage floor: one write transaction like an append (insert with the
 * next seq, then read it back) from Node straight to sqld, one at a time.
 */
export async function measureLibsqlCommit(url: string, count: number, warmup = 50) {
  const client = createClient({ url });
  await client.execute("CREATE TABLE IF NOT EXISTS bench_commit (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL)");
  const samples: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const started = performance.now();
    await client.batch(
      [
        { sql: "INSERT INTO bench_commit (seq, body) SELECT COALESCE(MAX(seq), 0) + 1, ? FROM bench_commit", args: [`row ${i}`] },
        "SELECT MAX(seq) FROM bench_commit",
      ],
      "write",
    );
    if (i >= warmup) samples.push(performance.now() - started);
  }
  await client.execute("DROP TABLE bench_commit");
  client.close();
  return summarize(samples);
}
