import { buildAssets, DIST } from "../build";
import { loadOptionsFromEnv, runLoadBench } from "./load";

// `npm run bench:load`: the load scenario alone, e.g.
// BENCH_LOAD_STEPS=200,400,800 BENCH_LOAD_SECONDS=60 BENCH_LOAD_BOT=200 npm run bench:load
const options = loadOptionsFromEnv();
await buildAssets(options.assetsDir ?? DIST);
await runLoadBench(options);
