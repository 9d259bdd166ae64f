import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../worker/src/db/client";
import { createWorkspace } from "../worker/src/workspaces/create-workspace";
import { buildAssets, DIST } from "./build";
import { measureLibsqlCommit } from "./bench/libsql-commit";
import { joinRoom, measureBurst, measureLatency, openPair } from "./bench/message-latency";
import { runAnalyticsBench } from "./bench/analytics";
import { runDashboardBench } from "./bench/dashboard";
import { loadOptionsFromEnv, runLoadBench } from "./bench/load";
import { printMatcherBench } from "./bench/matcher";
import { startBareRelay } from "./bench/relay";
import { formatMs, type Summary } from "./bench/stats";
import { BUDGET, widgetSize } from "./size";
import { startStack } from "./stack";
import { UNLIMITED } from "./test-kit/strict-worker";

// `npm run bench`: numbers from this machine, in one run. Starts its own
// stack on a fresh data folder and stops it afterwards.
const COUNT = Number(process.env.BENCH_MESSAGES ?? 1000);
const dataDir = mkdtempSync(join(tmpdir(), "tandem-bench-"));

function row(name: string, s: Summary) {
  return `${name.padEnd(34)} p50 ${formatMs(s.p50).padStart(10)}   p90 ${formatMs(s.p90).padStart(10)}   p99 ${formatMs(s.p99).padStart(10)}   max ${formatMs(s.max).padStart(10)}`;
}

// TANDEM_DIST builds and serves another folder than dist/ (parallel runs on one checkout).
await buildAssets(process.env.TANDEM_DIST ?? DIST);
const size = widgetSize();
console.log("\nWidget, bytes gzip (level 9), from the production build");
console.log(`  loader.js, what every page view costs        ${String(size.loader).padStart(6)}   budget ${BUDGET.loader}`);
console.log(`  first open of the panel (loader + app.js)    ${String(size.firstOpen).padStart(6)}   budget ${BUDGET.firstOpen}`);
console.log(`  everything under widget/, file by file       ${String(size.total).padStart(6)}   budget ${BUDGET.total}`);
for (const [name, bytes] of Object.entries(size.files)) console.log(`    ${name.padEnd(42)} ${String(bytes).padStart(6)}`);
printMatcherBench(row);
// Messages back to back and one address for everyone, on purpose: the rate limits are not what this measures.
const stack = await startStack({ dataDir, assetsDir: process.env.TANDEM_DIST, vars: { RATE_LIMITS: UNLIMITED } });
const relay = await startBareRelay();
try {
  const db = createDb({ LIBSQL_URL: stack.libsqlUrl });
  const owner = { email: "bench@example.test", name: "Bench Operator", password: "bench-password" };
  const tenant = await createWorkspace(db, { name: "Bench", owner, site: { name: "Bench site" } });
  const session = await fetch(`${stack.url}/api/ops/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: owner.email, password: owner.password }),
  });
  const cookie = session.headers.get("set-cookie")!.split(";")[0];
  const visit = (await (
    await fetch(`${stack.url}/api/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ siteKey: tenant.publicKey }),
    })
  ).json()) as { token: string };

  async function conversationPair() {
    const created = (await (
      await fetch(`${stack.url}/api/widget/conversations`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${visit.token}` },
        body: "{}",
      })
    ).json()) as { conversation: { id: string } };
    const room = `${stack.url.replace("http", "ws")}/parties/conversation/${created.conversation.id}`;
    const pair = await openPair(`${room}?token=${encodeURIComponent(visit.token)}`, room, { receiver: { cookie } });
    // Both sides resume, so the operator's socket is live before the first send.
    await Promise.all([joinRoom(pair.receiver), joinRoom(pair.sender)]);
    return pair;
  }

  console.log(`\nTandem message path, ${COUNT} messages one at a time (send → operator socket, libSQL commit in between)\n`);
  const tandemPair = await conversationPair();
  const tandem = await measureLatency(tandemPair, COUNT);
  const relayPair = await openPair(relay.url, relay.url);
  const bare = await measureLatency(relayPair, COUNT);
  const commit = await measureLibsqlCommit(stack.libsqlUrl, COUNT);
  console.log(row("Tandem (room + libSQL commit)", tandem));
  console.log(row("bare ws relay on Node (no storage)", bare));
  console.log(`\nratio Tandem / bare relay:  p50 ${(tandem.p50 / bare.p50).toFixed(1)}×   p99 ${(tandem.p99 / bare.p99).toFixed(1)}×`);
  console.log(`\nfor context, the commit alone:`);
  console.log(row("libSQL write transaction, Node → sqld", commit));

  const burstPair = await conversationPair();
  const burst = await measureBurst(burstPair, COUNT);
  console.log(`\nburst: ${COUNT} messages sent back to back into one conversation, all committed and delivered in ${burst.seconds.toFixed(2)} s (${burst.perSecond.toFixed(0)} msg/s)`);
  for (const pair of [tandemPair, relayPair, burstPair]) {
    pair.sender.close();
    pair.receiver.close();
  }

  // The dashboard (D13) and search (D10) over 1,000 queued conversations and a 10,000-message one.
  await runDashboardBench(stack);

  // Analytics over a year of 100,000 conversations (BENCH_ANALYTICS_*; `npm run bench:analytics` runs it alone).
  await runAnalyticsBench(stack);
} finally {
  await relay.stop();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

// Many customers at once, on a stack of its own (BENCH_LOAD_* settings; `npm run bench:load` runs it alone).
await runLoadBench(loadOptionsFromEnv());
