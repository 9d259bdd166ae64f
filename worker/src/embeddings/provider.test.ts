import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeVector, startFakeEmbeddings } from "../../../scripts/test-kit/fake-embeddings";
import { embeddingsUrl, embedTexts, retryAfterMs, type EmbeddingsConfig } from "./provider";

// The embeddings client against the fake OpenAI-compatible server on
// 127.0.0.1 (scripts/test-kit/fake-embeddings.ts), in each of its moods.

let fake: Awaited<ReturnType<typeof startFakeEmbeddings>>;
let config: EmbeddingsConfig;
const local = { policy: { allowLoopback: true }, timeoutMs: 2000 };

beforeAll(async () => {
  fake = await startFakeEmbeddings();
  config = { provider: "openai", url: fake.url, key: "sk-emb", model: "fake-bge", timeoutMs: 800 };
});
afterAll(() => fake.stop());

describe("the embeddings provider", () => {
  it("embeds texts in order, 1024 float32s each, with the workspace's key and model", async () => {
    fake.setMode("ok");
    const result = await embedTexts(config, ["How much is delivery?", "Opening times"], local);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.vectors.map((v) => v.length)).toEqual([1024, 1024]);
    expect(Array.from(result.vectors[1]).slice(0, 8)).toEqual(Array.from(Float32Array.from(fakeVector("Opening times"))).slice(0, 8));
    expect(fake.requests.at(-1)).toMatchObject({ inputs: ["How much is delivery?", "Opening times"], model: "fake-bge", authorization: "Bearer sk-emb" });
    expect(embeddingsUrl(`${fake.url}/embeddings/`)).toBe(`${fake.url}/embeddings`);
  });

  it("says what went wrong: a 500, a 429 with when to come back, nonsense, the wrong dimension count", async () => {
    fake.setMode("500");
    expect(await embedTexts(config, ["x"], local)).toEqual({ ok: false, permanent: false, error: "the provider answered 500: model server exploded" });
    fake.setMode("429");
    expect(await embedTexts(config, ["x"], local)).toEqual({ ok: false, error: "the provider answered 429: slow down", rateLimited: true, retryAfterMs: 0 });
    fake.setMode("bad-json");
    expect(await embedTexts(config, ["x"], local)).toEqual({ ok: false, error: "the provider's answer is not an embeddings list" });
    fake.setMode("dims");
    const dims = await embedTexts(config, ["x"], local);
    expect(dims).toMatchObject({ ok: false, permanent: true });
    expect(!dims.ok && dims.error).toMatch(/gives vectors of 384 dimensions; Tandem stores 1024/);
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
  });

  it("reads no more of an answer than a batch's vectors need, and no more of an error than it shows", async () => {
    // Bodies that never end: read whole, they would run into the timeout (or the memory).
    fake.setMode("endless-error");
    const error = await embedTexts(config, ["x"], { ...local, timeoutMs: 10_000 });
    expect(error).toMatchObject({ ok: false, permanent: false, error: expect.stringMatching(/^the provider answered 500: model server exploded 0\.0123456789/) });
    expect(!error.ok && error.error.length).toBeLessThanOrEqual(330);
    fake.setMode("endless-json");
    const huge = await embedTexts(config, ["x", "y"], { ...local, timeoutMs: 10_000 });
    expect(huge).toEqual({ ok: false, error: "the provider's answer is larger than 320 KiB for 2 texts" });
    fake.setMode("ok");
    // A whole batch of 32 fits.
    const batch = await embedTexts(config, Array.from({ length: 32 }, (_, i) => `text number ${i}`), local);
    expect(batch.ok && batch.vectors.length).toBe(32);
  });

  it("gives up at the timeout on a provider that never answers", async () => {
    fake.setMode("hang");
    expect(await embedTexts(config, ["x"], { ...local, timeoutMs: 200 })).toEqual({ ok: false, error: "no answer within 200 ms" });
    fake.setMode("ok");
  });

  it("never sends a text to a URL the deployment refuses, and needs the AI binding for Workers AI", async () => {
    const before = fake.requests.length;
    const refused = await embedTexts(config, ["x"], { ...local, policy: { allowLoopback: false } });
    expect(refused).toMatchObject({ ok: false, permanent: true });
    expect(fake.requests.length).toBe(before);
    const noBinding = await embedTexts({ ...config, provider: "workers-ai", model: "" }, ["x"], local);
    expect(noBinding).toMatchObject({ ok: false, permanent: true, error: expect.stringMatching(/no Workers AI binding/) });
  });

  it("takes Workers AI's answer through the binding, with bge-m3 by default", async () => {
    const calls: string[] = [];
    const ai = { run: async (model: string, inputs: { text: string[] }) => (calls.push(model), { shape: [inputs.text.length, 1024], data: inputs.text.map((t) => fakeVector(t)) }) };
    const result = await embedTexts({ ...config, provider: "workers-ai", model: "" }, ["a", "b"], { ...local, ai });
    expect(result.ok && result.vectors.length).toBe(2);
    expect(calls).toEqual(["@cf/baai/bge-m3"]);
    const slow = { run: () => new Promise<unknown>(() => {}) };
    expect(await embedTexts({ ...config, provider: "workers-ai" }, ["a"], { ...local, ai: slow, timeoutMs: 100 })).toEqual({ ok: false, error: "no answer within 100 ms" });
  });
});
