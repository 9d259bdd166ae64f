import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { OFFLINE_ENV } from "./wrangler-dev";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
const outDir = mkdtempSync(join(tmpdir(), "tandem-deploy-"));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("deploying", () => {
  it("`wrangler deploy --dry-run` bundles the Worker, both rooms and the assets", async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outDir],
      { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV }, timeout: 120_000 },
    );
    const output = stdout + stderr;
    expect(output).toMatch(/env\.Conversation \(Conversation\)\s+Durable Object/);
    expect(output).toMatch(/env\.Inbox \(Inbox\)\s+Durable Object/);
    expect(output).toMatch(/Read \d+ files from the assets directory/);
    expect(output).toMatch(/--dry-run: exiting now/);

    const bundle = readFileSync(join(outDir, "index.js"), "utf8");
    expect(bundle).toMatch(/Conversation = class extends Server/);
    // The local demo seed (and its password) never ships.
    expect(bundle).not.toContain("tandem-demo");
    expect(bundle).not.toContain("demo@tandem.dev");
  }, 150_000);
});
