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

/** One page the customer saw before writing (W3), as the widget's loader recorded it. */
export const TrailVisit = v.object({
  url: v.pipe(v.string(), v.maxLength(2048)),
  title: v.optional(v.pipe(v.string(), v.maxLength(512))),
  at: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15)),
});
export type TrailVisit = v.InferOutput<typeof TrailVisit>;

export const CreateConversationBody = v.object({
  context: v.optional(PageContext, {}),
  /** From the pre-chat form (W4). */
  topic: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  /** The navigation trail, oldest first. */
  trail: v.optional(v.pipe(v.array(TrailVisit), v.maxLength(50, "at most 50 pages in a trail")), []),
});

const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email("email is not valid"));
const Name = v.pipe(v.string(), v.trim(), v.minLength(1, "name is empty"), v.maxLength(200));

/** What the customer tells about themselves: the pre-chat form, the offline e-mail request (W4, W12). */
export const ContactChangeBody = v.pipe(
  v.object({
    name: v.optional(Name),
    email: v.optional(Email),
    phone: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^\+?[0-9 ()-]{5,20}$/, "phone is not valid"))),
  }),
  v.check((body) => Object.values(body).some((value) => value !== undefined), "give a name, email or phone"),
);

/** `Tandem('identify', …)` from the host page (W15); `hash` is hex(HMAC-SHA256(site's identity secret, id)). */
export const IdentifyBody = v.object({
  id: v.pipe(v.string(), v.minLength(1, "id is empty"), v.maxLength(256)),
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
  email: v.optional(Email),
  hash: v.optional(v.pipe(v.string(), v.toLowerCase(), v.regex(/^[0-9a-f]{64}$/, "hash must be 64 hex digits"))),
});

/** The customer's answer after a close (W11). */
export const RatingBody = v.object({
  resolved: v.boolean(),
  rating: v.pipe(v.number(), v.integer("rating must be a whole number"), v.minValue(1), v.maxValue(5)),
  comment: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000))),
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
