import { sql } from "drizzle-orm";
import { customType, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Ids are ULIDs (sortable text); times are integer milliseconds since the epoch, UTC.
const id = () => text("id").primaryKey();
const createdAt = () => integer("created_at").notNull();
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const workspaces = sqliteTable("workspaces", {
  id: id(),
  name: text("name").notNull(),
  /** The optional language model (issue 5): { enabled, url, key, model, timeoutMs }; `{}` = off. */
  llm: json<Record<string, unknown>>("llm").notNull().default(sql`'{}'`),
  /** The optional embeddings provider (issue 19, the semantic tier): protocol's `WorkspaceEmbeddings`; `{}` = off. */
  embeddings: json<Record<string, unknown>>("embeddings").notNull().default(sql`'{}'`),
  /**
   * How the semantic tier turns a cosine into a confidence, fitted by the embedder
   * (embeddings/calibration.ts) for the vectors of one model; null until fitted.
   */
  semanticCalibration: json<Record<string, unknown>>("semantic_calibration"),
  /** Bumped on every knowledge-base change, so a room rebuilds its cached matcher only when needed (B1). */
  knowledgeVersion: integer("knowledge_version").notNull().default(0),
  /** The IANA zone analytics counts days and hours in (A1–A8). */
  timeZone: text("time_zone").notNull().default("UTC"),
  /** Analytics warns when the bot's hand-off share rose by more than this many points (A4). */
  handoffWarnPoints: integer("handoff_warn_points").notNull().default(10),
  createdAt: createdAt(),
});

export const sites = sqliteTable(
  "sites",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    /** Goes in the script tag; public by design. */
    publicKey: text("public_key").notNull(),
    /** Signs `identify` calls from the host page (W15/S2); never leaves the server. */
    identitySecret: text("identity_secret").notNull(),
    /** Refuse `identify` calls without a good hash (W15). */
    identityRequired: integer("identity_required", { mode: "boolean" }).notNull().default(false),
    allowedOrigins: json<string[]>("allowed_origins").notNull().default(sql`'[]'`),
    look: json<Record<string, unknown>>("look").notNull().default(sql`'{}'`),
    workingHours: json<Record<string, unknown>>("working_hours").notNull().default(sql`'{}'`),
    prechatForm: json<Record<string, unknown>>("prechat_form").notNull().default(sql`'{}'`),
    defaultGroupId: text("default_group_id"),
    /** A customer who writes within this many minutes of a close reopens that conversation (D8). */
    reopenMinutes: integer("reopen_minutes").notNull().default(60),
    /** The site's bot settings (B2–B4): protocol's `SiteBot`; `{}` = the defaults. */
    bot: json<Record<string, unknown>>("bot").notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sites_public_key").on(t.publicKey), index("sites_workspace").on(t.workspaceId)],
);

export const operators = sqliteTable(
  "operators",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    avatarUrl: text("avatar_url"),
    /** `pbkdf2-sha256$<iterations>$<salt>$<hash>`, base64 parts. */
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
    deactivatedAt: integer("deactivated_at"),
  },
  (t) => [uniqueIndex("operators_email").on(t.email)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    operatorId: text("operator_id").notNull().references(() => operators.id),
    role: text("role", { enum: ["owner", "admin", "supervisor", "operator"] }).notNull(),
    presence: text("presence", { enum: ["online", "away", "offline"] }).notNull().default("offline"),
    maxChats: integer("max_chats").notNull().default(5),
    /** When presence last changed (set by the operator or by their dashboard's connection). */
    presenceAt: integer("presence_at"),
    /** When this operator was last given a chat by routing (round robin and least-busy ties). */
    lastAssignedAt: integer("last_assigned_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.operatorId] }), index("memberships_operator").on(t.operatorId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: id(),
    operatorId: text("operator_id").notNull().references(() => operators.id),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    /** SHA-256 of the cookie's secret; the secret itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("sessions_token_hash").on(t.tokenHash), index("sessions_operator").on(t.operatorId)],
);

export const groups = sqliteTable(
  "groups",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    routingMode: text("routing_mode", { enum: ["manual", "least_busy", "round_robin"] }).notNull().default("manual"),
    /** 1st, 2nd, 3rd line. */
    line: integer("line").notNull().default(1),
    /** An operator who goes offline gives this group's open chats back to its queue. */
    returnOnOffline: integer("return_on_offline", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("groups_workspace").on(t.workspaceId)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: text("group_id").notNull().references(() => groups.id),
    operatorId: text("operator_id").notNull().references(() => operators.id),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.operatorId] })],
);

