import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, signIn, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { json, member } from "../../../scripts/test-kit/team-kit";
import { DEMO } from "../../../scripts/seed";
import { BOT_TEXT_KEYS } from "@tandem/protocol";
import { workspaces } from "../db/schema";
import { loadKnowledge } from "../knowledge";

const demo = readFileSync(join(import.meta.dirname, "../bot/demo/knowledge-base.json"), "utf8");

let x: Tenant;
let y: Tenant;
let owner: Operator;
let admin: Operator;
let operator: Operator;
let stranger: Operator;
let sales: string;

const intent = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: `Intent ${key}`,
  phrasings: { ru: ["Сколько стоит доставка?"], uk: ["Скільки коштує доставка?"], en: ["How much is delivery?"] },
  answer: { ru: "150 ₽", uk: "80 ₴", en: "$5" },
  ...extra,
});
const create = (by: Operator, body: unknown) => by.request("/api/ops/knowledge", json("POST", body));
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;
const version = async (tenant: Tenant) =>
  (await database().select({ v: workspaces.knowledgeVersion }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId)))[0].v;

beforeAll(async () => {
  [x, y] = await Promise.all([createTenant("Knowledge"), createTenant("Other")]);
  owner = await signIn(x.owner.email, x.owner.password);
  [admin, operator] = await Promise.all([member(x, "admin"), member(x, "operator")]);
  stranger = await signIn(y.owner.email, y.owner.password);
  const response = await owner.request("/api/ops/team/groups", json("POST", { name: "Sales" }));
  sales = ((await response.json()) as { group: { id: string } }).group.id;
});

