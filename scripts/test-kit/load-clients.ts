import WebSocket from "ws";

// Light clients for a stack at any URL (the counted stack, the benchmark's):
// no schema parsing per frame, so that hundreds of them in one Node process
// cost the machine as little as they can.

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** A customer's browser: a visitor token, and conversations opened with it. */
export async function openVisitor(baseUrl: string, siteKey: string) {
  const response = await postJson(`${baseUrl}/api/widget/session`, { siteKey });
  if (response.status !== 200) throw new Error(`session failed: ${response.status} ${await response.text()}`);
  const { token, visitorId } = (await response.json()) as { token: string; visitorId: string };
  return {
    token,
    visitorId,
    async createConversation(): Promise<string> {
      const created = await postJson(`${baseUrl}/api/widget/conversations`, { context: {} }, { authorization: `Bearer ${token}` });
      if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
      return ((await created.json()) as { conversation: { id: string } }).conversation.id;
    },
  };
}

/** An operator signed in over HTTP: the session cookie, and same-origin requests that carry it. */
export async function signInOperator(baseUrl: string, email: string, password: string) {
  const response = await postJson(`${baseUrl}/api/ops/login`, { email, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get("set-cookie")!.split(";")[0];
  const { operator } = (await response.json()) as { operator: { id: string; name: string } };
  return {
    ...operator,
    cookie,
    request(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      headers.set("cookie", cookie);
      headers.set("origin", baseUrl);
      if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
      return fetch(`${baseUrl}${path}`, { ...init, headers });
    },
  };
}

// Loosely typed on purpose, like the test kit's TestSocket.
export type Frame = { type: string; [key: string]: any };

/**
 * A raw WebSocket to a conversation room. With `record`, keeps every frame
 * (parsed) for `next`; without, only calls `onText` listeners with the raw text.
 */
export class RoomSocket {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly frames: Frame[] = [];
  #listeners: ((text: string) => void)[] = [];
  /** How the socket closed, once it has. */
  closedWith: { code: number; reason: string } | null = null;
  #waiters: (() => void)[] = [];

  constructor(baseUrl: string, conversationId: string, auth: { token?: string; cookie?: string }, options: { record?: boolean } = {}) {
    const query = auth.token ? `?token=${encodeURIComponent(auth.token)}` : "";
    const headers: Record<string, string> = auth.cookie ? { cookie: auth.cookie } : {};
    this.ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/parties/conversation/${conversationId}${query}`, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("error", reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once("close", (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
        for (const wake of this.#waiters.splice(0)) wake();
      }),
    );
    // A socket that fails later reports through `closed`; without a listener `ws` would throw.
    this.ws.on("error", () => undefined);
    const record = options.record ?? true;
    this.ws.on("message", (data) => {
      const text = data.toString();
      if (record) this.frames.push(JSON.parse(text) as Frame);
      for (const listener of this.#listeners) listener(text);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Calls `listener` with each frame's raw text; returns how to stop. */
  onText(listener: (text: string) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  send(frame: unknown) {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first recorded frame from index `from` on that matches; waits for it. */
  async next(match: (frame: Frame) => boolean, options: { from?: number; timeoutMs?: number } = {}): Promise<Frame> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    let seen = options.from ?? 0;
    for (;;) {
      const found = this.frames.slice(seen).find(match);
      if (found) return found;
      seen = this.frames.length;
      const closed = this.closedWith && `closed ${this.closedWith.code} ${this.closedWith.reason}`;
      if (closed || Date.now() > deadline) {
        throw new Error(`no matching frame ${closed ?? `within ${timeoutMs} ms`}; last frames ${JSON.stringify(this.frames.slice(-5))}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  }

  /** Resumes from `after` and waits until the room says the conversation's state: live from then on. */
  async join(after = 0) {
    await this.opened;
    const live = new Promise<void>((resolve, reject) => {
      const stop = this.onText((text) => {
        if (text.startsWith('{"type":"conversation"')) resolve(stop());
        else if (text.startsWith('{"type":"error"')) reject(new Error(`join refused: ${text}`));
      });
    });
    this.send({ type: "resume", after });
    await live;
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}
