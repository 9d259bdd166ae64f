import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Db } from "./db/client";
import { createDb } from "./db/client";
import type { Env } from "./env";
import { apiError } from "./http-error";
import { securityHeaders } from "./http/security-headers";
import { analyticsRoutes } from "./routes/analytics";
import { knowledgeRoutes } from "./routes/knowledge";
import { opsRoutes } from "./routes/ops";
import { prompterRoutes } from "./routes/prompter";
import { routingRoutes } from "./routes/routing";
import { searchRoutes } from "./routes/search";
import { settingsRoutes } from "./routes/settings";
import { teamRoutes } from "./routes/team";
import { unansweredRoutes } from "./routes/unanswered";
import { widgetRoutes } from "./routes/widget";
import { workbenchRoutes } from "./routes/workbench";
import { logError } from "./log-error";

const KNOWLEDGE_IMPORT = "/api/ops/knowledge/import";
const smallBodies = bodyLimit({ maxSize: 64 * 1024, onError: (c) => apiError(c, 413, "too_large", "request body is larger than 64 KiB") });

/** The HTTP API, one sub-app per audience. */
export const app = new Hono<{ Bindings: Env; Variables: { db: Db } }>()
  .basePath("/api")
  .use(securityHeaders())
  // No body we take comes near this, but a knowledge-base import (its route sets its own limit);
  // a bigger one is refused before it is read.
  .use((c, next) => (c.req.path === KNOWLEDGE_IMPORT ? next() : smallBodies(c, next)))
  .use(async (c, next) => {
    c.set("db", createDb(c.env));
    await next();
  })
  .route("/widget", widgetRoutes)
  // The operators' API: the spine's routes, then one sub-app per area of the dashboard.
  .route("/ops/team", teamRoutes)
  .route("/ops/routing", routingRoutes)
  .route("/ops/workbench", workbenchRoutes)
  .route("/ops/settings", settingsRoutes)
  .route("/ops/search", searchRoutes)
  .route("/ops/knowledge", knowledgeRoutes)
  .route("/ops/unanswered", unansweredRoutes)
  .route("/ops/prompter", prompterRoutes)
  .route("/ops/analytics", analyticsRoutes)
  .route("/ops", opsRoutes);

app.notFound((c) => apiError(c, 404, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`));

app.onError((error, c) => {
  // Hono's own refusals keep their 4xx status: malformed JSON (400), a cross-site form post (403).
  if (error instanceof HTTPException && error.status === 403) {
    return apiError(c, 403, "forbidden", "cross-site request refused");
  }
  if (error instanceof HTTPException && error.status < 500) {
    return apiError(c, error.status as 400, "bad_request", error.message || "bad request");
  }
  logError("request", error, `${c.req.method} ${c.req.path}`);
  return apiError(c, 500, "internal", "something went wrong on our side");
});

export type AppType = typeof app;