export const contacts = sqliteTable(
  "contacts",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    /** The id the site or a CRM knows this person by (W15 identify, E3). */
    externalId: text("external_id"),
    /** When the site last vouched for this person with an identify hash; null: nothing proves who this is. */
    verifiedAt: integer("verified_at"),
    /**
     * The name and e-mail as the site gave them with that hash. A field shows
     * as verified only while it still holds this value: whatever the customer,
     * the bot or an operator wrote over it is someone else's word.
     */
    verifiedName: text("verified_name"),
    verifiedEmail: text("verified_email"),
    attributes: json<Record<string, unknown>>("attributes").notNull().default(sql`'{}'`),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("contacts_workspace").on(t.workspaceId),
    uniqueIndex("contacts_external_id").on(t.workspaceId, t.externalId),
    index("contacts_email").on(t.workspaceId, t.email),
  ],
);

export const visitors = sqliteTable(
  "visitors",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    siteId: text("site_id").notNull().references(() => sites.id),
    contactId: text("contact_id").notNull().references(() => contacts.id),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** Signed out (logout, or another person identified on the browser): every token of this visitor is refused. */
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("visitors_contact").on(t.contactId)],
);

export const conversations = sqliteTable(
  "conversations",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    siteId: text("site_id").references(() => sites.id),
    contactId: text("contact_id").notNull().references(() => contacts.id),
    visitorId: text("visitor_id").references(() => visitors.id),
    channel: text("channel", { enum: ["web", "email", "telegram", "whatsapp", "viber", "messenger", "instagram", "api"] })
      .notNull()
      .default("web"),
    status: text("status", { enum: ["bot", "queued", "assigned", "closed"] }).notNull(),
    groupId: text("group_id").references(() => groups.id),
    assigneeId: text("assignee_id").references(() => operators.id),
    topic: text("topic"),
    /** Page context when the conversation started (W2). */
    context: json<Record<string, unknown>>("context").notNull().default(sql`'{}'`),
    lastSeq: integer("last_seq").notNull().default(0),
    lastMessageAt: integer("last_message_at"),
    preview: text("preview"),
    createdAt: createdAt(),
    escalatedAt: integer("escalated_at"),
    assignedAt: integer("assigned_at"),
    firstHumanReplyAt: integer("first_human_reply_at"),
    closedAt: integer("closed_at"),
    /** The customer's read mark and the operators' (W9): the highest seq each side has seen. */
    visitorReadSeq: integer("visitor_read_seq").notNull().default(0),
    operatorReadSeq: integer("operator_read_seq").notNull().default(0),
    rating: integer("rating"),
    /** The customer's answer to "was your question resolved?" (W11). */
    resolved: integer("resolved", { mode: "boolean" }),
    ratingComment: text("rating_comment"),
    resolvedBy: text("resolved_by", { enum: ["bot", "human"] }),
    /** Running keyword sentiment of the customer's messages (A5), -1..1; null until one carried any. */
    sentiment: real("sentiment"),
    /** How many customer messages went into `sentiment`, to keep it a running mean. */
    sentimentCount: integer("sentiment_count").notNull().default(0),
    /** The sentiment words the customer's messages matched, signed ("+спасибо", "-ужасный") → count (A5). */
    sentimentWords: json<Record<string, number>>("sentiment_words").notNull().default(sql`'{}'`),
    /** The bot's and the operators' messages in it, for analytics (A4): counted as each is stored (append-message.ts). */
    botMessages: integer("bot_messages").notNull().default(0),
    operatorMessages: integer("operator_messages").notNull().default(0),
    /** Came outside operators' hours; the bot took a contact for a later reply (B3). */
    offlineRequest: integer("offline_request", { mode: "boolean" }).notNull().default(false),
    /** The bot's failed answers in a row; two escalate (B2). */
    botMisses: integer("bot_misses").notNull().default(0),
    /**
     * What the bot remembers between messages (its language, the buttons it
     * offered, a collection under way): here, not in the room, so a room
     * rebuilt anywhere goes on where the last one stopped.
     */
    botState: text("bot_state", { mode: "json" }),
    /** The last intent the bot matched: its group on escalation, and analytics. */
    intentId: text("intent_id").references(() => intents.id),
  },
  (t) => [
    index("conversations_workspace_status").on(t.workspaceId, t.status, t.createdAt),
    index("conversations_visitor").on(t.visitorId, t.createdAt),
    index("conversations_contact").on(t.contactId, t.createdAt),
    index("conversations_assignee").on(t.assigneeId, t.status),
    // Analytics: conversations started in a period.
    index("conversations_workspace_created").on(t.workspaceId, t.createdAt),
  ],
);

