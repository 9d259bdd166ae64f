import { AnalyticsQuery } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, customerWrites, database } from "../../../scripts/test-kit/clients";
import { fromSummaryRow, summarize, summarySql } from "./distribution";
import { durationSummary, durationValues } from "./durations";
import { scopeOf } from "./scope";

// The two ways SQL summarizes a metric — over the whole workspace from its
// indexes (no sort), and with a filter by ranking the values — against the
// Worker's own summary of the same values, on random durations of sizes
// where a nearest rank is easy to get one off.

const DAY = 86_400_000;
let workspaceId: string;
let conversationId: string;
let lo: number;
let hi: number;

beforeAll(async () => {
  const tenant = await createTenant("Summary");
  workspaceId = tenant.workspaceId;
  conversationId = (await customerWrites(tenant.publicKey)).id;
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
    let eventId = 2_000_000_000;
    for (const size of [1, 2, 3, 10, 99, 257]) {
      const rows: string[] = [];
      while (inPeriod.length < size) {
        const value = Math.floor(random() ** 3 * 100_000_000);
        // A third end outside the period (just before it, or on its last instant's far side).
        const roll = random();
        const ended = roll < 0.15 ? lo - 1 - Math.floor(random() * DAY) : roll < 0.3 ? hi + Math.floor(random() * DAY) : lo + Math.floor(random() * (hi - lo));
        if (ended >= lo && ended < hi) inPeriod.push(value);
        rows.push(`(${eventId++}, '${workspaceId}', '${conversationId}', 'replyTime', ${ended - value}, ${ended}, ${value})`);
      }
      await database().run(
        sql.raw(`INSERT INTO durations (event_id, workspace_id, conversation_id, metric, started_at, ended_at, value) VALUES ${rows.join(", ")}`),
      );
      const expected = summarize(inPeriod);
      const whole = scopeOf(database(), workspaceId, "UTC", v.parse(AnalyticsQuery, { from: "2026-03-01", to: "2026-03-31" }));
      const [indexed] = await database().all<Record<string, unknown>>(durationSummary(whole, "replyTime", whole.period));
      expect(fromSummaryRow(indexed), `n = ${size}, whole workspace`).toEqual(expected);
      const filtered = scopeOf(database(), workspaceId, "UTC", v.parse(AnalyticsQuery, { from: "2026-03-01", to: "2026-03-31", channel: "web" }));
      expect(filtered.filtered).toBe(true);
      const [ranked] = await database().all<Record<string, unknown>>(summarySql(durationValues(filtered, "replyTime")));
      expect(fromSummaryRow(ranked), `n = ${size}, filtered`).toEqual(expected);
    }
  });

  it("is empty for a period with no durations", async () => {
    const scope = scopeOf(database(), workspaceId, "UTC", v.parse(AnalyticsQuery, { from: "2025-01-01", to: "2025-01-31" }));
    const [row] = await database().all<Record<string, unknown>>(durationSummary(scope, "lifetime", scope.period));
    expect(fromSummaryRow(row)).toEqual(summarize([]));
  });
});
