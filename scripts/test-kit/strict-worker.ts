import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { RATES } from "../../worker/src/limits/rates";
import { freePort } from "../ports";
import { startWranglerDev } from "../wrangler-dev";

/**
 * A second Worker on the run's sqld, configured as in production: no
 * TANDEM_ENV (so CF-Connecting-IP is trusted, as Cloudflare sets it, and a
 * test may play Cloudflare by setting it), no loopback allowance, and the
 * default rate limits. Tests of what production refuses run against it; the
 * main stack lets tests send faster than a person (`UNLIMITED`).
 */
export async function startStrictWorker(options: { libsqlUrl: string; dataDir: string; assetsDir?: string; log?: (line: string) => void }) {
  const port = await freePort();
  return startWranglerDev({
    port,
    vars: {
      LIBSQL_URL: options.libsqlUrl,
      TANDEM_SECRET: randomBytes(32).toString("base64url"),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    persistTo: join(options.dataDir, "strict-wrangler"),
    assetsDir: options.assetsDir,
    log: options.log,
  });
}

/** RATE_LIMITS for the main test stack: its tests send hundreds of messages a second on purpose. */
export const UNLIMITED = JSON.stringify(
  Object.fromEntries(Object.keys(RATES).map((limit) => [limit, { burst: 1e9, perSecond: 1e9 }])),
);
