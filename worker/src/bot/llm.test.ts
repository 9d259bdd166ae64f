import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askModel, completionsUrl } from "./llm";

// A small OpenAI-compatible server on 127.0.0.1, started by the test, stands
// in for the workspace's model: it answers, says it does not know, fails,
// talks nonsense or hangs, as each path asks.

type Seen = { path: string; authorization?: string; body: any };
const seen: Seen[] = [];
let behaviour: (request: Seen, response: ServerResponse) => void;
let base: string;
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let raw = "";
  request.on("data", (chunk) => (raw += chunk));
  request.on("end", () => {
    const entry = { path: request.url ?? "", authorization: request.headers.authorization, body: JSON.parse(raw || "null") };
    seen.push(entry);
    behaviour(entry, response);
  });
});

const reply = (content: string | null) => (_: Seen, response: ServerResponse) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ choices: [{ message: { role: "assistant", content } }] }));
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

// The fake listens on loopback: allowed here as in the local stack; production's rules have their own test.
const local = { allowLoopback: true };

const knowledge = [
  { name: "Delivery time", answer: "We deliver in 2–3 working days across Ukraine." },
  { name: "Returns", answer: "Returns are free within 14 days." },
];

describe("the optional language model", () => {
  it("answers from the knowledge base, in the customer's language, with the workspace's key and model", async () => {
    behaviour = reply("  Доставка займає 2–3 робочі дні.  ");
    const answer = await askModel({ url: base, key: "sk-test", model: "tiny-1" }, "скільки їде посилка?", "uk", knowledge, local);
    expect(answer).toEqual({ ok: true, answer: "Доставка займає 2–3 робочі дні." });
    const request = seen.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.authorization).toBe("Bearer sk-test");
    expect(request.body.model).toBe("tiny-1");
    expect(request.body.messages[0].content).toContain("Ukrainian");
    expect(request.body.messages[0].content).toContain("Returns are free within 14 days.");
    expect(request.body.messages[1]).toEqual({ role: "user", content: "скільки їде посилка?" });
  });

  it("takes a full endpoint URL as well, and sends no key when none is set", async () => {
    behaviour = reply("Sure.");
    expect(completionsUrl(`${base}/chat/completions/`)).toBe(`${base}/chat/completions`);
    await askModel({ url: `${base}/chat/completions`, model: "tiny-1" }, "hi", "en", knowledge, local);
    expect(seen.at(-1)!.path).toBe("/v1/chat/completions");
    expect(seen.at(-1)!.authorization).toBeUndefined();
  });

  it("hands over when the model does not know, fails, or answers nonsense", async () => {
    const config = { url: base, model: "tiny-1" };
    behaviour = reply("NO_ANSWER");
    expect(await askModel(config, "what is the meaning of life?", "en", knowledge, local)).toEqual({ ok: false, reason: "no_answer" });
    behaviour = reply(null);
    expect(await askModel(config, "?", "en", knowledge, local)).toEqual({ ok: false, reason: "no_answer" });
    behaviour = (_, response) => response.writeHead(500).end("upstream down");
    expect(await askModel(config, "?", "en", knowledge, local)).toEqual({ ok: false, reason: "failed" });
    behaviour = (_, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"unexpected": true}');
    expect(await askModel(config, "?", "en", knowledge, local)).toEqual({ ok: false, reason: "failed" });
    behaviour = (_, response) => response.writeHead(200, { "content-type": "application/json" }).end("not json");
    expect(await askModel(config, "?", "en", knowledge, local)).toEqual({ ok: false, reason: "failed" });
    expect(await askModel({ url: "http://127.0.0.1:1/v1", model: "x" }, "?", "en", knowledge, local)).toEqual({ ok: false, reason: "failed" });
  });

  it("never sends the knowledge to a URL the deployment refuses, nor follows a redirect", async () => {
    const before = seen.length;
    expect(await askModel({ url: base, model: "tiny-1" }, "?", "en", knowledge, { allowLoopback: false })).toEqual({ ok: false, reason: "failed" });
    expect(seen.length).toBe(before);
    behaviour = (_, response) => response.writeHead(307, { location: "http://10.0.0.1/v1/chat/completions" }).end();
    expect(await askModel({ url: base, model: "tiny-1" }, "?", "en", knowledge, local)).toEqual({ ok: false, reason: "failed" });
    expect(seen.length).toBe(before + 1);
  });

  it("gives up on a slow model at the set time", async () => {
    behaviour = () => {}; // never answers
    const answer = await askModel({ url: base, model: "tiny-1", timeoutMs: 300 }, "hello?", "ru", knowledge, local);
    expect(answer).toEqual({ ok: false, reason: "timeout" });
  });
});
