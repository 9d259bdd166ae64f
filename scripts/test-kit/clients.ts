import { newId } from "@tandem/protocol";
import { inject } from "vitest";
import WebSocket from "ws";
import { createDb } from "../../worker/src/db/client";
import { addOperator, createWorkspace } from "../../worker/src/workspaces/create-workspace";

/** The stack the global setup started. */
export function stack() {
  return inject("stack");
}

/** The same database behind a Worker configured as in production: default rate limits, no loopback URLs. */
export function strictStack() {
  return inject("strict");
}

/** Direct access to the test run's libSQL, for checking what was really stored. */
export function database() {
  return createDb({ LIBSQL_URL: stack().libsqlUrl });
}

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

/** A fresh workspace with an owner, a second operator and a site, through the same code the seed uses. */
export async function createTenant(label = "Tenant") {
  const tag = newId().toLowerCase();
  const password = "correct horse battery staple";
  const owner = { email: `owner-${tag}@example.test`, name: `${label} Owner`, password };
  const created = await createWorkspace(database(), { name: `${label} ${tag}`, owner, site: { name: `${label} site` } });
  const second = { email: `agent-${tag}@example.test`, name: `${label} Agent`, password };
  const agent = await addOperator(database(), created.workspaceId, second);
  return { ...created, owner: { ...owner, id: created.ownerId }, agent: { ...second, id: agent.id } };
}

export type Operator = Awaited<ReturnType<typeof signIn>>;

/** Signs in over HTTP and returns a client that sends the session cookie, as the dashboard would. */
export async function signIn(email: string, password: string) {
  const { url } = stack();
  const response = await fetch(`${url}/api/ops/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get("set-cookie")!.split(";")[0];
  const { operator } = (await response.json()) as { operator: { id: string; name: string; workspaceId: string; sessionId: string } };
  return {
    ...operator,
    cookie,
    /** Same-origin request with the session cookie. */
    request(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      headers.set("cookie", cookie);
      headers.set("origin", url);
      if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
      return fetch(`${url}${path}`, { ...init, headers });
    },
  };
}

export type Visitor = Awaited<ReturnType<typeof startVisitor>>;

/** A customer's browser: a visitor token from the widget API, and requests that carry it. */
export async function startVisitor(siteKey: string, options: { url?: string; headers?: Record<string, string> } = {}) {
  const url = options.url ?? stack().url;
  const response = await fetch(`${url}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify({ siteKey }),
  });
  if (response.status !== 200) throw new Error(`session failed: ${response.status} ${await response.text()}`);
  const { token, visitorId } = (await response.json()) as { token: string; visitorId: string };
  const request = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) if (!headers.has(name)) headers.set(name, value);
    headers.set("authorization", `Bearer ${token}`);
    if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
    return fetch(`${url}${path}`, { ...init, headers });
  };
  return {
    token,
    visitorId,
    request,
    async createConversation(context: Record<string, unknown> = { url: "https://shop.example/pricing" }) {
      const created = await request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ context }) });
      if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
      return ((await created.json()) as { conversation: { id: string } }).conversation.id;
    },
  };
}

// Loosely typed on purpose: tests assert on the shape with expect().toMatchObject.
type Frame = { type: string; [key: string]: any };

/** A raw WebSocket to a room that records every frame, for tests that check the wire itself. */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;
  #waiters: Array<() => void> = [];

  /** `actor` sends the header only the Worker may set, to prove a client cannot. */
  constructor(path: string, options: { cookie?: string; origin?: string; actor?: string; url?: string } = {}) {
    const url = options.url ?? stack().url;
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin) headers.origin = options.origin;
    if (options.actor) headers["x-tandem-actor"] = options.actor;
    this.ws = new WebSocket(url.replace(/^http/, "ws") + path, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("error", reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first recorded frame, from index `from` on, that matches; waits for it. */
  async next(match: (frame: Frame) => boolean, options: { from?: number; timeoutMs?: number } = {}): Promise<Frame> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const found = this.frames.slice(options.from ?? 0).find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no matching frame within ${options.timeoutMs ?? 10_000} ms; got ${JSON.stringify(this.frames)}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}

/** Opens a room socket and replays from `after`; resolves once the room says the conversation state (live from then on). */
export async function joinConversation(conversationId: string, auth: { token?: string; cookie?: string; url?: string }, after = 0) {
  const query = auth.token ? `?token=${encodeURIComponent(auth.token)}` : "";
  const socket = new TestSocket(`/parties/conversation/${conversationId}${query}`, { cookie: auth.cookie, url: auth.url });
  await socket.opened;
  socket.send({ type: "resume", after });
  await socket.next((f) => f.type === "conversation" || f.type === "error");
  return socket;
}

/** Sends one message and waits for its ack. */
export async function say(socket: TestSocket, body: string, clientMsgId = newId()) {
  const from = socket.frames.length;
  socket.send({ type: "send", clientMsgId, body });
  const ack = await socket.next((f) => f.clientMsgId === clientMsgId && (f.type === "ack" || f.type === "error"), { from });
  return ack as { type: "ack" | "error"; seq: number; code?: string };
}

/** A customer who writes, so their conversation leaves the bot and waits in the queue. */
export async function customerWrites(siteKey: string, text = "Can a human help me?") {
  const visitor = await startVisitor(siteKey);
  const id = await visitor.createConversation();
  const socket = await joinConversation(id, { token: visitor.token });
  await say(socket, text);
  await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
  await socket.close();
  return { id, visitor };
}

/** Polls `condition` until it holds; fails with `what()` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
