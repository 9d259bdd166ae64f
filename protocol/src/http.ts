import * as v from "valibot";
import { PageContext } from "./conversation";
import { ClientMsgId, MessageBody } from "./message";

export const LoginBody = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email("email is not valid"), v.maxLength(254)),
  password: v.pipe(v.string(), v.minLength(1, "password is required"), v.maxLength(1024)),
});

export const SiteKey = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, "site key is not valid"));

export const WidgetSessionBody = v.object({
  siteKey: SiteKey,
  /** A token from an earlier visit; the same visitor comes back when it is still good. */
  token: v.optional(v.pipe(v.string(), v.maxLength(1024))),
});

export const CreateConversationBody = v.object({
  context: v.optional(PageContext, {}),
});

export const SendMessageBody = v.object({
  clientMsgId: ClientMsgId,
  body: MessageBody,
});

export const MessagesQuery = v.object({
  before: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, "before must be a seq"), v.transform(Number))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, "limit must be a number"), v.transform(Number), v.minValue(1), v.maxValue(200)),
  ),
});

export const ConversationListQuery = v.object({
  status: v.optional(v.picklist(["open", "queued", "assigned", "closed", "mine"])),
});

/** The body of every 4xx/5xx answer from the API. */
export type ApiError = { error: { code: string; message: string } };
