import { and, eq, sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database, signIn, stack, until, type Operator } from "../../../scripts/test-kit/clients";
import { startFakeEmbeddings } from "../../../scripts/test-kit/fake-embeddings";
import { embeddingsPath, embeddingsStatus, fakeProvider, SMALL_BASE, SMALL_BASE_TEXTS, smallBaseTenant, untilStatus } from "../../../scripts/test-kit/semantic-kit";
import { json } from "../../../scripts/test-kit/team-kit";
import type { EmbeddingsAnswer } from "@tandem/protocol";
import { startWranglerDev } from "../../../scripts/wrangler-dev";
import { intents, phrasingVectors, workspaces } from "../db/schema";
import { syncVectors } from "./store";

// The embedder (issue 19) on the real stack: a workspace's phrasings get
// vectors in the background after every change, failures are retried and
// end visibly failed with the provider's words, and nothing pending is lost
// when the Worker goes away. The provider is the fake on 127.0.0.1.

let fake: Awaited<ReturnType<typeof startFakeEmbeddings>>;

beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(() => fake.stop());

const rows = (workspaceId: string) =>
  database()
    .select({
      text: phrasingVectors.text,
      status: phrasingVectors.status,
      attempts: phrasingVectors.attempts,
      error: phrasingVectors.error,
      bytes: sql<number>`length(vector)`,
      looAt: phrasingVectors.looAt,
    })
    .from(phrasingVectors)
    .where(eq(phrasingVectors.workspaceId, workspaceId));

/** Ten intents of four phrasings: more texts than one request of 32 takes. */
const BIG_BASE = {
  version: 1 as const,
  intents: Array.from({ length: 10 }, (_, i) => ({
    key: `topic-${i}`,
    name: `Topic ${i}`,
    phrasings: { en: [0, 1, 2, 3].map((j) => `Question ${j} about topic number ${i}`) },
    answer: { en: `Answer ${i}` },
  })),
};
const BIG_TEXTS = 40;

async function bigBaseTenant(label: string) {
  const made = await smallBaseTenant(label);
  expect((await made.admin.request("/api/ops/knowledge/import?mode=replace", json("POST", BIG_BASE))).status).toBe(200);
  return made;
}

const calibrationOf = async (workspaceId: string) =>
  (await database().select({ c: workspaces.semanticCalibration }).from(workspaces).where(eq(workspaces.id, workspaceId)))[0];

/** Until the calibration has been checked against the knowledge base's current version (the status page wakes the embedder). */
async function untilCurrent(admin: Operator, workspaceId: string) {
  await until(
    async () => {
      await embeddingsStatus(admin);
      const [w] = await database().select({ version: workspaces.knowledgeVersion, c: workspaces.semanticCalibration }).from(workspaces).where(eq(workspaces.id, workspaceId));
      return (w.c as { checkedVersion?: number } | null)?.checkedVersion === w.version;
    },
    30_000,
    () => "the calibration checked against the current version",
  );
}

