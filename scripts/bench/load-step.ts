import { newId } from "@tandem/protocol";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { CountedStack } from "../test-kit/counted-stack";
import { RoomSocket } from "../test-kit/load-clients";
import type { LoadCustomer, LoadTenant } from "./load-setup";
import { checkStored, countStatuses } from "./load-stored";
import { treeCpuMs } from "./process-cpu";
import { summarize, type Summary } from "./stats";

export type StepOptions = { customers: number; seconds: number; periodMs: number; mode: "assigned" | "bot" };

/** The bot's pass asks what the demo base answers, in turn. */
const QUESTIONS = [
  "How long does delivery take?",
  "How much is delivery?",
  "Do you have pick-up points?",
  "How can I pay?",
  "What time do you open?",
  "What is the warranty?",
  "How do I choose my size?",
  "Do you have any discounts?",
];

/** Probes after the load, and the message number they start at (far above any load message's). */
const PROBES = 10;
const PROBE = 1_000_000;

type Sent = { customer: number; k: number; at: number; frame: string };

/** Percent of one core used over `ms` of wall time. */
const percent = (cpuMs: number, ms: number) => Math.round((cpuMs / ms) * 100);

/**
 * One step of the load: `customers` customers, each writing every
 * `periodMs` for `seconds` (their starts spread over one period), each
 * message timed from its send to the operator's socket in its conversation.
 * Then the backlog drains, a probe measures the latency after the load, and
 * libSQL says what it stored.
 */
