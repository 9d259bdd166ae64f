import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase } from "../migrate";
import { freePort } from "../ports";
import { seedDemo } from "../seed";
import { startSqld } from "../sqld";
import { startWranglerDev } from "../wrangler-dev";
import { startLibsqlCounter, type CounterHandle, type CountedRequest } from "./libsql-counter";
import { startLibsqlCounterProcess } from "./libsql-counter-process";

export type CountedStack = {
  url: string;
  /** sqld itself, for setting up and checking data without being counted. */
  libsqlUrl: string;
  /** Null when started with `counter: "off"`. */
  counter: (CounterHandle & { requests?: () => CountedRequest[] }) | null;
  /** The processes behind it, for measuring their CPU (the counter's only when it has its own). */
  pids: { sqld: number; worker: number; counter?: number };
  stop: () => Promise<void>;
};

/**
 * The product with the libSQL counter between the Worker and sqld: sqld on a
 * fresh data folder with the real migrations (and the demo seeded), the
 * counter, then wrangler dev pointed at the counter. Its own stack, apart
 * from the test run's, so nothing else's queries are counted.
 */
export async function startCountedStack(
  options: {
    seed?: boolean;
    assetsDir?: string;
    /** "here": in this process (tests); "process": its own process (the benchmark); "off": no counter. */
    counter?: "here" | "process" | "off";
    keepRequests?: boolean;
    /** More Worker vars (RATE_LIMITS, say). */
    vars?: Record<string, string>;
    log?: (line: string) => void;
  } = {},
): Promise<CountedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-counted-"));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const sqld = await startSqld({ dataDir: join(dataDir, "sqld"), log: options.log });
    stops.push(sqld.stop);
    await migrateDatabase(sqld.url);
    if (options.seed) await seedDemo(sqld.url);
    let counter: CountedStack["counter"] = null;
    let counterPid: number | undefined;
    if (options.counter === "process") {
      const child = await startLibsqlCounterProcess(sqld.url);
      stops.push(child.stop);
      counter = child;
      counterPid = child.pid;
    } else if (options.counter !== "off") {
      const here = await startLibsqlCounter(sqld.url, { keepRequests: options.keepRequests });
      stops.push(here.stop);
      counter = here;
    }
    const port = await freePort();
    // The local stack's vars (scripts/stack.ts), with libSQL reached through the counter.
    const vars = {
      LIBSQL_URL: counter?.url ?? sqld.url,
      TANDEM_SECRET: randomBytes(32).toString("base64url"),
      TANDEM_ENV: "development",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ALLOW_LOOPBACK_URLS: "true",
      ...options.vars,
    };
    const worker = await startWranglerDev({
      port,
      vars,
      persistTo: join(dataDir, "wrangler"),
      assetsDir: options.assetsDir ?? process.env.TANDEM_DIST,
      log: options.log,
      logLevel: "warn",
    });
    stops.push(worker.stop);
    return { url: worker.url, libsqlUrl: sqld.url, counter, pids: { sqld: sqld.pid, worker: worker.pid, counter: counterPid }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
