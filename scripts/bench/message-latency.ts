import { newId } from "@tandem/protocol";
import WebSocket from "ws";
import { summarize } from "./stats";

export type Pair = { sender: WebSocket; receiver: WebSocket };

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Opens two sockets. */
export async function openPair(senderUrl: string, receiverUrl: string, headers: { sender?: Record<string, string>; receiver?: Record<string, string> } = {}) {
  const [sender, receiver] = await Promise.all([open(senderUrl, headers.sender), open(receiverUrl, headers.receiver)]);
  return { sender, receiver };
}

/** Sends a room's resume and waits for the state frame that says the socket is live. */
export function joinRoom(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      if (!data.toString().startsWith('{"type":"conversation"')) return;
      socket.off("message", onMessage);
      resolve();
    };
    socket.on("message", onMessage);
    socket.send(JSON.stringify({ type: "resume", after: 0 }));
  });
}

/** Fails instead of hanging when a message never arrives. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not arrive in ${ms} ms`)), ms))]);
}

/**
 * Sends `count` messages one at a time and times each from `send` on one
 * socket to its arrival on the other. One in flight at a time: this is
 * latency, not throughput.
 */
export async function measureLatency(pair: Pair, count: number, warmup = 50) {
  const samples: number[] = [];
  let waiting: { id: string; started: number; resolve: () => void } | null = null;
  pair.receiver.on("message", (data) => {
    if (!waiting) return;
    const text = data.toString();
    if (text.includes(waiting.id)) {
      const elapsed = performance.now() - waiting.started;
      const done = waiting;
      waiting = null;
      samples.push(elapsed);
      done.resolve();
    }
  });
  for (let i = 0; i < warmup + count; i++) {
    const id = newId();
    const arrived = new Promise<void>((resolve) => (waiting = { id, started: performance.now(), resolve }));
    pair.sender.send(JSON.stringify({ type: "send", clientMsgId: id, body: `benchmark message ${i}` }));
    await withTimeout(arrived, 10_000, `message ${i}`);
    if (i === warmup - 1) samples.length = 0;
  }
  return summarize(samples);
}

/** Sends `count` messages back to back and times until the last one arrives. */
export async function measureBurst(pair: Pair, count: number) {
  const ids = Array.from({ length: count }, () => newId());
  const last = ids[ids.length - 1];
  const started = performance.now();
  const done = new Promise<void>((resolve) => {
    pair.receiver.on("message", (data) => {
      if (data.toString().includes(last)) resolve();
    });
  });
  for (const id of ids) pair.sender.send(JSON.stringify({ type: "send", clientMsgId: id, body: "burst" }));
  await withTimeout(done, 120_000, "the burst's last message");
  const seconds = (performance.now() - started) / 1000;
  return { count, seconds, perSecond: count / seconds };
}