describe("the embedder", () => {
  it("embeds every phrasing after the provider is switched on, and a new phrasing after it is added", async () => {
    fake.setMode("ok");
    const { tenant, admin } = await smallBaseTenant("Embedder");
    const off = await embeddingsStatus(admin);
    expect(off.embeddings).toMatchObject({ enabled: false });
    expect(off.status).toMatchObject({ active: false, reason: "the semantic tier is off", phrasings: SMALL_BASE_TEXTS.length });

    const saved = await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url)));
    expect(saved.status).toBe(200);
    // The key is write-only.
    expect(JSON.stringify(await saved.json())).not.toContain("sk-fake");
    const ready = await untilStatus(admin, (s) => s.active);
    expect(ready).toMatchObject({ phrasings: 12, embedded: 12, pending: 0, failed: 0, lastError: null, reason: null });
    const stored = await rows(tenant.workspaceId);
    expect(stored.every((r) => r.status === "embedded" && r.bytes === 4096)).toBe(true);
    for (const text of SMALL_BASE_TEXTS) expect(fake.inputs()).toContain(text);
    const calibration = await calibrationOf(tenant.workspaceId);
    expect(calibration.c).toMatchObject({ model: "fake-bge", fit: { a: expect.any(Number) }, reason: null });

    // A knowledge version bump that changes no vector and no intent (an operator accepting a suggestion, an answer
    // edited): the embedder checks the stamp and compares nothing again.
    const looAt = async () => new Map((await rows(tenant.workspaceId)).map((r) => [r.text, r.looAt]));
    const calibrated = await looAt();
    expect([...calibrated.values()].every((at) => at !== null)).toBe(true);
    const asked = fake.requests.length;
    await database().update(workspaces).set({ knowledgeVersion: sql`knowledge_version + 1` }).where(eq(workspaces.id, tenant.workspaceId));
    await untilCurrent(admin, tenant.workspaceId);
    expect(await looAt()).toEqual(calibrated);
    expect((await calibrationOf(tenant.workspaceId)).c).toEqual({ ...(calibration.c as object), checkedVersion: expect.any(Number) });
    expect(fake.requests.length).toBe(asked);

    // A phrasing added (as from the unanswered list): pending, then embedded; the others are not asked for again.
    const [refund] = await database().select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, tenant.workspaceId), eq(intents.key, "refund")));
    const before = fake.inputs().length;
    expect((await admin.request(`/api/ops/knowledge/${refund.id}/phrasings`, json("POST", { lang: "en", text: "Can I have a refund?" }))).status).toBe(201);
    const after = await untilStatus(admin, (s) => s.embedded === 13);
    expect(after.pending).toBe(0);
    expect(fake.inputs().slice(before)).toEqual(["Can I have a refund?"]);
    // And the calibration is made again for the base as it is now: the refund intent's texts compared again, no other.
    const refundTexts = [...SMALL_BASE.intents.find((i) => i.key === "refund")!.phrasings.en, "Can I have a refund?"];
    await until(
      async () => {
        await embeddingsStatus(admin);
        const [w] = await database().select({ version: workspaces.knowledgeVersion, c: workspaces.semanticCalibration }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId));
        const now = await looAt();
        return (w.c as { checkedVersion?: number }).checkedVersion === w.version && refundTexts.every((t) => (now.get(t) ?? 0) > (calibrated.get(t) ?? 0));
      },
      30_000,
      () => "the calibration of the changed base",
    );
    const recalibrated = await looAt();
    for (const [text, at] of calibrated) if (!refundTexts.includes(text)) expect(recalibrated.get(text), text).toBe(at);
    expect((await calibrationOf(tenant.workspaceId)).c).toMatchObject({ fit: { a: expect.any(Number) }, reason: null, own: 13, other: 13 });
    expect((await embeddingsStatus(admin)).status).toMatchObject({ active: true, reason: null });

    // Nothing differs now: bringing the rows in line with the base reads, and writes nothing.
    let batches = 0;
    const db = database();
    const counting = new Proxy(db, {
      get(target, name) {
        const value = Reflect.get(target, name);
        if (name === "batch") return (...args: unknown[]) => (batches++, (value as (...a: unknown[]) => unknown).apply(target, args));
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect(await syncVectors(counting, tenant.workspaceId, "fake-bge", Date.now())).toBe(0);
    expect(batches).toBe(0);
  });

  it("retries a failing provider, ends visibly failed with its error, and embeds on the retry button", async () => {
    fake.setMode("500");
    const { tenant, admin } = await smallBaseTenant("Embedder failing");
    const before = fake.requests.length;
    await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url)));
    const failed = await untilStatus(admin, (s) => s.failed === 12);
    expect(failed).toMatchObject({ embedded: 0, pending: 0, active: false, lastError: "the provider answered 500: model server exploded" });
    // Five tries of the whole base (12 texts, one batch), then no more.
    expect(fake.requests.length - before).toBe(5);
    expect((await rows(tenant.workspaceId)).every((r) => r.status === "failed" && r.attempts === 5 && r.bytes === null)).toBe(true);

    fake.setMode("ok");
    const retried = await admin.request(`${embeddingsPath}/retry`, { method: "POST" });
    expect(retried.status).toBe(200);
    expect(await untilStatus(admin, (s) => s.active)).toMatchObject({ embedded: 12, failed: 0 });
  });

  it("backs off the provider as a whole: one that keeps failing is asked five times for more than a batch of texts", async () => {
    fake.setMode("500");
    const { tenant, admin } = await bigBaseTenant("Embedder failing big");
    const before = fake.requests.length;
    await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url)));
    // The page polls all along (untilStatus), waking the embedder: no poll brings a try forward.
    const failed = await untilStatus(admin, (s) => s.failed === BIG_TEXTS);
    expect(failed).toMatchObject({ embedded: 0, pending: 0, lastError: "the provider answered 500: model server exploded" });
    expect(fake.requests.length - before).toBe(5);
    expect((await rows(tenant.workspaceId)).every((r) => r.status === "failed" && r.attempts === 5)).toBe(true);

    // New settings (another key, the same model) queue the failed texts again: no retry button needed.
    fake.setMode("ok");
    expect((await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url, { key: "sk-renewed" })))).status).toBe(200);
    expect(await untilStatus(admin, (s) => s.embedded === BIG_TEXTS)).toMatchObject({ failed: 0, pending: 0 });
    expect(fake.requests.at(-1)?.authorization).toBe("Bearer sk-renewed");
  });

  it("waits out a 429's Retry-After with every text, without counting it as a try", async () => {
    fake.setMode("429", { retryAfter: "2" });
    const { tenant, admin } = await bigBaseTenant("Embedder 429");
    const before = fake.requests.length;
    await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url)));
    await until(
      async () => {
        await embeddingsStatus(admin);
        return fake.requests.length - before >= 2;
      },
      30_000,
      () => "a second try after the 429",
    );
    const [first, second] = fake.requests.slice(before);
    // Retry-After: 2 — the next batch waited too, and the page's polling did not hurry it.
    expect(second.at - first.at).toBeGreaterThanOrEqual(1900);
    expect((await rows(tenant.workspaceId)).every((r) => r.status === "pending" && r.attempts === 0)).toBe(true);
    fake.setMode("ok");
    expect(await untilStatus(admin, (s) => s.embedded === BIG_TEXTS)).toMatchObject({ failed: 0, pending: 0 });
  });

  it("marks a model with the wrong dimension count failed at once with a clear error", async () => {
    const { admin } = await smallBaseTenant("Embedder limits");
    fake.setMode("ok");
    await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url)));
    expect(await untilStatus(admin, (s) => s.active)).toMatchObject({ embedded: 12 });

    // Another model: every vector is wanted again, and this one answers 384 numbers.
    fake.setMode("dims");
    await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url, { model: "small-384" })));
    const wrong = await untilStatus(admin, (s) => s.failed === 12);
    expect(wrong.lastError).toMatch(/the model "small-384" gives vectors of 384 dimensions; Tandem stores 1024/);
    expect(wrong).toMatchObject({ active: false, embedded: 0 });

    fake.setMode("bad-json");
    await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url, { model: "fake-bge" })));
    const nonsense = await untilStatus(admin, (s) => s.failed === 12);
    expect(nonsense.lastError).toBe("the provider's answer is not an embeddings list");
    fake.setMode("ok");
  });

  it("refuses a URL the deployment would not call, and Workers AI where the deployment has no binding", async () => {
    const { tenant, admin } = await smallBaseTenant("Embedder settings");
    const refused = await admin.request(embeddingsPath, json("PUT", fakeProvider("https://10.0.0.5/v1")));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).error.message).toMatch(/^url: 10\.0\.0\.5 is a private address/);
    const workersAi = await admin.request(embeddingsPath, json("PUT", { enabled: true, provider: "workers-ai", url: "", model: "", timeoutMs: 800 }));
    expect(workersAi.status).toBe(400);
    expect(((await workersAi.json()) as any).error.message).toMatch(/no Workers AI binding/);
    expect((await embeddingsStatus(admin)).status.workersAi).toBe(false);
    // The stored key goes to the URL's origin only: another host gets it only when it is typed again.
    const keyOf = async () => ((await database().select({ e: workspaces.embeddings }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId)))[0].e as { key?: string }).key;
    const save = async (settings: Record<string, unknown>) => {
      const response = await admin.request(embeddingsPath, json("PUT", { ...fakeProvider(fake.url), enabled: false, ...settings }));
      expect(response.status).toBe(200);
      return ((await response.json()) as any).embeddings.keySet as boolean;
    };
    expect(await save({})).toBe(true);
    expect(await save({ url: `${fake.url}/embeddings`, key: undefined })).toBe(true);
    expect(await keyOf()).toBe("sk-fake");
    expect(await save({ url: "http://127.0.0.1:9/v1", key: undefined })).toBe(false);
    expect(await keyOf()).toBeUndefined();
    expect(await save({ url: fake.url, key: "sk-typed-again" })).toBe(true);
    expect(await keyOf()).toBe("sk-typed-again");
    // Admins only: an operator may not even read it.
    const operator = await signIn(tenant.agent.email, tenant.agent.password);
    expect((await operator.request(embeddingsPath)).status).toBe(403);
  });

  it("loses nothing pending when the Worker goes away mid-request: another one finishes the work", async () => {
    const persist = (name: string) => mkdtempSync(join(tmpdir(), `tandem-embedder-${name}-`));
    const dirs = [persist("first"), persist("second")];
    const vars = { LIBSQL_URL: stack().libsqlUrl, TANDEM_SECRET: "embedder-test-secret", TANDEM_ENV: "development", ALLOW_LOOPBACK_URLS: "true", EMBEDDING_RETRY_MS: "50" };
    let worker = await startWranglerDev({ vars, persistTo: dirs[0], assetsDir: process.env.TANDEM_DIST });
    try {
      const { tenant } = await smallBaseTenant("Embedder restart");
      fake.setMode("hang");
      const before = fake.requests.length;
      // Sessions live in libSQL: the cookie signed in on the main stack works on these Workers too.
      const admin = await signIn(tenant.owner.email, tenant.owner.password);
      const viaFirst = (path: string, init: RequestInit = {}) => fetch(`${worker.url}${path}`, { ...init, headers: { cookie: admin.cookie, origin: worker.url, "content-type": "application/json" } });
      expect((await viaFirst(embeddingsPath, json("PUT", fakeProvider(fake.url)))).status).toBe(200);
      await until(() => fake.requests.length > before, 30_000, () => "the first Worker's request to the provider");
      // The Worker goes away while its embedder waits on the provider; its Durable Object storage with it.
      await worker.stop();
      expect((await rows(tenant.workspaceId)).every((r) => r.status === "pending")).toBe(true);

      fake.setMode("ok");
      worker = await startWranglerDev({ vars, persistTo: dirs[1], assetsDir: process.env.TANDEM_DIST });
      const viaSecond = (path: string) => fetch(`${worker.url}${path}`, { headers: { cookie: admin.cookie, origin: worker.url } });
      await until(
        async () => ((await (await viaSecond(embeddingsPath)).json()) as any).status.active === true,
        30_000,
        () => "the second Worker finishing the vectors",
      );
      expect((await rows(tenant.workspaceId)).every((r) => r.status === "embedded")).toBe(true);
    } finally {
      await worker.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes new settings at once while a request with the old ones is out, and switches the tier off above the size it searches", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tandem-embedder-settings-"));
    // A long back-off (10 minutes): nothing here may wait on it. And a search bound under the small base's 12 texts.
    const vars = {
      LIBSQL_URL: stack().libsqlUrl,
      TANDEM_SECRET: "embedder-test-secret",
      TANDEM_ENV: "development",
      ALLOW_LOOPBACK_URLS: "true",
      EMBEDDING_RETRY_MS: "600000",
      EMBEDDING_MAX_VECTORS: "10",
    };
    const worker = await startWranglerDev({ vars, persistTo: dir, assetsDir: process.env.TANDEM_DIST });
    try {
      const { tenant } = await smallBaseTenant("Embedder new settings");
      const admin = await signIn(tenant.owner.email, tenant.owner.password);
      const via = (path: string, init: RequestInit = {}) => fetch(`${worker.url}${path}`, { ...init, headers: { cookie: admin.cookie, origin: worker.url, "content-type": "application/json" } });
      const status = async () => ((await (await via(embeddingsPath)).json()) as EmbeddingsAnswer).status;
      fake.setMode("hang");
      const before = fake.requests.length;
      expect((await via(embeddingsPath, json("PUT", fakeProvider(fake.url)))).status).toBe(200);
      await until(() => fake.requests.length > before, 30_000, () => "the request with the first settings");
      // New settings while that request is out; then it fails. Its failure was the old settings': the new ones go at once.
      expect((await via(embeddingsPath, json("PUT", fakeProvider(fake.url, { key: "sk-second" })))).status).toBe(200);
      fake.setMode("ok");
      let last: EmbeddingsAnswer["status"] | null = null;
      await until(async () => (last = await status()).embedded === 12, 30_000, () => `the vectors with the new settings: ${JSON.stringify(last)}`);
      expect(fake.requests.at(-1)?.authorization).toBe("Bearer sk-second");
      // 12 vectors, more than this deployment searches for a message: the tier is off, and says why.
      await until(async () => (last = await status()).reason !== "the vectors are being computed", 30_000, () => JSON.stringify(last));
      expect(last).toMatchObject({ active: false, reason: expect.stringMatching(/^the knowledge base has more than 10 phrasings with vectors/) });
    } finally {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
