import * as v from "valibot";

export const ConversationStatus = v.picklist(["bot", "queued", "assigned", "closed"]);
export type ConversationStatus = v.InferOutput<typeof ConversationStatus>;

export const Person = v.object({ id: v.string(), name: v.string() });
export type Person = v.InferOutput<typeof Person>;

/** Where the customer was when they wrote: sent by the widget, shown to operators. */
export const PageContext = v.object({
  url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  title: v.optional(v.pipe(v.string(), v.maxLength(512))),
  referrer: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  language: v.optional(v.pipe(v.string(), v.maxLength(35))),
  timeZone: v.optional(v.pipe(v.string(), v.maxLength(64))),
  screen: v.optional(v.pipe(v.string(), v.maxLength(32))),
  utm: v.optional(v.pipe(v.record(v.pipe(v.string(), v.maxLength(32)), v.pipe(v.string(), v.maxLength(256))), v.maxEntries(10))),
  custom: v.optional(v.pipe(v.record(v.pipe(v.string(), v.maxLength(64)), v.pipe(v.string(), v.maxLength(512))), v.maxEntries(30))),
});
export type PageContext = v.InferOutput<typeof PageContext>;

/** What the customer and the operators both see of a conversation's state. */
export const ConversationState = v.object({
  id: v.string(),
  status: ConversationStatus,
  assignee: v.nullable(Person),
  lastSeq: v.number(),
  /**
   * While queued: 1 = next to be taken (among the workspace's queued
   * conversations of the same group). Null otherwise. Rooms always send it;
   * summaries from the API leave it out.
   */
  queuePosition: v.optional(v.nullable(v.number())),
});
export type ConversationState = v.InferOutput<typeof ConversationState>;

/** One row of an operator's inbox. */
export const ConversationSummary = v.object({
  ...ConversationState.entries,
  visitorName: v.nullable(v.string()),
  /** The site vouched for this customer (identify with a hash) and `visitorName`, if any, is the name it gave. */
  visitorVerified: v.optional(v.boolean()),
  preview: v.nullable(v.string()),
  lastMessageAt: v.nullable(v.number()),
  createdAt: v.number(),
  escalatedAt: v.nullable(v.number()),
  closedAt: v.nullable(v.number()),
  pageUrl: v.nullable(v.string()),
  /** The skill group whose queue it is in (or was routed through); null for none. */
  groupId: v.optional(v.nullable(v.string())),
  /** Came outside the operators' hours: the bot took a contact for a later reply (B3). */
  offlineRequest: v.optional(v.boolean()),
});
export type ConversationSummary = v.InferOutput<typeof ConversationSummary>;
