import { and, eq, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/client";
import { sites, visitors } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { readAllowedOrigins, refuseOrigin } from "../sites/allowed-origins";
import { parseStored, siteSettingsColumns } from "../sites/load-site";
import type { VisitorActor } from "./actor";
import { verifyVisitorToken } from "./visitor-token";

export type VisitorVariables = { db: Db; visitor: VisitorActor };

/**
 * The visitor a good token names, as stored now: their current contact (an
 * identify can move them to another) and their site's allowed origins. Null
 * when the visitor no longer exists or was signed out: a revoked visitor's
 * tokens are refused however fresh they are.
 */
export async function loadVisitor(db: Db, token: VisitorActor) {
  const [row] = await db
    .select({ contactId: visitors.contactId, allowedOrigins: siteSettingsColumns.allowedOrigins })
    .from(visitors)
    .innerJoin(sites, eq(sites.id, visitors.siteId))
    .where(
      and(eq(visitors.id, token.id), eq(visitors.siteId, token.siteId), eq(visitors.workspaceId, token.workspaceId), isNull(visitors.revokedAt)),
    )
    .limit(1);
  if (!row) return null;
  return {
    visitor: { ...token, contactId: row.contactId },
    allowedOrigins: readAllowedOrigins(parseStored(row.allowedOrigins)),
  };
}

/**
 * Reads the widget's `Authorization: Bearer <visitor token>` and names the
 * visitor as `c.var.visitor`; refuses a page on an origin the site does not allow.
 */
export function requireVisitor(): MiddlewareHandler<{ Bindings: Env; Variables: VisitorVariables }> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    const signed = token ? await verifyVisitorToken(c.env.TANDEM_SECRET, token) : null;
    const loaded = signed && (await loadVisitor(c.var.db, signed));
    if (!loaded) return apiError(c, 401, "unauthenticated", "a valid visitor token is required (it may have expired or been signed out)");
    const refusal = refuseOrigin(loaded.allowedOrigins, c.req.header("origin"));
    if (refusal) return apiError(c, 403, "origin_not_allowed", refusal);
    c.set("visitor", loaded.visitor);
    await next();
  };
}
