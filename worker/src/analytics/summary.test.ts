import { AnalyticsQuery } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, customerWrites, database } from "../../../scripts/test-kit/clients";
import { fromSummaryRow, summarize, summarySql } from "./distribution";
import { durationSummary, durationValues, figuresByKey } from "./durations";
import { scopeOf } from "./scope";

// The two ways SQL summarizes a metric — over the whole workspace from its
// indexes (no sort), and with a filter by ranking the values — against the
// Worker's own summary of the same values, on random durations of sizes
// where a nearest rank is easy to get one off; in all, and per operator.

const DAY = 86_400_000;
let workspaceId: string;
let conversations: string[];
let lo: number;
let hi: number;

beforeAll(async () => {
  const tenant = await createTenant("Summary");
  workspaceId = tenant.workspaceId;
  conversations = [(await customerWrites(tenant.publicKey)).id, (await customerWrites(tenant.publicKey)).id];
  const query = v.parse(AnalyticsQuery, { from: "2026-03-01", to: "2026-03-31" });
  const period = scopeOf(database(), workspaceId, "UTC", query).period;
  lo = period.lo;
  hi = period.hi;
});

describe("a metric's summary in SQL", () => {
  it("is the Worker's summary of the period's values, with and without a filter", async () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const inPeriod: number[] = [];
    // Per operator credited (none for a third), the values in the period and their conversations.
    const byOperator = new Map<string, { values: number[]; conversations: Set<string> }>();
    let eventId = 2_000_000_000;
    for (const size of [1, 2, 3, 10, 99, 257]) {
      const rows: string[] = [];
      while (inPeriod.length < size) {
        const value = Math.floor(random() ** 3 * 100_000_000);
        // A third end outside the period (just before it, or on its last instant's far side).
        const roll = random();
        const ended = roll < 0.15 ? lo - 1 - Math.floor(random() * DAY) : roll < 0.3 ? hi + Math.floor(random() * DAY) : lo + Math.floor(random() * (hi - lo));
        const operator = ["op-a", "op-b", null][Math.floor(random() * 3)]!;
        const conversation = conversations[Math.floor(random() * 2)]!;
        if (ended >= lo && ended < hi) {
          inPeriod.push(value);
          if (operator) {
            const mine = byOperator.get(operator) ?? { values: [], conversations: new Set<string>() };
            mine.values.push(value);
            mine.conversations.add(conversation);
            byOperator.set(operator, mine);
          }
        }
        const credited = operator ? `'${operator}'` : "NULL";
        rows.push(`(${eventId++}, '${workspaceId}', '${conversation}', 'replyTime', ${ended - value}, ${ended}, ${value}, ${credited})`);
      }
      await database().run(
        sql.raw(`INSERT INTO durations (event_id, workspace_id, conversation_id, metric, started_at, ended_at, value, operator_id) VALUES ${rows.join(", ")}`),
      );
      const expected = summarize(inPeriod);
      const whole = scopeOf(database(), workspaceId, "UTC", v.parse(AnalyticsQuery, { from: "2026-03-01", to: "2026-03-31" }));
      const [indexed] = await database().all<Record<string, unknown>>(durationSummary(whole, "replyTime", whole.period));
      expect(fromSummaryRow(indexed), `n = ${size}, whole workspace`).toEqual(expected);
      const filtered = scopeOf(database(), workspaceId, "UTC", v.parse(AnalyticsQuery, { from: "2026-03-01", to: "2026-03-31", channel: "web" }));
      expect(filtered.filtered).toBe(true);
      const [ranked] = await database().all<Record<string, unknown>>(summarySql(durationValues(filtered, "replyTime")));
      expect(fromSummaryRow(ranked), `n = ${size}, filtered`).toEqual(expected);
      const perOperator = Object.fromEntries(
        [...byOperator].map(([id, mine]) => {
          const { n, p50, p90 } = summarize(mine.values);
          return [id, { n, p50, p90, conversations: mine.conversations.size }];
        }),
      );
      for (const scope of [whole, filtered]) {
        const figures = await figuresByKey(scope, "replyTime", scope.period, "operator");
        expect(Object.fromEntries(figures), `n = ${size}, per operator, ${scope.filtered ? "filtered" : "whole workspace"}`).toEqual(perOperator);
      }
      if (size === 257) {
        // A span three years before: the month is now a small share of the history, and the
        // percentiles sort the period's rows instead of walking the value index. Same figures.
        await database().run(
          sql.raw(`INSERT INTO durations (event_id, workspace_id, conversation_id, metric, started_at, ended_at, value, operator_id)
            VALUES (${eventId++}, '${workspaceId}', '${conversations[0]}', 'replyTime', ${lo - 3 * 365 * DAY - 5}, ${lo - 3 * 365 * DAY}, 5, 'op-a')`),
        );
        const [sorted] = await database().all<Record<string, unknown>>(durationSummary(whole, "replyTime", whole.period));
        expect(fromSummaryRow(sorted), "a short period of a long history").toEqual(expected);
        const figures = await figuresByKey(whole, "replyTime", whole.period, "operator");
        expect(Object.fromEntries(figures), "per operator, a short period of a long history").toEqual(perOperator);
      }
    }
  });

  it("keeps the view and the trigger that fill durations", async () => {
    const names = await database().all<{ type: string; name: string }>(
      sql`SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name`,
    );
    expect(names).toEqual([
      { type: "view", name: "duration_sources" },
      { type: "trigger", name: "events_durations" },
    ]);
  });

  it("is empty for a period with no durations", async () => {
    const scope = scopeOf(database(), workspaceId, "UTC", v.parse(AnalyticsQuery, { from: "2025-01-01", to: "2025-01-31" }));
    const [row] = await database().all<Record<string, unknown>>(durationSummary(scope, "lifetime", scope.period));
    expect(fromSummaryRow(row)).toEqual(summarize([]));
  });
});