export const messages = sqliteTable(
  "messages",
  {
    id: id(),
    conversationId: text("conversation_id").notNull().references(() => conversations.id),
    seq: integer("seq").notNull(),
    clientMsgId: text("client_msg_id").notNull(),
    authorKind: text("author_kind", { enum: ["visitor", "bot", "operator", "system"] }).notNull(),
    authorId: text("author_id"),
    body: text("body").notNull(),
    kind: text("kind", { enum: ["text", "system"] }).notNull().default("text"),
    meta: json<Record<string, unknown>>("meta").notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_conversation_seq").on(t.conversationId, t.seq),
    uniqueIndex("messages_conversation_client_msg").on(t.conversationId, t.clientMsgId),
  ],
);

export const pageViews = sqliteTable(
  "page_views",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    visitorId: text("visitor_id").notNull().references(() => visitors.id),
    conversationId: text("conversation_id").references(() => conversations.id),
    url: text("url").notNull(),
    title: text("title"),
    referrer: text("referrer"),
    at: integer("at").notNull(),
  },
  (t) => [index("page_views_visitor").on(t.visitorId, t.at)],
);

export const tags = sqliteTable(
  "tags",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    color: text("color").notNull().default("#64748b"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tags_workspace_name").on(t.workspaceId, t.name)],
);

export const conversationTags = sqliteTable(
  "conversation_tags",
  {
    conversationId: text("conversation_id").notNull().references(() => conversations.id),
    tagId: text("tag_id").notNull().references(() => tags.id),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.tagId] })],
);

export const notes = sqliteTable(
  "notes",
  {
    id: id(),
    conversationId: text("conversation_id").notNull().references(() => conversations.id),
    authorId: text("author_id").notNull().references(() => operators.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("notes_conversation").on(t.conversationId)],
);

export const cannedReplies = sqliteTable(
  "canned_replies",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    /** Null for workspace-wide replies; an operator's id for personal ones. */
    operatorId: text("operator_id").references(() => operators.id),
    shortcut: text("shortcut").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at"),
  },
  (t) => [index("canned_replies_workspace").on(t.workspaceId)],
);

/** A localized text: one string per language the workspace wrote it in. */
export type LangTexts = { ru?: string; uk?: string; en?: string };
/** A quick reply under a bot answer: another intent (by key) or "talk to an operator". */
export type IntentButton = { label: LangTexts; intent?: string; operator?: true };
/** A field the bot asks for after answering (B4), stored on the contact. */
export type IntentCollect = { field: "name" | "email" | "phone" | "order"; prompt: LangTexts };

/** One entry of a workspace's knowledge base (B1). */
export const intents = sqliteTable(
  "intents",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    /**
     * A slug, unique in the workspace: buttons and the exchange file refer to intents by it.
     * The empty default is only there because SQLite adds no NOT NULL column without one; writes always set it.
     */
    key: text("key").notNull().default(""),
    name: text("name").notNull(),
    /** The fallback answer, for a language the intent has no answer in. */
    answer: text("answer").notNull(),
    /** The answer per language. */
    answers: json<LangTexts>("answers").notNull().default(sql`'{}'`),
    buttons: json<IntentButton[]>("buttons").notNull().default(sql`'[]'`),
    /** Fields to ask for after the answer, in order. */
    collect: json<IntentCollect[]>("collect").notNull().default(sql`'[]'`),
    /** The skill group an escalation from this intent goes to. */
    groupId: text("group_id").references(() => groups.id),
    /** A disabled intent is kept but never matched. */
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(0),
  },
  (t) => [index("intents_workspace").on(t.workspaceId), uniqueIndex("intents_workspace_key").on(t.workspaceId, t.key)],
);

