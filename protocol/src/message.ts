import * as v from "valibot";

import { MAX_BODY_LENGTH } from "./limits";

export const AuthorKind = v.picklist(["visitor", "bot", "operator", "system"]);
export type AuthorKind = v.InferOutput<typeof AuthorKind>;

/** Made by the client (UUID or ULID); the idempotency key of a send. */
export const ClientMsgId = v.pipe(
  v.string(),
  v.regex(/^[0-9A-Za-z-]{16,40}$/, "clientMsgId must be a UUID or ULID"),
);

export const MessageBody = v.pipe(
  v.string("body must be a string"),
  v.trim(),
  v.nonEmpty("message is empty"),
  v.maxLength(MAX_BODY_LENGTH, `message is longer than ${MAX_BODY_LENGTH} characters`),
);

export const MessageKind = v.picklist(["text", "system"]);

/** A quick reply under a bot message: `intent` answers it, `operator` asks for a human. */
export const MessageButton = v.object({
  label: v.string(),
  intent: v.optional(v.string()),
  operator: v.optional(v.boolean()),
});
export type MessageButton = v.InferOutput<typeof MessageButton>;

/** A bot message for a conversation room's `postBot`: the bot's words and its quick replies. */
export const BotMessage = v.object({
  clientMsgId: v.optional(ClientMsgId),
  body: MessageBody,
  buttons: v.optional(v.pipe(v.array(MessageButton), v.maxLength(10, "at most 10 buttons"))),
});
export type BotMessage = v.InferInput<typeof BotMessage>;

export const Message = v.object({
  seq: v.number(),
  clientMsgId: v.string(),
  authorKind: AuthorKind,
  authorId: v.nullable(v.string()),
  authorName: v.nullable(v.string()),
  kind: MessageKind,
  body: v.string(),
  /** What a system message is about, so clients can say it in their language. */
  event: v.optional(v.string()),
  /** Quick replies offered with a bot message. */
  buttons: v.optional(v.array(MessageButton)),
  at: v.number(),
});
export type Message = v.InferOutput<typeof Message>;
