import { AnalyticsQuery, AnalyticsSettingsBody, AnalyticsViewName, CHANNELS, DrillQuery } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import * as v from "valibot";
import { drill } from "../analytics/drill";
import { contactsCsv, conversationsCsv } from "../analytics/export";
import { answer, readAnalyticsSettings, scopeFor } from "../analytics/views";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { requireRole } from "../auth/roles";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { validate } from "../validate";

const ViewParam = v.object({ view: AnalyticsViewName });

/** Analytics (A1–A8): supervisors and above, their own workspace only. */
export const analyticsRoutes = new Hono<{ Bindings: Env; Variables: OperatorVariables }>()
  .use(csrf())
  .use("*", requireOperator())
  .use("*", requireRole("supervisor"))

  .get("/settings", async (c) => c.json(await readAnalyticsSettings(c.var.db, c.var.operator.workspaceId)))

  .put("/settings", requireRole("admin"), validate("json", AnalyticsSettingsBody), async (c) => {
    const { db, operator } = c.var;
    const body = c.req.valid("json");
    const set = [
      body.timeZone !== undefined ? sql`time_zone = ${body.timeZone}` : null,
      body.handoffWarnPoints !== undefined ? sql`handoff_warn_points = ${body.handoffWarnPoints}` : null,
    ].filter((part) => part !== null);
    if (set.length) await db.run(sql`UPDATE workspaces SET ${sql.join(set, sql`, `)} WHERE id = ${operator.workspaceId}`);
    return c.json(await readAnalyticsSettings(db, operator.workspaceId));
  })

  /** The workspace's latest event: the open Analytics asks for it every few seconds and refreshes when it moves. */
  .get("/version", async (c) => {
    const [row] = await c.var.db.all<{ version: number | null }>(
      sql`SELECT MAX(id) AS version FROM events WHERE workspace_id = ${c.var.operator.workspaceId}`,
    );
    return c.json({ version: Number(row?.version ?? 0) });
  })

  /** What the filters can choose from. */
  .get("/filters", async (c) => {
    const { db, operator } = c.var;
    const ws = operator.workspaceId;
    const [sites, groups, operators, tags] = await Promise.all([
      db.all<{ id: string; name: string }>(sql`SELECT id, name FROM sites WHERE workspace_id = ${ws} ORDER BY name, id`),
      db.all<{ id: string; name: string }>(sql`SELECT id, name FROM groups WHERE workspace_id = ${ws} ORDER BY name, id`),
      db.all<{ id: string; name: string }>(
        sql`SELECT o.id, o.name FROM memberships AS m JOIN operators AS o ON o.id = m.operator_id WHERE m.workspace_id = ${ws} ORDER BY o.name, o.id`,
      ),
      db.all<{ id: string; name: string; color: string }>(sql`SELECT id, name, color FROM tags WHERE workspace_id = ${ws} ORDER BY name, id`),
    ]);
    return c.json({ sites, groups, operators, tags, channels: [...CHANNELS] });
  })

  /** The conversations behind a bar, cell, bin or row. */
  .get("/drill", validate("query", v.intersect([AnalyticsQuery, DrillQuery])), async (c) => {
    const query = c.req.valid("query");
    const scoped = await scopeFor(c.var.db, c.var.operator.workspaceId, query);
    if (!scoped.ok) return apiError(c, 404, "not_found", scoped.message);
    return c.json(await drill(scoped.scope, query.drill, query.after ?? null));
  })

  .get("/export/conversations.csv", validate("query", AnalyticsQuery), async (c) => {
    const scoped = await scopeFor(c.var.db, c.var.operator.workspaceId, c.req.valid("query"));
    if (!scoped.ok) return apiError(c, 404, "not_found", scoped.message);
    return csvResponse(conversationsCsv(scoped.scope), `conversations-${scoped.scope.period.from}-${scoped.scope.period.to}.csv`);
  })

  .get("/export/contacts.csv", validate("query", AnalyticsQuery), async (c) => {
    const scoped = await scopeFor(c.var.db, c.var.operator.workspaceId, c.req.valid("query"));
    if (!scoped.ok) return apiError(c, 404, "not_found", scoped.message);
    return csvResponse(contactsCsv(scoped.scope), `contacts-${scoped.scope.period.from}-${scoped.scope.period.to}.csv`);
  })

  .get("/:view", validate("param", ViewParam), validate("query", AnalyticsQuery), async (c) => {
    const scoped = await scopeFor(c.var.db, c.var.operator.workspaceId, c.req.valid("query"));
    if (!scoped.ok) return apiError(c, 404, "not_found", scoped.message);
    return c.json(await answer(c.req.valid("param").view, scoped.scope, scoped.settings));
  });

function csvResponse(body: ReadableStream<Uint8Array>, name: string) {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
