import { eq } from "drizzle-orm";
import { createDb } from "../worker/src/db/client";
import { operators } from "../worker/src/db/schema";
import { createWorkspace } from "../worker/src/workspaces/create-workspace";

export const DEMO = {
  email: "demo@tandem.dev",
  password: "tandem-demo",
  siteKey: "demo_site_key_0001",
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
  if (existing) return "present";
  await createWorkspace(db, {
    name: "Demo Shop",
    owner: { email: DEMO.email, name: "Dana Demo", password: DEMO.password },
    site: { name: "Demo shop", publicKey: DEMO.siteKey },
  });
  return "created";
}
