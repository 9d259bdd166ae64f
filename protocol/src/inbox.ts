import * as v from "valibot";
import { ConversationSummary } from "./conversation";
import { ErrorCode } from "./frames";
import { Presence } from "./routing";

export const InboxEventType = v.picklist([
  "created",
  "escalated",
  "claimed",
  "first_reply",
  "transferred",
  "closed",
  "reopened",
  "routed",
  "requeued",
  "presence",
]);

/** A state change from the append-only events log; `version` orders them per workspace. */
export const InboxEvent = v.object({
  version: v.number(),
  type: v.string(),
  conversationId: v.nullable(v.string()),
  actorKind: v.string(),
  actorId: v.nullable(v.string()),
  at: v.number(),
});
export type InboxEvent = v.InferOutput<typeof InboxEvent>;

export const InboxClientFrame = v.variant("type", [
  /** Send every event newer than `after` (the snapshot's version), then live ones. */
  v.object({ type: v.literal("resume"), after: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
]);
export type InboxClientFrame = v.InferOutput<typeof InboxClientFrame>;

export const InboxServerFrame = v.variant("type", [
  v.object({ type: v.literal("event"), event: InboxEvent, conversation: v.nullable(ConversationSummary) }),
  /** Too far behind to replay: take a new snapshot. */
  v.object({ type: v.literal("stale") }),
  /** A new message in some conversation: relayed, not stored, not versioned. */
  v.object({
    type: v.literal("activity"),
    conversationId: v.string(),
    lastSeq: v.number(),
    preview: v.string(),
    authorKind: v.string(),
    at: v.number(),
  }),
  /** An operator's presence changed (set by them, or by their dashboard's connection). */
  v.object({ type: v.literal("presence"), operatorId: v.string(), presence: Presence, at: v.number() }),
  v.object({ type: v.literal("error"), code: ErrorCode, message: v.string() }),
]);
export type InboxServerFrame = v.InferOutput<typeof InboxServerFrame>;
