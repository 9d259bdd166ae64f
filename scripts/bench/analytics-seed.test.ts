// The analytics bench's data, checked on a small seed against the real sqld
// of the test stack: if the product's events change and the seed does not
// follow, this fails instead of the bench quietly timing the wrong data.
import { createClient, type Client } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stack } from "../test-kit/clients";
import { checkSeed, violations } from "./analytics-seed-checks";
import { seedAnalytics, type AnalyticsSeed } from "./analytics-seed";

const COUNT = 2000;
const END = Date.parse("2026-03-31T16:00:00Z");

describe("analytics seed", () => {
  let client: Client;
  let seed: AnalyticsSeed;
  const count = async (query: string, ...args: (string | number)[]) => Number(Object.values((await client.execute({ sql: query, args })).rows[0])[0]);

  beforeAll(async () => {
    client = createClient({ url: stack().libsqlUrl });
    seed = await seedAnalytics(stack().libsqlUrl, { conversations: COUNT, end: END, seed: 7 });
  }, 120_000);
  afterAll(() => client?.close());

  it("stores what it says it wrote", async () => {
    const ws = seed.world.workspaceId;
    expect(await count("SELECT count(*) FROM conversations WHERE workspace_id = ?", ws)).toBe(COUNT);
    expect(await count("SELECT count(*) FROM events WHERE workspace_id = ?", ws)).toBe(seed.rows.events);
    expect(await count("SELECT count(*) FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id WHERE c.workspace_id = ?", ws)).toBe(seed.rows.messages);
    expect(await count("SELECT count(*) FROM contacts WHERE workspace_id = ?", ws)).toBe(seed.rows.contacts);
    expect(await count("SELECT count(*) FROM memberships WHERE workspace_id = ?", ws)).toBe(14);
    expect(await count("SELECT time_zone = 'Europe/Kyiv' FROM workspaces WHERE id = ?", ws)).toBe(1);
    // The period: a year that ends on END's day in Kyiv.
    expect([seed.from, seed.to]).toEqual(["2025-04-01", "2026-03-31"]);
    expect(await count("SELECT min(created_at) >= ? AND max(created_at) <= ? FROM conversations WHERE workspace_id = ?", Date.parse("2025-03-31T21:00:00Z"), END, ws)).toBe(1);
  });

  it("keeps every rule of the product's data", async () => {
    const broken = Object.entries(await checkSeed(client, seed.world.workspaceId)).filter(([, n]) => n !== 0);
    expect(broken).toEqual([]);
  });

  it("has every event type, in a real workspace's proportions", async () => {
    const { rows } = await client.execute({ sql: "SELECT type, count(*) AS n FROM events WHERE workspace_id = ? GROUP BY type", args: [seed.world.workspaceId] });
    const n = Object.fromEntries(rows.map((r) => [String(r.type), Number(r.n)]));
    expect(Object.keys(n).sort()).toEqual(["claimed", "closed", "created", "escalated", "first_reply", "presence", "rated", "reopened", "replied", "requeued", "routed", "transferred"]);
    expect(n.created).toBe(COUNT);
    const share = (x: number) => x / COUNT;
    // The brief's mix: ~45 % the bot alone, ~35 % bot then person, ~10 % a person at once.
    expect(share(seed.paths.bot_alone)).toBeGreaterThan(0.4);
    expect(share(seed.paths.bot_alone)).toBeLessThan(0.5);
    expect(share(seed.paths.bot_then_person)).toBeGreaterThan(0.3);
    expect(share(seed.paths.bot_then_person)).toBeLessThan(0.4);
    expect(share(seed.paths.person_at_once)).toBeGreaterThan(0.07);
    expect(share(seed.paths.person_at_once)).toBeLessThan(0.13);
    expect(share(seed.left)).toBeGreaterThan(0.015);
    expect(share(seed.left)).toBeLessThan(0.05);
    expect(share(n.reopened)).toBeGreaterThan(0.02);
    expect(share(n.reopened)).toBeLessThan(0.08);
    expect(n.transferred).toBeGreaterThan(COUNT * 0.02);
    expect(n.rated / n.closed).toBeGreaterThan(0.22);
    expect(n.rated / n.closed).toBeLessThan(0.38);
    // Every working day has its operators' presence changes.
    const days = await count(
      "SELECT count(DISTINCT date((at + 7200000) / 1000, 'unixepoch')) FROM events WHERE workspace_id = ? AND type = 'presence' AND json_extract(data, '$.presence') = 'online'",
      seed.world.workspaceId,
    );
    expect(days).toBeGreaterThan(350);
    // Tags on about 40 %, from 8 tags; 20 intents.
    const tagged = await count("SELECT count(DISTINCT t.conversation_id) FROM conversation_tags AS t JOIN conversations AS c ON c.id = t.conversation_id WHERE c.workspace_id = ?", seed.world.workspaceId);
    expect(share(tagged)).toBeGreaterThan(0.32);
    expect(share(tagged)).toBeLessThan(0.48);
    expect(await count("SELECT count(DISTINCT intent_id) FROM conversations WHERE workspace_id = ?", seed.world.workspaceId)).toBe(20);
  });

  it("is busier on weekdays and in the day, in Kyiv", async () => {
    const { rows } = await client.execute({
      sql: `SELECT CAST(strftime('%H', (created_at + 10800000) / 1000, 'unixepoch') AS INTEGER) AS hour, count(*) AS n
            FROM conversations WHERE workspace_id = ? GROUP BY hour`,
      args: [seed.world.workspaceId],
    });
    // Summer time (+3) and winter (+2) both put 11:00–15:00 local well above 02:00–05:00.
    const at = (lo: number, hi: number) => rows.filter((r) => Number(r.hour) >= lo && Number(r.hour) < hi).reduce((sum, r) => sum + Number(r.n), 0);
    expect(at(11, 15)).toBeGreaterThan(8 * at(2, 6));
  });

  it("tells the same story from the same seed and end", async () => {
    const a = await seedAnalytics(stack().libsqlUrl, { conversations: 200, end: END, seed: 99 });
    const b = await seedAnalytics(stack().libsqlUrl, { conversations: 200, end: END, seed: 99 });
    const shape = async (ws: string) =>
      (
        await client.execute({
          sql: "SELECT type, actor_kind, count(*) AS n, sum(at) AS t FROM events WHERE workspace_id = ? AND type != 'presence' GROUP BY type, actor_kind ORDER BY type, actor_kind",
          args: [ws],
        })
      ).rows.map((r) => [r.type, r.actor_kind, r.n, r.t]);
    expect(a.world.workspaceId).not.toBe(b.world.workspaceId);
    expect(await shape(a.world.workspaceId)).toEqual(await shape(b.world.workspaceId));
  }, 60_000);

  it("has rules that catch broken data", async () => {
    // Each rule must be able to fail: break one thing in a transaction, see its rule count it, roll back.
    const breakages: Array<[string, string]> = [
      ["closed exactly when closed_at is set, never before the start", "UPDATE conversations SET closed_at = created_at - 1 WHERE id = (SELECT id FROM conversations WHERE workspace_id = ?1 AND status = 'closed' LIMIT 1)"],
      ["one first_reply exactly when first_human_reply_at is set, at that time", "DELETE FROM events WHERE id = (SELECT id FROM events WHERE workspace_id = ?1 AND type = 'first_reply' LIMIT 1)"],
      ["every rating on a closed conversation, once, after the close", "UPDATE events SET at = at - 3600000 WHERE id = (SELECT id FROM events WHERE workspace_id = ?1 AND type = 'rated' LIMIT 1)"],
      ["every replied names a waiting customer message, answered then", "UPDATE events SET data = json_set(data, '$.seq', 999) WHERE id = (SELECT id FROM events WHERE workspace_id = ?1 AND type = 'replied' LIMIT 1)"],
      ["every claim goes to an operator online then", "UPDATE events SET at = 1 WHERE id = (SELECT id FROM events WHERE workspace_id = ?1 AND type = 'claimed' LIMIT 1)"],
    ];
    for (const [rule, breaking] of breakages) {
      const tx = await client.transaction("write");
      try {
        await tx.execute({ sql: breaking, args: [seed.world.workspaceId] });
        expect(await violations(tx, rule, seed.world.workspaceId), rule).toBeGreaterThan(0);
      } finally {
        await tx.rollback();
      }
    }
  });
});
