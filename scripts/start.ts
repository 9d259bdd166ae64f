import { join } from "node:path";
import { buildAssets } from "./build";
import { DEMO } from "./seed";
import { startStack } from "./stack";

// `npm start`: the whole product on 127.0.0.1. PORT, TANDEM_DATA_DIR and
// TANDEM_DIST let a second stack run beside the first from one checkout.
const root = join(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 8787);
const dataDir = process.env.TANDEM_DATA_DIR ?? join(root, ".data");
const assetsDir = process.env.TANDEM_DIST;

console.log("building widget and dashboard…");
await buildAssets(assetsDir);
console.log("starting sqld and wrangler dev…");
const stack = await startStack({ dataDir, port, seed: true, assetsDir });

console.log(`
  Tandem is running.

  Demo shop (customer side)   ${stack.url}/
  Operator dashboard          ${stack.url}/dashboard/
    sign in as ${DEMO.email} / ${DEMO.password}
  libSQL (sqld)               ${stack.libsqlUrl}   data in ${dataDir}

  Ctrl+C stops everything.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
