import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrateDatabase } from "./migrate";
import { freePort } from "./ports";
import { seedDemo } from "./seed";
import { startSqld } from "./sqld";
import { startWranglerDev } from "./wrangler-dev";

export type Stack = {
  url: string;
  libsqlUrl: string;
  stop: () => Promise<void>;
};

/** A secret kept with the data, so visitor tokens survive restarts of the local stack. */
function localSecret(dataDir: string): string {
  const file = join(dataDir, "secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * The whole product on this machine: sqld with the migrations applied (and
 * the demo seeded), then the Worker in `wrangler dev` pointed at it.
 * Expects `npm run build` to have written dist/.
 */
export async function startStack(options: {
  dataDir: string;
  port?: number;
  sqldPort?: number;
  seed?: boolean;
  assetsDir?: string;
  /** More Worker vars, merged over the local defaults (tests add ADDRESS_HEADER). */
  vars?: Record<string, string>;
  log?: (line: string) => void;
}): Promise<Stack> {
  mkdirSync(options.dataDir, { recursive: true });
  const sqld = await startSqld({ dataDir: join(options.dataDir, "sqld"), port: options.sqldPort, log: options.log });
  try {
    await migrateDatabase(sqld.url);
    if (options.seed) await seedDemo(sqld.url);
    const secret = localSecret(options.dataDir);
    // The Worker's own address goes into its vars (PUBLIC_URL), so the port is chosen first.
    const port = options.port ?? (await freePort());
    const vars = {
      LIBSQL_URL: sqld.url,
      TANDEM_SECRET: secret,
      TANDEM_ENV: "development",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Local fakes (a language model on 127.0.0.1) are fine here; production never sets this.
      ALLOW_LOOPBACK_URLS: "true",
      ...options.vars,
    };
    const worker = await startWranglerDev({
      port,
      vars,
      persistTo: join(options.dataDir, "wrangler"),
      assetsDir: options.assetsDir,
      log: options.log,
    });
    return {
      url: worker.url,
      libsqlUrl: sqld.url,
      stop: async () => {
        await worker.stop();
        await sqld.stop();
      },
    };
  } catch (error) {
    await sqld.stop();
    throw error;
  }
}