export const intentPhrasings = sqliteTable(
  "intent_phrasings",
  {
    id: id(),
    intentId: text("intent_id").notNull().references(() => intents.id),
    text: text("text").notNull(),
    lang: text("lang"),
    /** Where it came from: the editor, an unanswered question added by an operator (B5), or an import. */
    source: text("source", { enum: ["kb", "unanswered", "import"] }).notNull().default("kb"),
    /**
     * Calibration (bot/matcher/calibrate.ts): this phrasing matched against the rest of the base, itself
     * left out — its own intent's confidence and the best other intent's. Null until computed.
     */
    looOwn: real("loo_own"),
    looOther: real("loo_other"),
    createdAt: createdAt(),
  },
  (t) => [index("intent_phrasings_intent").on(t.intentId)],
);

/** Vectors are this long: what `@cf/baai/bge-m3` gives, and what an OpenAI-compatible request asks for. */
export const EMBEDDING_DIMENSIONS = 1024;

/** libSQL's own vector type: 1024 float32s, read and written through `vector32()`/`vector_extract()` in SQL. */
const vector = customType<{ data: ArrayBuffer; driverData: ArrayBuffer }>({ dataType: () => `F32_BLOB(${EMBEDDING_DIMENSIONS})` });

/**
 * The semantic tier's vector of each distinct phrasing text of a workspace
 * (issue 19). Keyed by text, not by phrasing row: saving an intent rewrites
 * its phrasing rows, and an unchanged text keeps its vector instead of going
 * back to the provider. The embedder (embeddings/embedder.ts) adds rows for
 * new texts, removes those no phrasing has any more, and works through the
 * pending ones with retries.
 */
export const phrasingVectors = sqliteTable(
  "phrasing_vectors",
  {
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    text: text("text").notNull(),
    /** The model the vector was made with, or is wanted from: another model makes the row pending again. */
    model: text("model").notNull(),
    status: text("status", { enum: ["pending", "embedded", "failed"] }).notNull().default("pending"),
    vector: vector("vector"),
    /** Failed attempts since the last success; past the limit the row is `failed`. */
    attempts: integer("attempts").notNull().default(0),
    /** The provider's answer to the last failed attempt, for the settings page. */
    error: text("error"),
    nextAttemptAt: integer("next_attempt_at").notNull().default(0),
    /**
     * Calibration: this text's vector against the rest of the base, itself left out — the best cosine
     * of its own intent's other phrasings and of any other intent's. Null when there is none; `looAt`
     * null = to be computed (any change to the vectors resets it).
     */
    looOwn: real("loo_own"),
    looOther: real("loo_other"),
    looAt: integer("loo_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.text] }), index("phrasing_vectors_due").on(t.workspaceId, t.status, t.nextAttemptAt)],
);

export const suggestionFeedback = sqliteTable(
  "suggestion_feedback",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    conversationId: text("conversation_id").notNull().references(() => conversations.id),
    intentId: text("intent_id").references(() => intents.id),
    operatorId: text("operator_id").notNull().references(() => operators.id),
    accepted: integer("accepted", { mode: "boolean" }).notNull(),
    suggestion: text("suggestion").notNull(),
    /** The customer's text the suggestion answered: the matcher learns from it (B6). */
    question: text("question"),
    createdAt: createdAt(),
  },
  (t) => [index("suggestion_feedback_intent").on(t.workspaceId, t.intentId)],
);

/** Customer messages the bot could not answer (B5), until someone adds one to an intent or dismisses it. */
export const unanswered = sqliteTable(
  "unanswered",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    conversationId: text("conversation_id").notNull().references(() => conversations.id),
    messageSeq: integer("message_seq").notNull(),
    text: text("text").notNull(),
    lang: text("lang"),
    /** Why: the matcher was unsure, the bot failed twice, or no operator was working. */
    reason: text("reason", { enum: ["low_confidence", "failed", "offline"] }).notNull(),
    createdAt: createdAt(),
    /** The intent it was added to as a phrasing; null until then. */
    intentId: text("intent_id").references(() => intents.id),
    /** When it was added or dismissed; null = still on the list. */
    handledAt: integer("handled_at"),
  },
  (t) => [index("unanswered_workspace").on(t.workspaceId, t.handledAt, t.createdAt)],
);

