import { RotateIdentitySecretBody, SiteSettingsBody } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { requireRole } from "../auth/roles";
import { sites } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { publicOrigin } from "../http/public-url";
import { readIdentitySecret, rotateIdentitySecret } from "../settings/identity-secret";
import { listSiteSettings } from "../settings/site-settings";
import { validate } from "../validate";

// The embed snippet names where the widget is served: the configured public URL, else the dashboard's own origin.
const originOf = (c: { env: Env; req: { url: string } }) => publicOrigin(c.env, c.req.url) ?? new URL(c.req.url).origin;

/**
 * Site settings (D12), for admins. The widget reads every one of them from
 * the store on its next page load (`/api/widget/session`), so a change here
 * needs no redeploy. Another workspace's site answers 404.
 */
export const settingsRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())
  .use("*", requireRole("admin"))
  .get("/sites", async (c) => {
    return c.json({ sites: await listSiteSettings(c.var.db, c.var.operator.workspaceId, originOf(c)) });
  })
  .get("/sites/:id", async (c) => {
    const [site] = await listSiteSettings(c.var.db, c.var.operator.workspaceId, originOf(c), c.req.param("id"));
    if (!site) return apiError(c, 404, "not_found", "no such site");
    return c.json({ site });
  })
  .patch("/sites/:id", validate("json", SiteSettingsBody), async (c) => {
    const { db, operator } = c.var;
    const id = c.req.param("id");
    const updated = await db
      .update(sites)
      .set(c.req.valid("json"))
      .where(and(eq(sites.id, id), eq(sites.workspaceId, operator.workspaceId)))
      .returning({ id: sites.id });
    if (!updated.length) return apiError(c, 404, "not_found", "no such site");
    const [site] = await listSiteSettings(db, operator.workspaceId, originOf(c), id);
    return c.json({ site });
  })
  // The identity secret is asked for on its own, when an admin chooses to see it, and never cached.
  .get("/sites/:id/identity-secret", async (c) => {
    const secret = await readIdentitySecret(c.var.db, c.var.operator.workspaceId, c.req.param("id"));
    if (secret === null) return apiError(c, 404, "not_found", "no such site");
    c.header("cache-control", "no-store");
    return c.json({ secret });
  })
  .post("/sites/:id/identity-secret", validate("json", RotateIdentitySecretBody), async (c) => {
    const { db, operator } = c.var;
    const rotated = await rotateIdentitySecret(db, c.env, operator, c.req.param("id"), c.req.valid("json").signOutVerified);
    if (!rotated) return apiError(c, 404, "not_found", "no such site");
    c.header("cache-control", "no-store");
    return c.json(rotated);
  });