describe("knowledge base API", () => {
  it("creates, reads, updates, toggles and deletes an intent, bumping the version each time", async () => {
    const v0 = await version(x);
    const created = await create(admin, intent("delivery-cost", { groupId: sales, buttons: [{ label: { en: "A person" }, operator: true }] }));
    expect(created.status).toBe(201);
    const { intent: made } = (await created.json()) as { intent: any };
    expect(made).toMatchObject({ key: "delivery-cost", enabled: true, groupId: sales, phrasings: { en: ["How much is delivery?"] }, answer: { en: "$5" } });
    expect(await version(x)).toBe(v0 + 1);

    // An operator reads (the prompter needs it) but cannot write.
    const list = (await (await operator.request("/api/ops/knowledge")).json()) as { version: number; intents: any[] };
    expect(list.version).toBe(v0 + 1);
    expect(list.intents.map((i) => i.key)).toEqual(["delivery-cost"]);
    expect((await operator.request(`/api/ops/knowledge/${made.id}`)).status).toBe(200);
    expect((await create(operator, intent("mine"))).status).toBe(403);
    expect((await operator.request(`/api/ops/knowledge/${made.id}`, json("PUT", intent("delivery-cost")))).status).toBe(403);
    expect((await operator.request(`/api/ops/knowledge/${made.id}/enabled`, json("PUT", { enabled: false }))).status).toBe(403);
    expect((await operator.request(`/api/ops/knowledge/${made.id}`, { method: "DELETE" })).status).toBe(403);
    expect((await operator.request("/api/ops/knowledge/export")).status).toBe(403);
    expect((await operator.request("/api/ops/knowledge/import", json("POST", { version: 1, intents: [] }))).status).toBe(403);

    const edited = await admin.request(`/api/ops/knowledge/${made.id}`, json("PUT", intent("delivery-cost", { name: "Cost", phrasings: { en: ["Shipping price", "Is shipping free?"] } })));
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { intent: any }).intent).toMatchObject({ name: "Cost", groupId: null, phrasings: { en: ["Shipping price", "Is shipping free?"] } });

    const off = await admin.request(`/api/ops/knowledge/${made.id}/enabled`, json("PUT", { enabled: false }));
    expect(((await off.json()) as { intent: any }).intent.enabled).toBe(false);
    const added = await admin.request(`/api/ops/knowledge/${made.id}/phrasings`, json("POST", { lang: "uk", text: "Доставка платна?" }));
    expect(added.status).toBe(201);
    expect(((await added.json()) as { intent: any }).intent.phrasings.uk).toEqual(["Доставка платна?"]);

    // What the bot's rooms load: the matcher's shape plus the answer.
    const loaded = await loadKnowledge(database(), x.workspaceId);
    expect(loaded.version).toBe(v0 + 4);
    expect(loaded.intents[0]).toMatchObject({ id: made.id, enabled: false, fallback: "$5", phrasings: [{ lang: "en", text: "Shipping price" }, { lang: "en", text: "Is shipping free?" }, { lang: "uk", text: "Доставка платна?" }] });

    expect((await admin.request(`/api/ops/knowledge/${made.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await admin.request(`/api/ops/knowledge/${made.id}`)).status).toBe(404);
    expect(await version(x)).toBe(v0 + 5);
  });

  it("refuses bad input with a 4xx and a message", async () => {
    const refused = async (response: Promise<Response>, status: number, message: RegExp) => {
      const r = await response;
      expect(r.status).toBe(status);
      expect((await errorOf(r)).message).toMatch(message);
    };
    await refused(create(admin, intent("Bad Key")), 400, /key is lowercase latin letters/);
    await refused(create(admin, intent("no-phrasings", { phrasings: { en: [] } })), 400, /at least one phrasing/);
    await refused(create(admin, intent("blank", { phrasings: { en: ["  "] } })), 400, /phrasing is empty/);
    await refused(create(admin, intent("long", { answer: { en: "x".repeat(2001) } })), 400, /longer than 2000/);
    await refused(create(admin, intent("no-answer", { answer: {} })), 400, /answer needs at least one language/);
    await refused(create(admin, intent("lost", { buttons: [{ label: { en: "Go" }, intent: "nowhere" }] })), 400, /leads to "nowhere"/);
    await refused(create(admin, intent("both", { buttons: [{ label: { en: "Go" }, intent: "both", operator: true }] })), 400, /either "intent" or "operator"/);
    await refused(create(admin, intent("fields", { collect: [{ field: "age", prompt: { en: "Age?" } }] })), 400, /name, email, phone or order/);
    await refused(create(admin, intent("group", { groupId: "01JZZZZZZZZZZZZZZZZZZZZZZZ" })), 400, /no such group/);
    await refused(admin.request(`/api/ops/knowledge/x/enabled`, json("PUT", { enabled: "yes" })), 400, /enabled must be true or false/);

    expect((await create(admin, intent("returns"))).status).toBe(201);
    await refused(create(admin, intent("returns")), 409, /key "returns" is already used/);
    // A button to itself is fine; a key others point at cannot change or go.
    const made = (await (await create(admin, intent("refund", { buttons: [{ label: { en: "Returns" }, intent: "returns" }] }))).json()) as { intent: any };
    const list = (await (await admin.request("/api/ops/knowledge")).json()) as { intents: any[] };
    const returns = list.intents.find((i) => i.key === "returns");
    await refused(admin.request(`/api/ops/knowledge/${returns.id}`, { method: "DELETE" }), 409, /has a button to "returns"/);
    await refused(admin.request(`/api/ops/knowledge/${returns.id}`, json("PUT", intent("returns-2"))), 409, /has a button to "returns"/);
    expect((await admin.request(`/api/ops/knowledge/${made.intent.id}`, { method: "DELETE" })).status).toBe(200);
  });

  it("answers 404 for another workspace's intents and sites", async () => {
    const made = (await (await create(admin, intent("private"))).json()) as { intent: { id: string } };
    const id = made.intent.id;
    expect((await stranger.request(`/api/ops/knowledge/${id}`)).status).toBe(404);
    expect((await stranger.request(`/api/ops/knowledge/${id}`, json("PUT", intent("private")))).status).toBe(404);
    expect((await stranger.request(`/api/ops/knowledge/${id}/enabled`, json("PUT", { enabled: false }))).status).toBe(404);
    expect((await stranger.request(`/api/ops/knowledge/${id}/phrasings`, json("POST", { lang: "en", text: "hi" }))).status).toBe(404);
    expect((await stranger.request(`/api/ops/knowledge/${id}`, { method: "DELETE" })).status).toBe(404);
    expect((await stranger.request(`/api/ops/knowledge/sites/${x.siteId}/bot`)).status).toBe(404);
    expect((await stranger.request(`/api/ops/knowledge/sites/${x.siteId}/bot`, json("PUT", {}))).status).toBe(404);
    const theirs = (await (await stranger.request("/api/ops/knowledge")).json()) as { intents: unknown[] };
    expect(theirs.intents).toEqual([]);
    expect((await fetch(`${new URL((await stranger.request("/api/ops/knowledge")).url).origin}/api/ops/knowledge`)).status).toBe(401);
    // The same key may live in both workspaces.
    expect((await create(stranger, intent("private"))).status).toBe(201);
    const mine = await admin.request(`/api/ops/knowledge/${id}`);
    expect(((await mine.json()) as { intent: any }).intent.key).toBe("private");
  });

  it("imports the demo base, exports it, and the export round-trips byte for byte", async () => {
    const tenant = await createTenant("Import");
    const boss = await signIn(tenant.owner.email, tenant.owner.password);
    const importFile = (body: string, mode = "replace") =>
      boss.request(`/api/ops/knowledge/import?mode=${mode}`, { method: "POST", body, headers: { "content-type": "application/json" } });

    // The demo names groups this workspace does not have yet: all or nothing.
    const noGroups = await importFile(demo);
    expect(noGroups.status).toBe(400);
    expect((await errorOf(noGroups)).message).toMatch(/there is no group named "(Sales|Support)"/);
    expect(((await (await boss.request("/api/ops/knowledge")).json()) as { intents: unknown[] }).intents).toEqual([]);
    for (const name of ["Sales", "Support"]) await boss.request("/api/ops/team/groups", json("POST", { name }));

    const imported = await importFile(demo);
    expect(imported.status).toBe(200);
    const count = (JSON.parse(demo) as { intents: unknown[] }).intents.length;
    expect(await imported.json()).toMatchObject({ created: count, updated: 0, deleted: 0 });

    const exported = await boss.request("/api/ops/knowledge/export");
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="knowledge-base.json"');
    const first = await exported.text();
    expect(JSON.parse(first)).toEqual(JSON.parse(demo));
    expect((await importFile(first)).status).toBe(200);
    const again = await (await boss.request("/api/ops/knowledge/export")).text();
    expect(again).toBe(first);

    // Merge: one changed, one new; replace with one intent removes the rest.
    const file = JSON.parse(first) as { version: 1; intents: any[] };
    const changed = { ...file.intents[0], name: "Renamed" };
    const extra = { ...file.intents[0], key: "brand-new", buttons: [] };
    const merged = await importFile(JSON.stringify({ version: 1, intents: [changed, extra] }), "merge");
    expect(await merged.json()).toMatchObject({ created: 1, updated: 1, deleted: 0 });
    const replaced = await importFile(JSON.stringify({ version: 1, intents: [extra] }), "replace");
    expect(await replaced.json()).toMatchObject({ created: 0, updated: 1, deleted: count });
    const left = (await (await boss.request("/api/ops/knowledge")).json()) as { intents: any[] };
    expect(left.intents.map((i) => i.key)).toEqual(["brand-new"]);
  });

  it("refuses a bad import with a message naming the place, and changes nothing", async () => {
    const tenant = await createTenant("Bad import");
    const boss = await signIn(tenant.owner.email, tenant.owner.password);
    const importFile = (body: unknown, mode = "merge") => boss.request(`/api/ops/knowledge/import?mode=${mode}`, json("POST", body));
    const good = { ...intent("a"), enabled: true };
    const cases: [unknown, RegExp][] = [
      [{ version: 2, intents: [] }, /version must be 1/],
      [{ version: 1, intents: [good, good] }, /key "a" appears twice/],
      [{ version: 1, intents: [good, { ...good, key: "b", phrasings: { ru: [""] } }] }, /intents\.1 \(b\)\.phrasings\.ru\.0: a phrasing is empty/],
      [{ version: 1, intents: [{ ...good, buttons: [{ label: { en: "x" }, intent: "c" }] }] }, /intent "a": a button leads to "c"/],
      [{ version: 1, intents: [{ ...good, surprise: 1 }] }, /surprise/i],
    ];
    for (const [body, message] of cases) {
      const response = await importFile(body);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toMatch(message);
    }
    expect((await importFile({ version: 1, intents: [] }, "sideways")).status).toBe(400);
    const notJson = await boss.request("/api/ops/knowledge/import", { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(((await (await boss.request("/api/ops/knowledge")).json()) as { intents: unknown[] }).intents).toEqual([]);
    // Far over any limit: refused before it is read.
    const huge = await boss.request("/api/ops/knowledge/import", { method: "POST", body: "x".repeat(5 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it("takes an import well over the API's usual 64 KiB", async () => {
    const tenant = await createTenant("Big import");
    const boss = await signIn(tenant.owner.email, tenant.owner.password);
    const many = Array.from({ length: 300 }, (_, i) => ({
      ...intent(`topic-${i}`),
      enabled: true,
      phrasings: { en: Array.from({ length: 8 }, (_, j) => `question ${j} about topic number ${i}, asked in a longer way`) },
    }));
    const body = JSON.stringify({ version: 1, intents: many });
    expect(body.length).toBeGreaterThan(64 * 1024);
    const response = await boss.request("/api/ops/knowledge/import?mode=replace", json("POST", { version: 1, intents: many }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ created: 300 });
    // Everywhere else the 64 KiB limit stands.
    const other = await boss.request("/api/ops/knowledge", json("POST", { ...intent("big"), phrasings: { en: ["x".repeat(70 * 1024)] } }));
    expect(other.status).toBe(413);
  });

  it("the seeded demo workspace carries the demo knowledge base", async () => {
    const demoOwner = await signIn(DEMO.email, DEMO.password);
    const { version, intents } = (await (await demoOwner.request("/api/ops/knowledge")).json()) as { version: number; intents: any[] };
    const file = JSON.parse(demo) as { intents: { key: string }[] };
    expect(intents.map((i) => i.key)).toEqual(file.intents.map((i) => i.key));
    expect(version).toBeGreaterThan(0);
    expect(intents.filter((i) => i.groupId !== null).length).toBeGreaterThan(0);
  });

  it("keeps a site's bot settings, for admins of its workspace only", async () => {
    const path = `/api/ops/knowledge/sites/${x.siteId}/bot`;
    const defaults = (await (await admin.request(path)).json()) as { bot: any };
    expect(defaults.bot).toEqual({ enabled: true, hours: {}, idleCloseMinutes: 30, reminderMinutes: 5, texts: {} });
    const bot = {
      enabled: true,
      hours: { timeZone: "Europe/Kyiv", days: { mon: [["09:00", "18:00"]] } },
      idleCloseMinutes: 20,
      reminderMinutes: 3,
      texts: { onTheWay: { ru: "Оператор уже идёт", en: "A person is on the way" } },
    };
    expect((await admin.request(path, json("PUT", bot))).status).toBe(200);
    const saved = (await (await owner.request(path)).json()) as { bot: any };
    expect(saved.bot).toMatchObject({ idleCloseMinutes: 20, texts: { onTheWay: { ru: "Оператор уже идёт" } }, hours: { days: { mon: [["09:00", "18:00"]], tue: [] } } });
    expect((await admin.request(path, json("PUT", { idleCloseMinutes: -1 }))).status).toBe(400);
    expect((await admin.request(path, json("PUT", { hours: { timeZone: "Mars/Base", days: {} } }))).status).toBe(400);
    expect((await operator.request(path)).status).toBe(403);
  });
});

describe("bot texts and the language model settings", () => {
  const llmOf = async (tenant: Tenant) => (await database().select({ llm: workspaces.llm }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId)))[0].llm;
  const path = "/api/ops/knowledge/model";
  const model = { enabled: true, url: "https://llm.example/v1", model: "small-1", timeoutMs: 3000 };

  it("keeps a site's wording of every bot text, and refuses an empty one", async () => {
    const sitePath = `/api/ops/knowledge/sites/${x.siteId}/bot`;
    const texts = Object.fromEntries(BOT_TEXT_KEYS.map((key) => [key, { uk: `Свій текст: ${key}` }]));
    expect((await admin.request(sitePath, json("PUT", { texts }))).status).toBe(200);
    const saved = (await (await admin.request(sitePath)).json()) as { bot: { texts: Record<string, unknown> } };
    expect(saved.bot.texts).toEqual(texts);
    const empty = await admin.request(sitePath, json("PUT", { texts: { person: { ru: "  " } } }));
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toMatch(/a text is empty/);
    expect(((await (await admin.request(sitePath)).json()) as { bot: { texts: unknown } }).bot.texts).toEqual(texts);
  });

  it("is off by default, and never sends the key back", async () => {
    const fresh = await createTenant("Model");
    const first = await (await signIn(fresh.owner.email, fresh.owner.password)).request(path);
    expect(await first.json()).toEqual({ model: { enabled: false, url: "", model: "", timeoutMs: 4000, keySet: false } });

    const put = await admin.request(path, json("PUT", { ...model, key: "sk-secret-one" }));
    expect(put.status).toBe(200);
    const text = await put.text();
    expect(text).not.toContain("sk-secret-one");
    expect(JSON.parse(text)).toEqual({ model: { ...model, keySet: true } });
    // Stored as the bot reads it (worker/src/bot/bot-context.ts).
    expect(await llmOf(x)).toEqual({ ...model, key: "sk-secret-one" });
    const got = await (await owner.request(path)).text();
    expect(got).not.toContain("sk-secret-one");
    expect(JSON.parse(got)).toEqual({ model: { ...model, keySet: true } });
  });

  it("keeps the stored key when a save leaves it out, replaces it with a new one, removes it on null", async () => {
    await admin.request(path, json("PUT", { ...model, key: "sk-secret-one" }));
    const kept = await admin.request(path, json("PUT", { ...model, model: "small-2", timeoutMs: 500 }));
    expect(((await kept.json()) as { model: unknown }).model).toEqual({ ...model, model: "small-2", timeoutMs: 500, keySet: true });
    expect(await llmOf(x)).toMatchObject({ model: "small-2", key: "sk-secret-one" });
    await admin.request(path, json("PUT", { ...model, key: "sk-secret-two" }));
    expect(await llmOf(x)).toMatchObject({ key: "sk-secret-two" });
    const removed = await admin.request(path, json("PUT", { ...model, enabled: false, key: null }));
    expect(((await removed.json()) as { model: { keySet: boolean } }).model.keySet).toBe(false);
    expect(await llmOf(x)).toEqual({ ...model, enabled: false });
  });

  it("refuses a bad URL, timeout or body with a sentence, changing nothing", async () => {
    await admin.request(path, json("PUT", { ...model, key: "sk-kept" }));
    const refused = async (body: unknown, message: RegExp) => {
      const response = await admin.request(path, json("PUT", body));
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBeTruthy();
      expect(error.message).toMatch(message);
    };
    await refused({ ...model, url: "ftp://llm.example/v1" }, /must start with http:\/\/ or https:\/\//);
    await refused({ ...model, url: "llm.example" }, /must start with http:\/\/ or https:\/\//);
    await refused({ ...model, url: "javascript:alert(1)" }, /must start with http/);
    await refused({ ...model, timeoutMs: 499 }, /at least 500 ms/);
    await refused({ ...model, timeoutMs: 20_001 }, /at most 20000 ms/);
    await refused({ ...model, timeoutMs: 1500.5 }, /whole number/);
    await refused({ ...model, timeoutMs: "3000" }, /number of milliseconds/);
    await refused({ ...model, url: "" }, /needs its URL and name/);
    await refused({ ...model, model: " " }, /needs its URL and name/);
    await refused({ ...model, key: "" }, /the key is empty/);
    await refused({ ...model, extra: 1 }, /./);
    await refused({ enabled: true }, /./);
    expect(await llmOf(x)).toEqual({ ...model, key: "sk-kept" });
    // Switched off, an endpoint need not be written yet.
    expect((await admin.request(path, json("PUT", { enabled: false, url: "", model: "", timeoutMs: 4000 }))).status).toBe(200);
    await admin.request(path, json("PUT", { ...model, key: "sk-kept" }));
  });

  it("is for admins of the workspace only: an operator is refused, another workspace's admin sees and changes only their own", async () => {
    expect((await operator.request(path)).status).toBe(403);
    expect((await operator.request(path, json("PUT", model))).status).toBe(403);
    const before = await llmOf(x);
    const theirs = await stranger.request(path);
    expect(((await theirs.json()) as { model: { keySet: boolean } }).model.keySet).toBe(false);
    expect((await stranger.request(path, json("PUT", { ...model, url: "https://other.example", key: "sk-other" }))).status).toBe(200);
    expect(await llmOf(x)).toEqual(before);
    expect(await llmOf(y)).toMatchObject({ url: "https://other.example", key: "sk-other" });
  });
});