/**
 * Append-only log of every state change, with who did it and when. Analytics
 * reads it; its autoincrement id is also the Inbox's event version.
 */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    conversationId: text("conversation_id").references(() => conversations.id),
    type: text("type").notNull(),
    actorKind: text("actor_kind", { enum: ["visitor", "bot", "operator", "system"] }).notNull(),
    actorId: text("actor_id"),
    data: json<Record<string, unknown>>("data").notNull().default(sql`'{}'`),
    at: integer("at").notNull(),
  },
  (t) => [
    index("events_workspace").on(t.workspaceId, t.id),
    index("events_conversation").on(t.conversationId, t.id),
    index("events_type_at").on(t.workspaceId, t.type, t.at),
    // Analytics' lookups of one conversation's events of a kind (its hand-off, its cycle's start) read only this index.
    index("events_conversation_type").on(t.conversationId, t.type, t.at),
  ],
);

// Migration 0008 adds the view `duration_sources` (over events, conversations
// and messages) and a trigger on `events`. drizzle-kit knows neither: a
// generated migration that rebuilds one of those tables (create __new_x,
// copy, drop, rename) fails on the view, and dropping `events` drops its
// trigger. Such a migration must drop the view first and create the view and
// the trigger again after (summary.test.ts checks they exist).
/**
 * Every measured span of a conversation, one row per event that ends one and
 * per kind: a first reply, a reply, a close (the cycle's lifetime, and the
 * wait of a customer who left the queue), an operator taking a conversation
 * from a queue, the first hand-off to people. Written by a trigger on
 * `events` from the view `duration_sources` (migration 0008) in the same
 * statement as the event, so no write path can miss one and no request is
 * added; analytics reads these rows instead of searching the log.
 */
export const durations = sqliteTable(
  "durations",
  {
    /** The event that ended it (events.id). */
    eventId: integer("event_id").notNull(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    conversationId: text("conversation_id").notNull().references(() => conversations.id),
    metric: text("metric", { enum: ["firstResponse", "queueWait", "lifetime", "replyTime", "queueLeft", "handoff"] }).notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at").notNull(),
    /** ended − started, never negative. */
    value: integer("value").notNull(),
    /** The operator it is credited to: who replied, who took it, who had it when it closed. */
    operatorId: text("operator_id"),
    /** The group it is credited to: the one the conversation was in then. */
    groupId: text("group_id"),
    /** A hand-off's event type and logged reason, "type|reason". */
    reason: text("reason"),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.metric] }),
    // A summary of a period reads only this index.
    index("durations_metric_ended").on(t.workspaceId, t.metric, t.endedAt, t.value),
    // A percentile walks this one in value order, skipping what ended outside the period: no sort.
    index("durations_metric_value").on(t.workspaceId, t.metric, t.value, t.endedAt),
    // The same walk for one operator's or one group's values (the team tables).
    index("durations_operator_value").on(t.workspaceId, t.metric, t.operatorId, t.value, t.endedAt),
    index("durations_group_value").on(t.workspaceId, t.metric, t.groupId, t.value, t.endedAt),
    // A conversation's first response and first hand-off, from the index alone.
    index("durations_conversation").on(t.conversationId, t.metric, t.value, t.reason),
  ],
);

/** An invitation to join a workspace (D1): the link carries a one-time token, stored only as its hash. */
export const invites = sqliteTable(
  "invites",
  {
    id: id(),
    workspaceId: text("workspace_id").notNull().references(() => workspaces.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["owner", "admin", "supervisor", "operator"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull().references(() => operators.id),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("invites_token").on(t.tokenHash), index("invites_workspace").on(t.workspaceId)],
);

/** Failed sign-ins per key (an e-mail, or "ip:" and an address), for throttling (D1). */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: integer("window_start").notNull(),
  lockedUntil: integer("locked_until"),
});
