import { eq } from "drizzle-orm";
import { createDb } from "../worker/src/db/client";
import { operators, sites } from "../worker/src/db/schema";
import { createWorkspace } from "../worker/src/workspaces/create-workspace";

export const DEMO = {
  email: "demo@tandem.dev",
  password: "tandem-demo",
  siteKey: "demo_site_key_0001",
  /**
   * The demo site's identify secret, fixed so a local host page can sign ids:
   * hash = hex(HMAC-SHA256("demo-identity-secret", id)). Local only, like the
   * password; a real site's secret is random and never leaves the server.
   */
  identitySecret: "demo-identity-secret",
} as const;

/**
 * The local demo workspace: owner demo@tandem.dev / tandem-demo and the demo
 * site key the demo page carries. Refuses any database that is not on this
 * machine, so the demo password never reaches a deployed one.
 */
export async function seedDemo(url: string): Promise<"created" | "present"> {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`refusing to seed the demo into ${url}`);
  const db = createDb({ LIBSQL_URL: url });
  const [existing] = await db.select({ id: operators.id }).from(operators).where(eq(operators.email, DEMO.email));
  if (existing) {
    // A demo seeded before the fixed secret existed gets it too.
    await db.update(sites).set({ identitySecret: DEMO.identitySecret }).where(eq(sites.publicKey, DEMO.siteKey));
    return "present";
  }
  await createWorkspace(db, {
    name: "Demo Shop",
    owner: { email: DEMO.email, name: "Dana Demo", password: DEMO.password },
    // No allowed origins: the demo page may be opened from any local address.
    site: { name: "Demo shop", publicKey: DEMO.siteKey, identitySecret: DEMO.identitySecret, allowedOrigins: [] },
  });
  return "created";
}
