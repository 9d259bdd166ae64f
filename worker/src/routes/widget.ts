import {
  ContactChangeBody,
  CreateConversationBody,
  IdentifyBody,
  MessagesQuery,
  RatingBody,
  WidgetSessionBody,
} from "@tandem/protocol";
import { and, desc, eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { requireVisitor, type VisitorVariables } from "../auth/visitor";
import { signVisitorToken, verifyVisitorToken } from "../auth/visitor-token";
import { createConversation } from "../conversations/create-conversation";
import { readMessagesBefore } from "../conversations/messages";
import { conversations } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { conversationRoom } from "../rooms";
import { byAddress, rateLimit } from "../limits/rate-limit";
import { refuseOrigin } from "../sites/allowed-origins";
import { findSiteByKey, publicSite } from "../sites/load-site";
import { validate } from "../validate";
import { identifyVisitor } from "../visitors/identify-visitor";
import { rateConversation, ratingColumns, toRating } from "../visitors/rate-conversation";
import { endSwitchedVisitorSockets, signOutVisitor } from "../visitors/sign-out";
import { startVisit } from "../visitors/start-visit";
import { updateContact } from "../visitors/update-contact";
import { logError } from "../log-error";

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
  // Preflights always pass, so a refused origin can read why (S3 is checked per site below).
  .use(cors({ origin: (origin) => origin, allowHeaders: ["content-type", "authorization"], exposeHeaders: ["Retry-After"], maxAge: 86400 }))

  // Rate limits (S4): page loads per address, new visitors per address more tightly.
  .post("/session", rateLimit("session", byAddress), rateLimit("newVisitor", newVisitorAddress), validate("json", WidgetSessionBody), async (c) => {
    const { siteKey, token } = c.req.valid("json");
    const site = await findSiteByKey(c.var.db, siteKey);
    if (!site) return apiError(c, 404, "unknown_site", "no site has this key");
    const refusal = refuseOrigin(site.allowedOrigins, c.req.header("origin"));
    if (refusal) return apiError(c, 403, "origin_not_allowed", refusal);
    const visit = await startVisit(c.var.db, c.env.TANDEM_SECRET, site, token);
    return c.json({ token: visit.token, visitorId: visit.visitor.id, site: publicSite(site), contact: visit.contact });
  })

  // Everything else is the visitor's own, and checks the page's origin.
  .use("/*", requireVisitor())

  .post("/identify", validate("json", IdentifyBody), async (c) => {
    const result = await identifyVisitor(c.var.db, c.var.visitor, c.req.valid("json"));
    if (!result.ok) return apiError(c, 403, result.code, result.message);
    const { contact, verified, switchedTo } = result;
    // Another person signed in on this browser: it carries on as their new visitor, with this token.
    const switched = switchedTo && { token: await signVisitorToken(c.env.TANDEM_SECRET, switchedTo), visitorId: switchedTo.id };
    // The old visitor is signed out already; its open sockets close a moment after this answer (see SWITCH_GRACE_MS).
    if (switchedTo) c.executionCtx.waitUntil(endSwitchedVisitorSockets(c.var.db, c.env, c.var.visitor.id).catch((e) => logError("identify sign-out", e)));
    return c.json({ contact, verified, ...switched });
  })

  // Tandem('logout'): this browser's token, and any copy of it, opens nothing from now on.
  .post("/logout", async (c) => {
    await signOutVisitor(c.var.db, c.env, c.var.visitor);
    return c.json({ signedOut: true });
  })

  .patch("/contact", validate("json", ContactChangeBody), async (c) => {
    const result = await updateContact(c.var.db, c.var.visitor, c.req.valid("json"));
    if (!result.ok) return apiError(c, result.code === "not_found" ? 404 : 409, result.code, result.message);
    return c.json({ contact: result.contact });
  })

  .get("/conversations", async (c) => {
    const rows = await c.var.db
      .select({ ...stateColumns, ...ratingColumns })
      .from(conversations)
      .where(eq(conversations.visitorId, c.var.visitor.id))
      .orderBy(desc(conversations.createdAt))
      .limit(50);
    const list = rows.map(({ resolved, rating, comment, ...state }) => ({ ...state, rating: toRating({ resolved, rating, comment }) }));
    return c.json({ conversations: list });
  })

  .post(
    "/conversations",
    rateLimit<WidgetEnv>("conversation", (c) => `visitor:${c.var.visitor.id}`),
    rateLimit("conversationPerAddress", byAddress),
    validate("json", CreateConversationBody),
    async (c) => {
      const result = await createConversation(c.var.db, c.var.visitor, c.req.valid("json"));
      if (!result.ok) return apiError(c, 400, result.code, result.message);
      // 200: the conversation closed moments ago, which the customer's next message reopens (D8).
      return c.json({ conversation: result.conversation }, result.conversation.status === "closed" ? 200 : 201);
    },
  )

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
  })

  .post("/conversations/:id/rating", validate("json", RatingBody), async (c) => {
    const { resolved, rating, comment } = c.req.valid("json");
    const result = await rateConversation(c.var.db, c.var.visitor, c.req.param("id"), { resolved, rating, comment: comment ?? null });
    if (!result.ok) return apiError(c, result.code === "not_found" ? 404 : 409, result.code, result.message);
    return c.json({ rating: result.rating });
  });

/** A session call without a token that is still good starts a new visitor: its address is counted as such. */
async function newVisitorAddress(c: Context<WidgetEnv>): Promise<string | null> {
  const body = (await c.req.json().catch(() => null)) as { token?: unknown } | null;
  const token = typeof body?.token === "string" ? body.token : null;
  return token && (await verifyVisitorToken(c.env.TANDEM_SECRET, token)) ? null : byAddress(c);
}
