import { and, eq, sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database, signIn, stack, until } from "../../../scripts/test-kit/clients";
import { startFakeEmbeddings } from "../../../scripts/test-kit/fake-embeddings";
import { embeddingsPath, embeddingsStatus, fakeProvider, SMALL_BASE_TEXTS, smallBaseTenant, untilStatus } from "../../../scripts/test-kit/semantic-kit";
import { json } from "../../../scripts/test-kit/team-kit";
import { startWranglerDev } from "../../../scripts/wrangler-dev";
import { intents, phrasingVectors, workspaces } from "../db/schema";

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
    .select({ text: phrasingVectors.text, status: phrasingVectors.status, attempts: phrasingVectors.attempts, error: phrasingVectors.error, bytes: sql<number>`length(vector)` })
    .from(phrasingVectors)
    .where(eq(phrasingVectors.workspaceId, workspaceId));

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
    const [calibration] = await database().select({ c: workspaces.semanticCalibration }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId));
    expect(calibration.c).toMatchObject({ model: "fake-bge", fit: { a: expect.any(Number) }, reason: null });

    // A phrasing added (as from the unanswered list): pending, then embedded; the others are not asked for again.
    const [refund] = await database().select({ id: intents.id }).from(intents).where(and(eq(intents.workspaceId, tenant.workspaceId), eq(intents.key, "refund")));
    const before = fake.inputs().length;
    expect((await admin.request(`/api/ops/knowledge/${refund.id}/phrasings`, json("POST", { lang: "en", text: "Can I have a refund?" }))).status).toBe(201);
    const after = await untilStatus(admin, (s) => s.embedded === 13);
    expect(after.pending).toBe(0);
    expect(fake.inputs().slice(before)).toEqual(["Can I have a refund?"]);
    // And the calibration is made again for the base as it is now.
    const current = async () => {
      const [w] = await database().select({ version: workspaces.knowledgeVersion, c: workspaces.semanticCalibration }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId));
      return (w.c as { version?: number } | null)?.version === w.version;
    };
    await until(current, 30_000, () => "the calibration of the changed base");
    expect((await embeddingsStatus(admin)).status).toMatchObject({ active: true, reason: null });
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

  it("honours a 429, and marks a model with the wrong dimension count failed at once with a clear error", async () => {
    const { admin } = await smallBaseTenant("Embedder limits");
    fake.setMode("429");
    const before = fake.requests.length;
    await admin.request(embeddingsPath, json("PUT", fakeProvider(fake.url)));
    await until(() => fake.requests.length - before >= 2, 30_000, () => "a second try after the 429");
    fake.setMode("ok");
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
});
