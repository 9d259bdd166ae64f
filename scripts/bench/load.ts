import { startCountedStack } from "../test-kit/counted-stack";
import { UNLIMITED } from "../test-kit/strict-worker";
import { directWorkerUrl } from "./direct-url";
import { createLoadTenant } from "./load-setup";
import { runLoadStep, type StepOptions, type StepResult } from "./load-step";
import { formatMs } from "./stats";

/** The product's target for this machine (issue "Holds up under load and abuse"). */
const TARGET_P99_MS = 250;

export type LoadOptions = {
  /** Customers in each step, e.g. [200, 400, 800]. */
  steps: number[];
  seconds: number;
  periodMs: number;
  /** Also a pass where the bot has the conversations, at this many customers (0: none). */
  botCustomers: number;
  /** Without the counter the Worker talks to sqld directly (no write requests per second). */
  counter: boolean;
  /**
   * Straight to the Worker, past wrangler dev's proxy, which production does
   * not have (see direct-url.ts); BENCH_LOAD_PROXY=1 goes through it, as
   * `npm start` does.
   */
  direct: boolean;
  assetsDir?: string;
  /** Where the stack's own output goes (BENCH_LOAD_LOG=1: stderr). */
  log?: (line: string) => void;
};

/** The load scenario's settings from BENCH_LOAD_* variables, with the issue's defaults. */
export function loadOptionsFromEnv(env = process.env): LoadOptions {
  const steps = (env.BENCH_LOAD_STEPS ?? "200,400,800").split(",").map(Number).filter((n) => n > 0);
  return {
    steps,
    seconds: Number(env.BENCH_LOAD_SECONDS ?? 60),
    periodMs: Number(env.BENCH_LOAD_PERIOD_MS ?? 2000),
    botCustomers: Number(env.BENCH_LOAD_BOT ?? 0),
    counter: env.BENCH_LOAD_COUNTER !== "off",
    direct: !env.BENCH_LOAD_PROXY,
    assetsDir: env.TANDEM_DIST,
    log: env.BENCH_LOAD_LOG ? (line) => process.stderr.write(line) : undefined,
  };
}

const within = (r: StepResult) => r.lost === 0 && r.duplicated === 0 && r.outOfOrder === 0 && r.undelivered === 0 && !!r.latency && r.latency.p99 < TARGET_P99_MS;

function report(r: StepResult) {
  const l = r.latency;
  const p = r.probe;
  const number = (x: number | null, digits = 0) => (x === null ? "n/a" : x.toFixed(digits));
  const lines = [
    `\n${r.customers} customers (${r.mode === "bot" ? "with the bot" : "assigned, operator's socket attached"}), each writing every ${r.periodMs / 1000} s for ${r.seconds} s: ${r.sent} messages`,
    `  stored ${r.stored}, at the operator ${r.delivered}: lost ${r.lost}, duplicated ${r.duplicated}, out of order ${r.outOfOrder}${r.outOfOrder ? ` (${r.storedOutOfOrder} as stored)` : ""}, stored but not delivered ${r.undelivered}` +
      `   (put off and sent again ${r.putOff}, error frames ${JSON.stringify(r.errors)}, sockets closed ${r.closes} and reopened ${r.reconnects}` +
      `${r.pagesSkipped ? `, ${r.pagesSkipped} resumes left older messages to HTTP` : ""})`,
    l
      ? `  send → operator's socket  p50 ${formatMs(l.p50)}  p90 ${formatMs(l.p90)}  p99 ${formatMs(l.p99)}  max ${formatMs(l.max)}   target p99 < ${TARGET_P99_MS} ms: ${within(r) ? "within" : "NOT within"}`
      : "  nothing reached the operator's sockets",
    ...(r.mode === "bot" ? [`  the bot replied ${r.botReplies} times; the conversations now: ${JSON.stringify(r.statuses)}`] : []),
    `  libSQL: ${number(r.writesPerSecond)} write requests/s, ${number(r.readsPerSecond)} read requests/s, ${number(r.writesPerMessage, 2)} write requests per message, ${r.libsqlErrors ?? "n/a"} errors`,
    `  after the load: drained in ${(r.drainMs / 1000).toFixed(1)} s; ${p ? `probe (one message at a time) p50 ${formatMs(p.p50)}, max ${formatMs(p.max)}` : "no probe arrived"}${r.probesLost ? `, ${r.probesLost} probes lost` : ""}`,
    `  CPU, % of one core: bench client ${r.cpu.client}, workerd ${r.cpu.worker}, sqld ${r.cpu.sqld}${r.cpu.counter ? `, counter ${r.cpu.counter}` : ""}` +
      `; client's send lag max ${formatMs(r.sendLagMaxMs)}, event-loop delay p99 ${formatMs(r.loopDelayP99Ms)}`,
  ];
  console.log(lines.join("\n"));
}

/**
 * The load scenario: its own stack, with the libSQL counter in a process of
 * its own between the Worker and sqld, and a step per customer count.
 */
export async function runLoadBench(options: LoadOptions) {
  console.log(`\nLoad: customers each in their own conversation, writing every ${options.periodMs / 1000} s, steps ${options.steps.join(", ")}`);
  // Hundreds of customers from one address, on purpose: the limits are not what this measures.
  const started = await startCountedStack({ counter: options.counter ? "process" : "off", assetsDir: options.assetsDir, log: options.log, vars: { RATE_LIMITS: UNLIMITED } });
  const stack = options.direct ? { ...started, url: await directWorkerUrl(started.url) } : started;
  console.log(options.direct ? `Straight to the Worker at ${stack.url}, past wrangler dev's proxy (BENCH_LOAD_PROXY=1: through it)` : `Through wrangler dev's proxy at ${stack.url}, as npm start serves`);
  const results: StepResult[] = [];
  try {
    const tenant = await createLoadTenant(stack.url, stack.libsqlUrl);
    const plan: StepOptions[] = options.steps.map((customers) => ({ customers, seconds: options.seconds, periodMs: options.periodMs, mode: "assigned" }));
    if (options.botCustomers) plan.push({ customers: options.botCustomers, seconds: options.seconds, periodMs: options.periodMs, mode: "bot" });
    for (const step of plan) {
      const result = (await runLoadStep(stack, tenant, step)) as StepResult;
      results.push(result);
      report(result);
    }
  } finally {
    await stack.stop();
  }
  const assigned = results.filter((r) => r.mode === "assigned");
  const firstOut = assigned.find((r) => !within(r));
  const last = assigned.at(-1);
  const lastWithin = assigned.filter((r) => within(r) && (!firstOut || r.customers < firstOut.customers)).at(-1);
  const degraded = firstOut && `degrades at ${firstOut.customers} customers (p99 ${firstOut.latency ? formatMs(firstOut.latency.p99) : "n/a"}, lost ${firstOut.lost})`;
  console.log(
    !firstOut
      ? `\nWithin target at every step (up to ${last?.customers ?? 0} customers).`
      : lastWithin
        ? `\nWithin target up to ${lastWithin.customers} customers; ${degraded}.`
        : `\nNot within target at any step: ${degraded}.`,
  );
  if (last?.probe) console.log(`After the heaviest step the probe took p50 ${formatMs(last.probe.p50)}: ${last.probe.p50 < TARGET_P99_MS ? "recovered" : "NOT recovered"}.`);
  return results;
}
