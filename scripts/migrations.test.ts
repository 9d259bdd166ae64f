import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "tandem-migrations-"));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("migrations", () => {
  it("match the drizzle schema: generating again finds nothing to add", async () => {
    const out = join(work, "migrations");
    cpSync(join(ROOT, "migrations"), out, { recursive: true });
    const config = join(work, "drizzle.config.json");
    // drizzle-kit wants `out` relative to where it runs.
    writeFileSync(config, JSON.stringify({ dialect: "turso", schema: join(ROOT, "worker/src/db/schema.ts"), out: "migrations" }));
    const before = readdirSync(out).sort();
    const { stdout } = await run(process.execPath, [join(ROOT, "node_modules/drizzle-kit/bin.cjs"), "generate", "--config", config], {
      cwd: work,
      timeout: 60_000,
    });
    expect(stdout).toMatch(/No schema changes/);
    expect(readdirSync(out).sort()).toEqual(before);
  });
});
