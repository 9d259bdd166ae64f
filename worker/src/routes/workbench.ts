import {
  CannedReplyBody,
  CannedReplyChangeBody,
  ContactEditBody,
  ConversationTagBody,
  NoteBody,
  TagBody,
  TagChangeBody,
} from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { requireOperator, type OperatorVariables } from "../auth/operator";
import { hasRole, requireRole } from "../auth/roles";
import { conversations } from "../db/schema";
import type { Env } from "../env";
import { apiError } from "../http-error";
import { conversationRoom } from "../rooms";
import { validate } from "../validate";
import { changeCannedReply, createCannedReply, listCannedReplies } from "../workbench/canned-replies";
import { editContact, readContactConversations } from "../workbench/contacts";
import { addNote, listNotes } from "../workbench/notes";
import {
  addConversationTag,
  changeTag,
  createTag,
  deleteTag,
  findTag,
  findTagByName,
  listTags,
  readConversationTags,
  removeConversationTag,
} from "../workbench/tags";
import { logError } from "../log-error";

type WorkbenchEnv = { Bindings: Env; Variables: OperatorVariables };

/** Working a conversation (D4–D6): the customer card, canned replies, tags, private notes. Operators only. */
export const workbenchRoutes = new Hono<WorkbenchEnv>()
  .use(csrf())
  .use("*", requireOperator())

  .patch("/contacts/:id", validate("json", ContactEditBody), async (c) => {
    const contact = await editContact(c.var.db, c.var.operator, c.req.param("id"), c.req.valid("json"));
    if (!contact) return apiError(c, 404, "not_found", "no such contact");
    return c.json({ contact });
  })

  .get("/contacts/:id/conversations", async (c) => {
    const list = await readContactConversations(c.var.db, c.var.operator.workspaceId, c.req.param("id"));
    if (!list) return apiError(c, 404, "not_found", "no such contact");
    return c.json({ conversations: list });
  })

  .get("/canned", async (c) => c.json({ replies: await listCannedReplies(c.var.db, c.var.operator) }))

  .post("/canned", validate("json", CannedReplyBody), async (c) => {
    const input = c.req.valid("json");
    if (input.shared && !hasRole(c.var.operator, "admin")) {
      return apiError(c, 403, "forbidden", "workspace-wide replies are made by admins");
    }
    return c.json({ reply: await createCannedReply(c.var.db, c.var.operator, input) }, 201);
  })

  .patch("/canned/:id", validate("json", CannedReplyChangeBody), async (c) => {
    const result = await changeCannedReply(c.var.db, c.var.operator, c.req.param("id"), c.req.valid("json"));
    if (!result.ok) return apiError(c, result.status, result.status === 404 ? "not_found" : "forbidden", result.message);
    return c.json({ reply: result.reply! });
  })

  .delete("/canned/:id", async (c) => {
    const result = await changeCannedReply(c.var.db, c.var.operator, c.req.param("id"), null);
    if (!result.ok) return apiError(c, result.status, result.status === 404 ? "not_found" : "forbidden", result.message);
    return c.json({ ok: true });
  })

  .get("/tags", async (c) => c.json({ tags: await listTags(c.var.db, c.var.operator.workspaceId) }))

  // Any operator may make a tag while working (create on the fly); renaming and deleting is a supervisor's.
  .post("/tags", validate("json", TagBody), async (c) => {
    const tag = await createTag(c.var.db, c.var.operator.workspaceId, c.req.valid("json"));
    if (!tag) return apiError(c, 409, "exists", "a tag with this name exists");
    return c.json({ tag }, 201);
  })

  .patch("/tags/:id", requireRole("supervisor"), validate("json", TagChangeBody), async (c) => {
    const result = await changeTag(c.var.db, c.var.operator.workspaceId, c.req.param("id"), c.req.valid("json"));
    if (!result.ok) return apiError(c, result.status, result.status === 404 ? "not_found" : "exists", result.message);
    return c.json({ tag: result.tag });
  })

  .delete("/tags/:id", requireRole("supervisor"), async (c) => {
    if (!(await deleteTag(c.var.db, c.var.operator.workspaceId, c.req.param("id")))) {
      return apiError(c, 404, "not_found", "no such tag");
    }
    return c.json({ ok: true });
  })

  // A conversation of another workspace answers exactly like one that does not exist.
  .use("/conversations/:id/*", async (c, next) => {
    const [own] = await c.var.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, c.req.param("id")), eq(conversations.workspaceId, c.var.operator.workspaceId)))
      .limit(1);
    if (!own) return apiError(c, 404, "not_found", "no such conversation");
    await next();
  })

  /** What the workbench adds to the conversation detail: the topic, its tags and its private notes. */
  .get("/conversations/:id/card", async (c) => {
    const { db } = c.var;
    const id = c.req.param("id");
    const [[row], tags, notes] = await Promise.all([
      db.select({ topic: conversations.topic, contactId: conversations.contactId }).from(conversations).where(eq(conversations.id, id)),
      readConversationTags(db, id),
      listNotes(db, id),
    ]);
    return c.json({ topic: row.topic, contactId: row.contactId, tags, notes });
  })

  .post("/conversations/:id/tags", validate("json", ConversationTagBody), async (c) => {
    const { db, operator } = c.var;
    const input = c.req.valid("json");
    let tag;
    if ("tagId" in input) {
      tag = await findTag(db, operator.workspaceId, input.tagId);
      if (!tag) return apiError(c, 404, "not_found", "no such tag");
    } else {
      tag = (await findTagByName(db, operator.workspaceId, input.name)) ?? (await createTag(db, operator.workspaceId, input));
      tag ??= await findTagByName(db, operator.workspaceId, input.name);
      if (!tag) return apiError(c, 409, "exists", "the tag changed meanwhile; try again");
    }
    await addConversationTag(db, operator, c.req.param("id"), tag);
    await cardChanged(c.env, c.req.param("id"));
    return c.json({ tag, tags: await readConversationTags(db, c.req.param("id")) });
  })

  .delete("/conversations/:id/tags/:tagId", async (c) => {
    const { db, operator } = c.var;
    if (!(await removeConversationTag(db, operator, c.req.param("id"), c.req.param("tagId")))) {
      return apiError(c, 404, "not_found", "this conversation has no such tag");
    }
    await cardChanged(c.env, c.req.param("id"));
    return c.json({ tags: await readConversationTags(db, c.req.param("id")) });
  })

  .get("/conversations/:id/notes", async (c) => c.json({ notes: await listNotes(c.var.db, c.req.param("id")) }))

  .post("/conversations/:id/notes", validate("json", NoteBody), async (c) => {
    const note = await addNote(c.var.db, c.var.operator, c.req.param("id"), c.req.valid("json").body);
    await cardChanged(c.env, c.req.param("id"));
    return c.json({ note }, 201);
  });

/** Other operators with the conversation open see the change live; it is stored already, so a failure here loses nothing. */
function cardChanged(env: Env, conversationId: string) {
  return conversationRoom(env, conversationId)
    .cardChanged()
    .catch((e) => logError("card changed", e));
}
