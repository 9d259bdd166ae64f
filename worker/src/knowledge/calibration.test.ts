import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, signIn, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { calibrateUncalibrated } from "../../../scripts/migrate";
import { json } from "../../../scripts/test-kit/team-kit";
import { buildMatcher } from "../bot/matcher";
import { calibrationFor, matchIntentOf } from "./calibration";
import { loadKnowledge } from "./load";

// Issue 19: a knowledge base is calibrated on its own phrasings when it
// changes, and the figures are stored with it. Through the real API on sqld.

type File = { version: 1; intents: { key: string; phrasings: Record<string, string[]>; [k: string]: unknown }[] };
const demo = JSON.parse(readFileSync(join(import.meta.dirname, "../bot/demo/knowledge-base.json"), "utf8")) as File;
/** The demo base as a new workspace would type it in: 3 phrasings per intent and language. */
const small: File = { version: 1, intents: demo.intents.map((i) => ({ ...i, phrasings: Object.fromEntries(Object.entries(i.phrasings).map(([l, list]) => [l, list.slice(0, 3)])) })) };

let x: Tenant;
let y: Tenant;
let boss: Operator;
let other: Operator;

type Figure = { id: string; intentId: string; text: string; own: number | null; other: number | null };
async function figures(tenant: Tenant): Promise<Figure[]> {
  return database().all<Figure>(sql`
    SELECT p.id, p.intent_id AS intentId, p.text, p.loo_own AS own, p.loo_other AS other
    FROM intent_phrasings p JOIN intents i ON i.id = p.intent_id WHERE i.workspace_id = ${tenant.workspaceId} ORDER BY p.id`);
}
const intentIds = async (by: Operator) => new Map((((await (await by.request("/api/ops/knowledge")).json()) as { intents: { id: string; key: string }[] }).intents).map((i) => [i.key, i.id]));

beforeAll(async () => {
  [x, y] = await Promise.all([createTenant("Calibrated"), createTenant("Calibrated other")]);
  [boss, other] = await Promise.all([signIn(x.owner.email, x.owner.password), signIn(y.owner.email, y.owner.password)]);
  for (const by of [boss, other]) for (const name of ["Sales", "Support"]) await by.request("/api/ops/team/groups", json("POST", { name }));
  for (const by of [boss, other]) expect((await by.request("/api/ops/knowledge/import?mode=replace", json("POST", small))).status).toBe(200);
});

describe("calibration stored with the knowledge base", () => {
  it("an import measures every phrasing, and a small base answers from a lower raw score", async () => {
    const rows = await figures(x);
    expect(rows.length).toBe(small.intents.length * 9);
    expect(rows.filter((r) => r.own === null || r.other === null)).toEqual([]);
    for (const r of rows) expect(r.own! >= 0 && r.own! <= 1 && r.other! >= 0 && r.other! <= 1).toBe(true);
    // Most phrasings, held out, still find their own intent first.
    expect(rows.filter((r) => r.own! > r.other!).length / rows.length).toBeGreaterThan(0.6);
    const { intents } = await loadKnowledge(database(), x.workspaceId);
    const stored = calibrationFor(intents);
    expect("answerAt" in stored && stored.answerAt).toBeGreaterThan(0.25);
    expect("answerAt" in stored && stored.answerAt).toBeLessThan(0.5);
  });

  it("an edit re-measures its own phrasings and those sharing a word with it, and no other workspace's", async () => {
    const ids = await intentIds(boss);
    const db = database();
    // A mark no measurement can produce: where it survives, the phrasing was not measured again.
    const mark = 0.0123;
    await db.run(sql`UPDATE intent_phrasings SET loo_other = ${mark} WHERE intent_id IN (SELECT id FROM intents WHERE workspace_id IN (${x.workspaceId}, ${y.workspaceId}))`);
    const hours = demo.intents.find((i) => i.key === "opening-hours")!;
    const body = { key: hours.key, name: "Opening hours", enabled: true, answer: hours.answer, buttons: [], collect: [], groupId: null, phrasings: { ...small.intents.find((i) => i.key === "opening-hours")!.phrasings, en: ["Opening hours", "What time do you open?", "When does the roastery close on Sunday?"] } };
    const saved = await boss.request(`/api/ops/knowledge/${ids.get("opening-hours")}`, json("PUT", body));
    expect(saved.status).toBe(200);
    const after = await figures(x);
    const measured = after.filter((r) => r.other !== mark);
    const kept = after.filter((r) => r.other === mark);
    // The edited intent's phrasings are new rows, all measured.
    expect(after.filter((r) => r.intentId === ids.get("opening-hours")).every((r) => r.other !== mark && r.own !== null)).toBe(true);
    // Phrasings that share a word with it ("time", "open") were measured again; most of the base was not.
    expect(measured.some((r) => r.intentId !== ids.get("opening-hours"))).toBe(true);
    expect(kept.length).toBeGreaterThan(after.length / 2);
    for (const r of kept) expect(r.text.toLowerCase()).not.toMatch(/\b(open|time|sunday|hours)\b/);
    // The other workspace: untouched.
    expect((await figures(y)).every((r) => r.other === mark)).toBe(true);
  });

  it("a base without figures (stored before calibration) is calibrated where it is matched", async () => {
    await database().run(sql`UPDATE intent_phrasings SET loo_own = NULL, loo_other = NULL WHERE intent_id IN (SELECT id FROM intents WHERE workspace_id = ${y.workspaceId})`);
    const { intents } = await loadKnowledge(database(), y.workspaceId);
    const missing = calibrationFor(intents);
    expect(missing).toEqual({ measure: 300 });
    const { answerAt } = buildMatcher(intents.map(matchIntentOf), [], missing).calibration;
    expect(answerAt).toBeGreaterThan(0.25);
    expect(answerAt).toBeLessThan(0.5);
    // Deleting an intent measures again what shared its words, so the base has figures once more.
    const ids = await intentIds(other);
    expect((await other.request(`/api/ops/knowledge/${ids.get("warranty")}`, { method: "DELETE" })).status).toBeLessThan(300);
    const rows = await figures(y);
    expect(rows.filter((r) => r.own === null).length).toBe(0);
  });

  it("npm run migrate stores the figures of a base that has none, and leaves measured ones alone", async () => {
    const db = database();
    await db.run(sql`UPDATE intent_phrasings SET loo_own = NULL, loo_other = NULL WHERE intent_id IN (SELECT id FROM intents WHERE workspace_id = ${y.workspaceId})`);
    const mark = 0.0321;
    await db.run(sql`UPDATE intent_phrasings SET loo_other = ${mark} WHERE intent_id IN (SELECT id FROM intents WHERE workspace_id = ${x.workspaceId})`);
    // What `npm run migrate` runs after the migrations, here for these two workspaces only.
    await calibrateUncalibrated(db, [x.workspaceId, y.workspaceId]);
    expect((await figures(y)).filter((r) => r.own === null || r.other === null)).toEqual([]);
    expect((await figures(x)).every((r) => r.other === mark)).toBe(true);
  });
});
