import { createConnection, createServer, type Socket } from "node:net";

export type CutMode = "network" | "server-close";

type Pair = {
  client: Socket;
  upstream: Socket;
  frames: ServerFrameBoundary;
  atBoundary: boolean;
  /** The client's upgrade request line, to tell whose connection this is. */
  request: string;
  /** Let the request through, then lose its answer. */
  loseAnswer: boolean;
};

/**
 * Tracks where frames start in the server→client byte stream of a WebSocket
 * (after the HTTP upgrade), so a close frame can be slipped in between two
 * frames rather than in the middle of one. Server frames are never masked.
 */
class ServerFrameBoundary {
  headerDone = false;
  #buffer = Buffer.alloc(0);
  #remaining = 0;

  /** Feeds bytes going to the client; returns true when they end exactly on a frame boundary. */
  feed(chunk: Buffer): boolean {
    let data = Buffer.concat([this.#buffer, chunk]);
    this.#buffer = Buffer.alloc(0);
    if (!this.headerDone) {
      const end = data.indexOf("\r\n\r\n");
      if (end < 0) {
        this.#buffer = data;
        return false;
      }
      this.headerDone = true;
      data = data.subarray(end + 4);
    }
    while (data.length > 0) {
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, data.length);
        this.#remaining -= take;
        data = data.subarray(take);
        continue;
      }
      if (data.length < 2) break;
      let length = data[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (data.length < 4) break;
        length = data.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (data.length < 10) break;
        length = Number(data.readBigUInt64BE(2));
        offset = 10;
      }
      this.#remaining = length;
      data = data.subarray(offset);
    }
    this.#buffer = data;
    return this.headerDone && this.#remaining === 0 && this.#buffer.length === 0;
  }
}

/** A close frame from "the server": 1001 going away, as when a room restarts. */
const GOING_AWAY = Buffer.from([0x88, 0x02, 0x03, 0xe9]);

/**
 * A TCP proxy on 127.0.0.1, in front of the Worker or of sqld. It can cut a
 * live WebSocket, abruptly (both sockets destroyed, as on a dead network) or
 * as a server-side close (the client gets a real Close frame, the server
 * loses the connection), and it can lose the answer to one request.
 */
export async function startChaosProxy(targetPort: number) {
  const pairs = new Set<Pair>();
  let cuts = 0;
  let loseAnswerTo: string | null = null;
  let dropRequestWith: { marker: string; afterMs: number } | null = null;
  const server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    const pair: Pair = { client, upstream, frames: new ServerFrameBoundary(), atBoundary: false, request: "", loseAnswer: false };
    pairs.add(pair);
    upstream.on("data", (chunk: Buffer) => {
      if (pair.loseAnswer) return drop();
      pair.atBoundary = pair.frames.feed(chunk);
      client.write(chunk);
    });
    client.on("data", (chunk: Buffer) => {
      if (!pair.request) pair.request = chunk.toString("latin1").split("\r\n")[0];
      if (dropRequestWith && chunk.includes(dropRequestWith.marker)) {
        // Never forwarded: the server gets half a request, then the connection goes.
        setTimeout(drop, dropRequestWith.afterMs);
        dropRequestWith = null;
        return;
      }
      if (loseAnswerTo && chunk.includes(loseAnswerTo)) {
        pair.loseAnswer = true;
        loseAnswerTo = null;
      }
      upstream.write(chunk);
    });
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", drop);
    upstream.on("close", drop);
    client.on("error", drop);
    upstream.on("error", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    get cuts() {
      return cuts;
    },
    /** The next request that carries `marker` never reaches the server: its connection is lost after `afterMs`. */
    dropRequestWith(marker: string, afterMs = 0) {
      dropRequestWith = { marker, afterMs };
    },
    /** The next request that carries `marker` reaches the server, but its answer never comes back. */
    loseAnswerTo(marker: string) {
      loseAnswerTo = marker;
    },
    /**
     * Cuts the newest established WebSocket whose request line matches (an
     * older one may still be closing after a client's close), waiting for one
     * to be open if it is reconnecting. False if none opened in time.
     */
    async cut(mode: CutMode, match: (requestLine: string) => boolean, timeoutMs = 5000): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pair = [...pairs].reverse().find((p) => p.frames.headerDone && match(p.request));
        if (pair) {
          cuts++;
          pairs.delete(pair);
          if (mode === "server-close" && pair.atBoundary) pair.client.end(GOING_AWAY);
          else pair.client.destroy();
          pair.upstream.destroy();
          return true;
        }
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    async stop() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
