import * as v from "valibot";
import { ConversationState, PageContext } from "./conversation";
import { ClientMsgId, Message, MessageBody } from "./message";
import { parseFrame } from "./parse-frame";

const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Frames a widget or dashboard sends to a Conversation room. */
export const ClientFrame = v.variant("type", [
  /** "I have everything up to `after`": the room replays the rest, then goes live. */
  v.object({ type: v.literal("resume"), after: Seq }),
  v.object({ type: v.literal("send"), clientMsgId: ClientMsgId, body: MessageBody }),
  v.object({ type: v.literal("typing"), typing: v.boolean() }),
  /** The customer's current page (visitors only); operators see it live. */
  v.object({
    type: v.literal("page"),
    url: v.pipe(v.string(), v.nonEmpty(), v.maxLength(2048)),
    title: PageContext.entries.title,
  }),
  /** "I have seen everything up to `seq`" (either side). */
  v.object({ type: v.literal("read"), seq: Seq }),
  /** The customer asks for a human (visitors only); a no-op unless the bot has the conversation. */
  v.object({ type: v.literal("escalate") }),
]);
export type ClientFrame = v.InferOutput<typeof ClientFrame>;

export const ErrorCode = v.picklist([
  "bad_frame",
  "unauthenticated",
  "forbidden",
  "not_found",
  "closed",
  /** This sender may not write here (another operator's conversation): that one message is refused. */
  "not_allowed",
  /** Too many frames of this kind from this sender: send it again after `retryAfterMs`. */
  "rate_limited",
  /** The room has more work waiting than it takes on: send it again after `retryAfterMs`. */
  "busy",
  "internal",
]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

/** Frames a Conversation room sends. */
export const ServerFrame = v.variant("type", [
  /**
   * Replay after a resume: what came after the client's `after`, at most a
   * page, the newest. `older` says messages between `after` and the first of
   * these were left out; clients read them over HTTP when they need them.
   */
  v.object({ type: v.literal("history"), messages: v.array(Message), older: v.boolean() }),
  /** The send with this clientMsgId is stored as `seq` (sent only after the commit). */
  v.object({ type: v.literal("ack"), clientMsgId: v.string(), seq: v.number(), at: v.number() }),
  v.object({ type: v.literal("message"), message: Message }),
  v.object({ type: v.literal("conversation"), conversation: ConversationState }),
  v.object({ type: v.literal("typing"), authorKind: v.string(), name: v.nullable(v.string()), typing: v.boolean() }),
  /**
   * One side's read mark rose to `seq`. Also sent after a resume's history,
   * for each side that has read anything, so a client starts with the marks.
   */
  v.object({ type: v.literal("read"), by: v.picklist(["visitor", "operator"]), seq: v.number() }),
  /** Where the customer is now (to operators only). */
  v.object({ type: v.literal("page"), url: v.string(), title: v.nullable(v.string()), at: v.number() }),
  /** The conversation's tags or private notes changed: read the card again (to operators only; it carries none of them). */
  v.object({ type: v.literal("card") }),
  v.object({
    type: v.literal("error"),
    code: ErrorCode,
    message: v.string(),
    /** The send this is about: a message refused for good (`bad_frame`, `closed`, `not_allowed`) or for now. */
    clientMsgId: v.optional(v.string()),
    /** Which kind of frame was refused, when it was not a send (`resume`, `typing`, `page`). */
    frame: v.optional(v.string()),
    /** For `rate_limited` and `busy`: when to try again. */
    retryAfterMs: v.optional(v.number()),
  }),
]);
export type ServerFrame = v.InferOutput<typeof ServerFrame>;

/** Checks a frame from a room against the schema: for clients that can afford valibot (the dashboard, tests). */
export const parseServerFrame = (raw: unknown) => parseFrame(ServerFrame, raw);
