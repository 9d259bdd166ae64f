import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeEmbeddings } from "../../../../scripts/test-kit/fake-embeddings";
import type { Db } from "../../db/client";
import type { BotContext } from "../bot-context";
import { takeTurn } from "../bot-turn";
import { NEW_STATE, type BotIntent } from "../engine";
import type { Matcher } from "../matcher";
import { BREAKER_COOLDOWN_MS, BREAKER_FAILURES, semanticMatches, type SemanticSetup } from "./semantic-matches";

// When the bot's turn waits for the semantic tier, against the fake
// provider on 127.0.0.1: not when the words are already sure, not while a
// provider that keeps failing is in its cool-down, and never past the
// timeout. libSQL is never reached here (the provider fails first, or is
// not asked): the database is a stub that says so if it is.

let fake: Awaited<ReturnType<typeof startFakeEmbeddings>>;
beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(() => fake.stop());

const policy = { allowLoopback: true };
const noDb = new Proxy({}, { get: () => () => Promise.reject(new Error("libSQL was not to be asked")) }) as unknown as Db;
const setup = (workspaceId: string, timeoutMs = 800): SemanticSetup => ({
  workspaceId,
  config: { provider: "openai", url: fake.url, key: null, model: "fake-bge", timeoutMs },
  model: "fake-bge",
  fit: { a: 10, b: -5 },
});

/** A bot whose matcher answers `confidence` for the one intent, with the semantic tier on. */
function context(workspaceId: string, confidence: number): BotContext {
  const intent: BotIntent = { id: "hours", key: "hours", name: "Hours", enabled: true, answers: { en: "9 to 5" }, answer: "9 to 5", buttons: [], collect: [], groupId: null };
  const matcher: Matcher = { match: () => [{ intentId: "hours", confidence }], heldOut: () => [], touching: () => [], calibration: { answerAt: 0.5 } };
  return {
    state: NEW_STATE,
    configured: true,
    active: true,
    intents: new Map([["hours", intent]]),
    matcher,
    texts: { ru: {}, uk: {}, en: {} },
    operatorsOpen: true,
    idle: null,
    model: null,
    semantic: setup(workspaceId),
    embedderBehind: false,
    siteLang: null,
    pageLang: null,
  };
}

async function turn(workspaceId: string, confidence: number) {
  const c = context(workspaceId, confidence);
  const input = {
    text: "when are you open",
    lang: "en" as const,
    state: c.state,
    intents: c.intents,
    matcher: c.matcher,
    texts: c.texts,
    operatorsOpen: true,
    contact: { email: null, phone: null, name: null },
    hasModel: false,
  };
  return takeTurn({ context: c, input }, policy, { db: noDb, kick: () => {} });
}

describe("the semantic tier's place in the bot's turn", () => {
  it("is not asked when the words are already sure, and is when they are not", async () => {
    fake.setMode("500");
    const before = fake.requests.length;
    expect(await turn("ws-sure", 0.95)).toMatchObject({ kind: "reply", intentId: "hours" });
    expect(fake.requests.length).toBe(before);
    // Unsure words: the provider is asked; it fails, and the words decide alone.
    expect(await turn("ws-unsure", 0.6)).toMatchObject({ kind: "reply", intentId: "hours" });
    expect(fake.requests.length).toBe(before + 1);
    fake.setMode("ok");
  });

  it("skips a provider that failed several times in a row for a cool-down, then tries it once", async () => {
    fake.setMode("500");
    let clock = 1_000_000;
    const deps = { policy, now: () => clock };
    const failing = setup("ws-breaker");
    const before = fake.requests.length;
    for (let i = 0; i < BREAKER_FAILURES; i++) expect(await semanticMatches(noDb, failing, "x", deps)).toBeNull();
    expect(fake.requests.length - before).toBe(BREAKER_FAILURES);
    // Open: nobody waits on it, nothing is sent.
    expect(await semanticMatches(noDb, failing, "x", deps)).toBeNull();
    expect(fake.requests.length - before).toBe(BREAKER_FAILURES);
    // Another workspace's tier is not switched off by this one's provider.
    await semanticMatches(noDb, setup("ws-other"), "x", deps);
    expect(fake.requests.length - before).toBe(BREAKER_FAILURES + 1);
    // After the cool-down, one try; it fails, and the next cool-down is twice as long.
    clock += BREAKER_COOLDOWN_MS + 1;
    expect(await semanticMatches(noDb, failing, "x", deps)).toBeNull();
    expect(fake.requests.length - before).toBe(BREAKER_FAILURES + 2);
    clock += BREAKER_COOLDOWN_MS + 1;
    await semanticMatches(noDb, failing, "x", deps);
    expect(fake.requests.length - before).toBe(BREAKER_FAILURES + 2);
    clock += BREAKER_COOLDOWN_MS;
    await semanticMatches(noDb, failing, "x", deps);
    expect(fake.requests.length - before).toBe(BREAKER_FAILURES + 3);
    fake.setMode("ok");
  });

  it("gives up on a provider that hangs within its timeout", async () => {
    fake.setMode("hang");
    const started = Date.now();
    expect(await semanticMatches(noDb, setup("ws-hang", 300), "x", { policy })).toBeNull();
    // The bound: the timeout and a generous margin.
    expect(Date.now() - started).toBeLessThan(300 + 2000);
    fake.setMode("ok");
  });
});