export async function runLoadStep(stack: CountedStack, tenant: LoadTenant, options: StepOptions) {
  const { customers: count, seconds, periodMs, mode } = options;
  const customers = await tenant.setUp(count, mode);
  const sent = new Map<string, Sent>();
  const acked = new Set<string>();
  const delivered = new Map<string, number>();
  const lastK = new Int32Array(count).fill(-1);
  const latencies: number[] = [];
  const probes: number[] = [];
  const errors: Record<string, number> = {};
  let botReplies = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  let putOff = 0;
  let closes = 0;
  let closing = false;

  // Per customer: the highest seq acked to them, and the highest seen on their operator's socket
  // (where a reconnect resumes from, as ConversationSync does).
  const lastAcked = new Int32Array(count);
  const lastSeen = new Int32Array(count);
  let reconnects = 0;
  let pagesSkipped = 0;

  const see = (c: LoadCustomer, message: { seq: number; clientMsgId: string; authorKind: string }) => {
    lastSeen[c.index] = Math.max(lastSeen[c.index]!, message.seq);
    const mine = sent.get(message.clientMsgId);
    if (!mine) return void (message.authorKind === "bot" && botReplies++);
    const times = (delivered.get(message.clientMsgId) ?? 0) + 1;
    delivered.set(message.clientMsgId, times);
    if (times > 1) return void duplicated++;
    (mine.k >= PROBE ? probes : latencies).push(performance.now() - mine.at);
    if (mine.k < lastK[mine.customer]!) {
      outOfOrder++;
      if (process.env.BENCH_LOAD_DEBUG) console.log(`delivered out of order: customer ${mine.customer} k ${mine.k} after ${lastK[mine.customer]} seq ${message.seq}`);
    }
    else lastK[mine.customer] = mine.k;
  };

  // The hot path: a prefix test on the raw text, one JSON.parse, no schema.
  const watchOperator = (c: LoadCustomer) => {
    c.operator.onText((text) => {
      if (text.startsWith('{"type":"message"')) return see(c, (JSON.parse(text) as { message: Parameters<typeof see>[1] }).message);
      if (!text.startsWith('{"type":"history"')) return;
      // After a reconnect: what was missed (a page at most; the dashboard reads older pages over HTTP).
      const history = JSON.parse(text) as { messages: Parameters<typeof see>[1][]; older: boolean };
      if (history.older) pagesSkipped++;
      for (const message of history.messages) see(c, message);
    });
    void c.operator.closed.then(() => reopen(c, "operator"));
  };
  const watchCustomer = (c: LoadCustomer) => {
    c.customer.onText((text) => {
      if (text.startsWith('{"type":"ack"')) {
        const ack = JSON.parse(text) as { clientMsgId: string; seq: number };
        acked.add(ack.clientMsgId);
        lastAcked[c.index] = Math.max(lastAcked[c.index]!, ack.seq);
      } else if (text.startsWith('{"type":"error"')) {
        const error = JSON.parse(text) as { code: string; clientMsgId?: string; retryAfterMs?: number };
        errors[error.code] = (errors[error.code] ?? 0) + 1;
        const message = error.clientMsgId && sent.get(error.clientMsgId);
        // Put off (rate limit, busy room): sent again when told, as ConversationSync does.
        if (message && (error.code === "rate_limited" || error.code === "busy")) {
          putOff++;
          setTimeout(() => write(c, message.frame), error.retryAfterMs ?? 1000);
        }
      }
    });
    void c.customer.closed.then(() => reopen(c, "customer"));
  };
  // Sockets waiting for their resume's answer (debugging a step's stragglers), and why joins failed.
  const joining = new Map<string, number>();
  const joinErrors = new Map<string, number>();
  // Customers between a reconnect and their outbox's resend: a new message waits for the older ones.
  const reopening = new Set<number>();
  const write = (c: LoadCustomer, frame: string) => {
    if (reopening.has(c.index)) return;
    try {
      c.customer.ws.send(frame);
    } catch {
      // Not open (reconnecting): it goes with the outbox once the socket is back.
    }
  };

  /**
   * A socket closed under the load (the room asked its clients to reconnect,
   * say): back after a moment, resumed from the last seq, and for the
   * customer every message not acked yet sent again in order, as the real
   * clients' outbox does. Without this, "lost" would count the bench's
   * own give-ups.
   */
  const reopen = async (c: LoadCustomer, side: "customer" | "operator") => {
    if (closing) return;
    closes++;
    await new Promise((r) => setTimeout(r, 250 + Math.random() * 500));
    if (closing) return;
    const socket = new RoomSocket(stack.url, c.conversationId, side === "customer" ? { token: c.token } : { cookie: c.cookie }, { record: false });
    joining.set(`${side}:${c.index}`, Date.now());
    if (side === "customer") reopening.add(c.index);
    c[side] = socket;
    if (side === "customer") watchCustomer(c);
    else watchOperator(c);
    try {
      await socket.join(side === "customer" ? lastAcked[c.index] : lastSeen[c.index]);
    } catch (error) {
      // Refused or closed again: its close brings the next try.
      joining.delete(`${side}:${c.index}`);
      if (process.env.BENCH_LOAD_DEBUG) joinErrors.set(String(error).slice(0, 60), (joinErrors.get(String(error).slice(0, 60)) ?? 0) + 1);
      socket.ws.close();
      return;
    }
    joining.delete(`${side}:${c.index}`);
    reconnects++;
    if (side !== "customer") return;
    // Everything not acked, in the order sent, before anything new (as ConversationSync's connected() does).
    reopening.delete(c.index);
    for (const [id, message] of sent) if (message.customer === c.index && !acked.has(id)) write(c, message.frame);
  };

  for (const c of customers) {
    watchOperator(c);
    watchCustomer(c);
  }

  const send = (c: LoadCustomer, k: number, body: string) => {
    const clientMsgId = newId();
    const frame = JSON.stringify({ type: "send", clientMsgId, body });
    sent.set(clientMsgId, { customer: c.index, k, at: performance.now(), frame });
    write(c, frame);
    return clientMsgId;
  };

  const counter = stack.counter;
  await counter?.reset();
  const cpu = { client: process.cpuUsage(), ...cpuOfStack(stack) };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();

  // Customer i sends at i·(period / customers) into each period: one slot at a time, on schedule.
  const started = performance.now();
  const interval = periodMs / count;
  const slots = Math.floor((seconds * 1000) / interval);
  let slot = 0;
  let lagMax = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (slot < slots && started + slot * interval <= now) {
        lagMax = Math.max(lagMax, now - (started + slot * interval));
        const k = Math.floor(slot / count);
        send(customers[slot % count], k, mode === "bot" ? QUESTIONS[(k + slot) % QUESTIONS.length] : `load message ${k}`);
        slot++;
      }
      if (slot >= slots) return resolve();
      setTimeout(tick, Math.max(0, started + slot * interval - performance.now()));
    };
    tick();
  });
  const window = performance.now() - started;
  const atEnd = (await counter?.counts()) ?? null;
  const cpuAtEnd = { client: process.cpuUsage(cpu.client), ...cpuOfStack(stack) };
  loop.disable();

  // Drain: everything sent is acked and at the operator's socket, or the wait gives up.
  const drainStarted = performance.now();
  const drainLimit = 60_000 + slots * 10;
  while ((acked.size < sent.size || delivered.size < sent.size) && performance.now() - drainStarted < drainLimit) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const drainMs = performance.now() - drainStarted;
  const afterDrain = (await counter?.counts()) ?? null;

  const messages = sent.size;

  // After the load: one message at a time, as people would write.
  for (let i = 0; i < PROBES; i++) {
    const id = send(customers[i % count], PROBE + i, `probe ${i}`);
    const deadline = performance.now() + 30_000;
    while (!delivered.has(id) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  }

  if (process.env.BENCH_LOAD_DEBUG) {
    const missing = new Map<number, number>();
    for (const [id, m] of sent) if (!delivered.has(id)) missing.set(m.customer, (missing.get(m.customer) ?? 0) + 1);
    for (const [index, n] of missing) {
      const c = customers[index]!;
      const since = (side: string) => joining.get(`${side}:${index}`);
      const ago = (t?: number) => (t ? `joining for ${Math.round((Date.now() - t) / 1000)} s` : "not joining");
      console.log(
        `customer ${index}: ${n} not at the operator; operator socket ${c.operator.ws.readyState} ${ago(since("operator"))}, last seq seen ${lastSeen[index]};` +
          ` customer socket ${c.customer.ws.readyState} ${ago(since("customer"))}, reopening ${reopening.has(index)}`,
      );
    }
    console.log("join failures:", JSON.stringify([...joinErrors]));
  }
  const stored = await checkStored(stack.libsqlUrl, customers, sent);
  const statuses = await countStatuses(stack.libsqlUrl, customers);
  closing = true;
  for (const c of customers) {
    c.customer.ws.close();
    c.operator.ws.close();
  }

  return {
    ...options,
    sent: sent.size,
    acked: acked.size,
    delivered: delivered.size,
    stored: stored.count,
    lost: sent.size - stored.count,
    undelivered: stored.count - delivered.size,
    duplicated: duplicated + stored.duplicated,
    outOfOrder: outOfOrder + stored.outOfOrder,
    /** Of those, stored in another order than sent (the rest reached the operator out of order). */
    storedOutOfOrder: stored.outOfOrder,
    putOff,
    botReplies,
    statuses,
    errors,
    closes,
    reconnects,
    pagesSkipped,
    latency: latencies.length ? summarize(latencies) : null,
    probe: probes.length ? summarize(probes) : null,
    probesLost: PROBES - probes.length,
    drainMs,
    sendLagMaxMs: lagMax,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    writesPerSecond: atEnd ? atEnd.writes / (window / 1000) : null,
    readsPerSecond: atEnd ? atEnd.reads / (window / 1000) : null,
    writesPerMessage: afterDrain ? afterDrain.writes / messages : null,
    libsqlErrors: afterDrain?.errors ?? null,
    cpu: {
      client: percent((cpuAtEnd.client.user + cpuAtEnd.client.system) / 1000, window),
      worker: percent(cpuAtEnd.worker - cpu.worker, window),
      sqld: percent(cpuAtEnd.sqld - cpu.sqld, window),
      counter: percent(cpuAtEnd.counter - cpu.counter, window),
    },
  };
}

export type StepResult = Awaited<ReturnType<typeof runLoadStep>> & { latency: Summary | null };

function cpuOfStack(stack: CountedStack) {
  return {
    worker: treeCpuMs(stack.pids.worker),
    sqld: treeCpuMs(stack.pids.sqld),
    counter: stack.pids.counter ? treeCpuMs(stack.pids.counter) : 0,
  };
}
