import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Words the fake model takes as one meaning: a paraphrase that shares none
 * of its words with a phrasing (so the lexical matcher misses it) still
 * lands next to it. Each maps to the root it stands for.
 */
const SYNONYMS: Record<string, string> = {
  courier: "deliv",
  couriers: "deliv",
  shipping: "deliv",
  postage: "deliv",
  charge: "cost",
  charges: "cost",
  fee: "cost",
  price: "cost",
  much: "cost",
  refund: "money",
  reimburse: "money",
  reimbursed: "money",
  cash: "money",
  staffed: "open",
  working: "open",
  hours: "open",
};

/** Words that carry no meaning here. */
const STOP = new Set(["the", "a", "an", "is", "are", "do", "does", "you", "your", "my", "i", "me", "to", "of", "for", "how", "what", "when", "will", "be", "it", "can", "get", "back", "on"]);

/** A word's root: its synonym's, else its first five letters (crude, and the same in every language). */
export function rootOf(word: string): string {
  const w = word.toLowerCase();
  return SYNONYMS[w] ?? w.slice(0, 5);
}

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** A deterministic unit vector: the hashed bag of the text's word roots, plus a faint trace of every word so no text is the zero vector. */
export function fakeVector(text: string, dimensions = 1024): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  for (const word of words) {
    const root = rootOf(word);
    const weight = STOP.has(word) ? 0.15 : 1;
    const h = hash(root);
    v[h % dimensions] += h & 0x80000000 ? -weight : weight;
  }
  v[hash(text) % dimensions] += 0.05;
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export type FakeMode = "ok" | "500" | "429" | "hang" | "dims" | "bad-json" | "endless-error" | "endless-json";

/**
 * An OpenAI-compatible embeddings server on 127.0.0.1 for the tests:
 * `POST /v1/embeddings` answers `fakeVector`s, or fails as `mode` says — a
 * 500, a 429 with Retry-After, no answer at all, vectors of 384
 * dimensions, a body that is not JSON, or a body that never ends (a 500's
 * or a 200's). It records each request's inputs and when it came.
 */
export async function startFakeEmbeddings() {
  const requests: { inputs: string[]; model: string; authorization?: string; at: number }[] = [];
  const hanging = new Set<ServerResponse>();
  let mode: FakeMode = "ok";
  let retryAfter = "0";
  /** Writes to `response` without end, until it is closed. */
  const endless = (response: ServerResponse, status: number, start: string) => {
    hanging.add(response);
    response.writeHead(status, { "content-type": status === 200 ? "application/json" : "text/plain" });
    response.write(start);
    const chunk = "0.0123456789, ".repeat(4096);
    const timer = setInterval(() => (response.destroyed ? clearInterval(timer) : response.write(chunk)), 5);
    response.on("close", () => clearInterval(timer));
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      let body: { input?: unknown; model?: unknown } = {};
      try {
        body = JSON.parse(raw || "{}");
      } catch {
        // The client under test always sends JSON; an empty body is answered as no input.
      }
      const inputs = Array.isArray(body.input) ? body.input.map(String) : typeof body.input === "string" ? [body.input] : [];
      requests.push({ inputs, model: String(body.model ?? ""), authorization: request.headers.authorization, at: Date.now() });
      if (request.url !== "/v1/embeddings") return response.writeHead(404).end("not found");
      if (mode === "500") return response.writeHead(500, { "content-type": "text/plain" }).end("model server exploded");
      if (mode === "429") return response.writeHead(429, { "retry-after": retryAfter, "content-type": "text/plain" }).end("slow down");
      if (mode === "hang") return void hanging.add(response);
      if (mode === "endless-error") return endless(response, 500, "model server exploded ");
      if (mode === "endless-json") return endless(response, 200, '{"object":"list","data":[{"index":0,"embedding":[');
      if (mode === "bad-json") return response.writeHead(200, { "content-type": "application/json" }).end("{not json");
      const dimensions = mode === "dims" ? 384 : 1024;
      const data = inputs.map((text, index) => ({ object: "embedding", index, embedding: fakeVector(text, dimensions) }));
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data, model: body.model }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    requests,
    /** Texts embedded so far, in order. */
    inputs: () => requests.flatMap((r) => r.inputs),
    /** `retryAfter` is what a 429 says in Retry-After (seconds); "0" unless told. */
    setMode(next: FakeMode, options: { retryAfter?: string } = {}) {
      mode = next;
      retryAfter = options.retryAfter ?? "0";
      if (next !== "hang") {
        for (const response of hanging) response.destroy();
        hanging.clear();
      }
    },
    async stop() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
