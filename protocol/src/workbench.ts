// Schemas for the workbench API (D4–D6): the customer card, canned replies, tags, private notes.
import * as v from "valibot";

const Id = v.pipe(v.string(), v.regex(/^[0-9A-Z]{26}$/, "id is not valid"));

/** An operator's correction of the customer's details; null clears a field. */
export const ContactEditBody = v.pipe(
  v.object({
    name: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1, "name is empty"), v.maxLength(200)))),
    email: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email("email is not valid")))),
    phone: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.regex(/^\+?[0-9 ()-]{5,20}$/, "phone is not valid")))),
  }),
  v.check((body) => Object.values(body).some((value) => value !== undefined), "give a name, email or phone"),
);
export type ContactEditBody = v.InferOutput<typeof ContactEditBody>;

const Shortcut = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^[a-z0-9_-]{1,32}$/, "use 1–32 letters, digits, - or _"),
);
const CannedBody = v.pipe(v.string(), v.trim(), v.nonEmpty("text is empty"), v.maxLength(5000));

/** A new canned reply: personal unless `shared` (workspace-wide, admins only). */
export const CannedReplyBody = v.object({
  shortcut: Shortcut,
  body: CannedBody,
  shared: v.optional(v.boolean(), false),
});

export const CannedReplyChangeBody = v.pipe(
  v.object({ shortcut: v.optional(Shortcut), body: v.optional(CannedBody) }),
  v.check((body) => body.shortcut !== undefined || body.body !== undefined, "give a shortcut or a text"),
);

export const CannedReply = v.object({
  id: v.string(),
  shortcut: v.string(),
  body: v.string(),
  /** Workspace-wide (no owner) or the reader's own. */
  shared: v.boolean(),
  updatedAt: v.number(),
});
export type CannedReply = v.InferOutput<typeof CannedReply>;

const TagName = v.pipe(v.string(), v.trim(), v.minLength(1, "name is empty"), v.maxLength(40, "name is longer than 40 characters"));
const TagColor = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, "color must look like #12ab9f"), v.toLowerCase());

export const TagBody = v.object({ name: TagName, color: v.optional(TagColor, "#64748b") });

export const TagChangeBody = v.pipe(
  v.object({ name: v.optional(TagName), color: v.optional(TagColor) }),
  v.check((body) => body.name !== undefined || body.color !== undefined, "give a name or a color"),
);

export const Tag = v.object({ id: v.string(), name: v.string(), color: v.string() });
export type Tag = v.InferOutput<typeof Tag>;

/** Tag a conversation with an existing tag, or with one made on the spot (an existing name is reused). */
export const ConversationTagBody = v.union([v.object({ tagId: Id }), TagBody], "give a tagId or a name");

export const NoteBody = v.object({
  body: v.pipe(v.string(), v.trim(), v.nonEmpty("note is empty"), v.maxLength(5000, "note is longer than 5000 characters")),
});

/** A private note: operators only, never sent to the customer. */
export const Note = v.object({
  id: v.string(),
  body: v.string(),
  author: v.object({ id: v.string(), name: v.string() }),
  at: v.number(),
});
export type Note = v.InferOutput<typeof Note>;

/** One of the contact's conversations, for "previous conversations". */
export const ContactConversation = v.object({
  id: v.string(),
  status: v.picklist(["bot", "queued", "assigned", "closed"]),
  topic: v.nullable(v.string()),
  preview: v.nullable(v.string()),
  createdAt: v.number(),
  closedAt: v.nullable(v.number()),
});
export type ContactConversation = v.InferOutput<typeof ContactConversation>;
