import { join } from "node:path";
import { freePort, waitFor } from "./ports";
import { spawnLogged, stopChild } from "./process";

const ROOT = join(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/** The environment every wrangler run gets here: no telemetry, no calls to Cloudflare. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_UPDATE_NOTIFIER: "1",
};

export type WranglerDev = { url: string; pid: number; stop: () => Promise<void> };

/** Runs `wrangler dev` (real workerd) on 127.0.0.1 with the given vars. */
export async function startWranglerDev(options: {
  port?: number;
  vars: Record<string, string>;
  persistTo: string;
  /** Serve these built assets instead of dist/ (parallel stacks on one checkout). */
  assetsDir?: string;
  /** Another entry than wrangler.toml's `main` (tests wrap the Worker). */
  script?: string;
  log?: (line: string) => void;
  /**
   * "warn" leaves out wrangler's line per request, which its proxy posts to
   * wrangler's Node process over a connection of its own: work and file
   * descriptors a load benchmark should not spend.
   */
  logLevel?: "info" | "warn";
}): Promise<WranglerDev> {
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const args = [
    WRANGLER,
    "dev",
    ...(options.script ? [options.script] : []),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-ip",
    "127.0.0.1",
    "--inspector-port",
    String(inspectorPort),
    ...(options.assetsDir ? ["--assets", options.assetsDir] : []),
    "--persist-to",
    options.persistTo,
    "--show-interactive-dev-session=false",
    ...(options.logLevel ? ["--log-level", options.logLevel] : []),
    ...Object.entries(options.vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
  ];
  const wrangler = spawnLogged(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV }, log: options.log });
  const url = `http://127.0.0.1:${port}`;
  try {
    // Any JSON 404 from our API means the Worker is up.
    await waitFor(`${url}/api/health`, (r) => r.status === 404, { timeoutMs: 90_000, alive: wrangler.alive, name: "wrangler dev" });
  } catch (error) {
    await stopChild(wrangler.child);
    throw new Error(`${(error as Error).message}\n${wrangler.output()}`);
  }
  const child = wrangler.child;
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}
