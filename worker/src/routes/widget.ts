import { CreateConversationBody, MessagesQuery, WidgetSessionBody } from "@tandem/protocol";
import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { requireVisitor, type VisitorVariables } from "../auth/visitor";
import { createConversation } from "../conversations/create-conversation";
import { readMessagesBefore } from "../conversations/messages";
import { conversations } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { conversationRoom } from "../rooms";
import { validate } from "../validate";
import { startVisit } from "../visitors/start-visit";

type WidgetEnv = { Bindings: Env; Variables: VisitorVariables };

const stateColumns = {
  id: conversations.id,
  status: conversations.status,
  lastSeq: conversations.lastSeq,
  createdAt: conversations.createdAt,
  closedAt: conversations.closedAt,
};

/** The customer's side: called by the widget from the customers' sites, with a visitor token. */
export const widgetRoutes = new Hono<WidgetEnv>()
  // Bearer tokens, no cookies: any site may call, the token says who it is.
  .use(cors({ origin: (origin) => origin, allowHeaders: ["content-type", "authorization"], maxAge: 86400 }))

  .post("/session", validate("json", WidgetSessionBody), async (c) => {
    const { siteKey, token } = c.req.valid("json");
    const visit = await startVisit(c.var.db, c.env.TANDEM_SECRET, siteKey, token);
    if (!visit) return apiError(c, 404, "unknown_site", "no site has this key");
    return c.json({ token: visit.token, visitorId: visit.visitor.id, site: visit.site });
  })

  .use("/conversations/*", requireVisitor())
  .use("/conversations", requireVisitor())

  .get("/conversations", async (c) => {
    const rows = await c.var.db
      .select(stateColumns)
      .from(conversations)
      .where(eq(conversations.visitorId, c.var.visitor.id))
      .orderBy(desc(conversations.createdAt))
      .limit(50);
    return c.json({ conversations: rows });
  })

  .post("/conversations", validate("json", CreateConversationBody), async (c) => {
    const conversation = await createConversation(c.var.db, c.var.visitor, c.req.valid("json").context);
    return c.json({ conversation: { id: conversation.id, status: conversation.status, lastSeq: 0 } }, 201);
  })

  // Only the visitor's own conversations exist for them; anything else is a 404.
  .use("/conversations/:id/*", async (c, next) => {
    const [own] = await c.var.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, c.req.param("id")), eq(conversations.visitorId, c.var.visitor.id)))
      .limit(1);
    if (!own) return apiError(c, 404, "not_found", "no such conversation");
    await next();
  })

  .get("/conversations/:id/messages", validate("query", MessagesQuery), async (c) => {
    const { before, limit } = c.req.valid("query");
    return c.json(await readMessagesBefore(c.var.db, c.req.param("id"), before, limit ?? 50));
  })

  .post("/conversations/:id/close", async (c) => {
    const room = conversationRoom(c.env, c.req.param("id"));
    const result = await room.close(c.var.visitor);
    if (!result.ok) return apiError(c, result.status === 403 ? 404 : result.status, result.code, result.message);
    return c.json({ conversation: result.conversation });
  });
