import { newId } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTenant,
  customerWrites,
  database,
  joinConversation,
  say,
  signIn,
  stack,
  startVisitor,
  type Operator,
  type Tenant,
  type Visitor,
} from "../../../scripts/test-kit/clients";
import { member, PASSWORD } from "../../../scripts/test-kit/team-kit";
import { phrasingVectors, unanswered } from "../db/schema";

// Every route of the API, from the app's own route list, tried by workspace
// B against workspace A (D1: "two workspaces on one server stay fully
// isolated; test it by trying every API route with the other workspace's
// ids"), and by each role below the one it needs. A route that is added to
// the app and not to ROUTES below fails the first test, by name.

// ── Calling the API as anyone, and the two workspaces ──

/** Anyone who can send a request: a signed-in operator, a customer's browser, a stranger. */
type Client = { request(path: string, init?: RequestInit): Promise<Response> };

/** One request; `expect` is its status when it is not the default of the phase it is made in. */
type Call = { method: string; path: string; body?: unknown; expect?: number; by?: Client; check?: (json: any) => string | null };

const get = (path: string, extra: Partial<Call> = {}): Call => ({ method: "GET", path, ...extra });
const post = (path: string, body?: unknown, extra: Partial<Call> = {}): Call => ({ method: "POST", path, body, ...extra });
const put = (path: string, body?: unknown, extra: Partial<Call> = {}): Call => ({ method: "PUT", path, body, ...extra });
const patch = (path: string, body?: unknown, extra: Partial<Call> = {}): Call => ({ method: "PATCH", path, body, ...extra });
const del = (path: string, extra: Partial<Call> = {}): Call => ({ method: "DELETE", path, ...extra });

/** A browser with no session and no token, from the dashboard's origin. */
const stranger: Client = {
  request(path, init = {}) {
    const headers = new Headers(init.headers);
    headers.set("origin", stack().url);
    if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
    return fetch(`${stack().url}${path}`, { ...init, headers });
  },
};

async function send(client: Client, call: Call) {
  const response = await client.request(call.path, {
    method: call.method,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not every answer is JSON (a 404 from the platform, say); the status still tells.
  }
  return { status: response.status, text, json };
}

const ok = async (response: Promise<Response>, what: string) => {
  const r = await response;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return (await r.json()) as any;
};

const body = (method: string, value: unknown): RequestInit => ({ method, body: JSON.stringify(value) });

type Side = Awaited<ReturnType<typeof buildSide>>;

/**
 * A workspace with one of everything the operators' API has an id for, made
 * through the API as its owner would: conversations queued, assigned and
 * closed, the customer's contact, tags, a note, canned replies, a group, an
 * intent, an invite, an unanswered question, prompter feedback. Every name
 * and text in it carries `marker`, so a leak of any of them shows.
 */
async function buildSide(marker: string) {
  const tenant: Tenant = await createTenant(marker);
  const [owner, operator, admin, supervisor] = await Promise.all([
    signIn(tenant.owner.email, tenant.owner.password),
    signIn(tenant.agent.email, tenant.agent.password),
    member(tenant, "admin", `${marker}-admin`),
    member(tenant, "supervisor", `${marker}-supervisor`),
  ]);
  const ops = (path: string, init?: RequestInit, by: Operator = owner) => ok(by.request(path, init), `${init?.method ?? "GET"} ${path}`);

  // The customer of the first conversation stays at hand, for the widget's routes.
  const visitor: Visitor = await startVisitor(tenant.publicKey);
  const created = await visitor.request("/api/widget/conversations", {
    method: "POST",
    body: JSON.stringify({
      context: { url: `https://${marker}.example/pricing` },
      trail: [{ url: `https://${marker}.example/shoes`, title: `${marker} shoes`, at: Date.now() - 60_000 }],
    }),
  });
  const conversation = ((await created.json()) as { conversation: { id: string } }).conversation.id;
  const socket = await joinConversation(conversation, { token: visitor.token });
  await say(socket, `${marker} secret message, can a human help?`);
  await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued");
  await socket.close();

  const assigned = (await customerWrites(tenant.publicKey, `${marker} assigned secret`)).id;
  await ops(`/api/ops/conversations/${assigned}/claim`, { method: "POST" });
  const closed = (await customerWrites(tenant.publicKey, `${marker} closed secret`)).id;
  await ops(`/api/ops/conversations/${closed}/claim`, { method: "POST" });
  await ops(`/api/ops/conversations/${closed}/close`, { method: "POST" });

  const contact = (await ops(`/api/ops/conversations/${conversation}`)).contact.id as string;
  await ops(`/api/ops/workbench/contacts/${contact}`, body("PATCH", { name: `${marker} Customer`, email: `${marker}@example.test`, phone: "+380 44 000 00 00" }));
  const tagName = `${marker}-tag`;
  const tag = (await ops(`/api/ops/workbench/conversations/${conversation}/tags`, body("POST", { name: tagName, color: "#ff0000" }))).tag.id as string;
  // A tag name without the marker, for the check that names are per workspace.
  const plainTagName = `plain-${newId().slice(-8).toLowerCase()}`;
  const plainTag = (await ops(`/api/ops/workbench/conversations/${conversation}/tags`, body("POST", { name: plainTagName }))).tag.id as string;
  const note = (await ops(`/api/ops/workbench/conversations/${conversation}/notes`, body("POST", { body: `${marker} private note` }))).note.id as string;
  const cannedShared = (await ops("/api/ops/workbench/canned", body("POST", { shortcut: `${marker}-s`, body: `${marker} shared reply`, shared: true }))).reply
    .id as string;
  const cannedPersonal = (
    await ops("/api/ops/workbench/canned", body("POST", { shortcut: `${marker}-p`, body: `${marker} personal reply` }), operator)
  ).reply.id as string;
  const group = (await ops("/api/ops/team/groups", body("POST", { name: `${marker} group` }))).group.id as string;
  await ops(`/api/ops/team/groups/${group}/members/${operator.id}`, { method: "PUT" });
  const intentKey = `${marker}-intent`;
  const intent = (
    await ops(
      "/api/ops/knowledge",
      body("POST", { key: intentKey, name: `${marker} intent`, groupId: group, phrasings: { en: [`${marker} phrasing`] }, answer: { en: `${marker} answer` } }),
    )
  ).intent.id as string;
  // A key without the marker, for the check that another workspace's import of the same key makes its own intent.
  const plainIntentKey = `plain-${newId().slice(-8).toLowerCase()}`;
  const plainIntent = (await ops("/api/ops/knowledge", body("POST", intentBody(plainIntentKey)))).intent.id as string;
  const invited = await ops(
    "/api/ops/team/invites",
    body("POST", { email: `${marker}-invitee@example.test`, name: `${marker} Invitee`, role: "operator", groupIds: [group] }),
  );
  const invite = { id: invited.invite.id as string, token: String(invited.link).split("/invite/")[1] };
  const question = newId();
  await database()
    .insert(unanswered)
    .values({ id: question, workspaceId: tenant.workspaceId, conversationId: conversation, messageSeq: 1, text: `${marker} unanswered question`, lang: "en", reason: "low_confidence", createdAt: Date.now() });
  await ops(
    `/api/ops/prompter/conversations/${conversation}/feedback`,
    body("POST", { intentId: intent, question: `${marker} question`, suggestion: `${marker} suggestion`, accepted: true }),
  );
  await ops("/api/ops/knowledge/model", body("PUT", { enabled: true, url: `https://${marker}.example/v1`, model: `${marker}-model`, timeoutMs: 5000, key: `${marker}-key` }));
  // A phrasing's vector, as the embedder would have left it before the tier was switched off (it then touches nothing).
  await database()
    .insert(phrasingVectors)
    .values({ workspaceId: tenant.workspaceId, text: `${marker} phrasing`, model: `${marker}-embeddings`, status: "failed", error: `${marker} provider error`, updatedAt: Date.now() });
  // Stored but off: the isolation run calls no provider.
  await ops(
    "/api/ops/knowledge/embeddings",
    body("PUT", { enabled: false, provider: "openai", url: `https://${marker}.example/v1`, model: `${marker}-embeddings`, timeoutMs: 800, key: `${marker}-key` }),
  );
  await ops(`/api/ops/knowledge/sites/${tenant.siteId}/bot`, body("PUT", { texts: { greeting: { en: `${marker} greeting` } } }));
  await ops(`/api/ops/settings/sites/${tenant.siteId}`, body("PATCH", { name: `${marker} site` }));

  return {
    marker,
    tenant,
    owner,
    admin,
    supervisor,
    operator,
    visitor,
    conversation,
    assigned,
    closed,
    contact,
    tag,
    tagName,
    plainTag,
    plainTagName,
    note,
    cannedShared,
    cannedPersonal,
    group,
    intent,
    intentKey,
    plainIntent,
    plainIntentKey,
    invite,
    question,
    site: tenant.siteId,
    members: { owner, admin, supervisor, operator } as Record<"owner" | "admin" | "supervisor" | "operator", Operator>,
  };
}

/** Everything of A that must never reach B: its ids, keys, e-mails and the marker in all its texts. */
function secretsOf(side: Side): string[] {
  const t = side.tenant;
  return [
    side.marker,
    t.workspaceId,
    t.siteId,
    t.publicKey,
    t.ownerId,
    t.agent.id,
    t.owner.email,
    t.agent.email,
    side.admin.id,
    side.supervisor.id,
    side.owner.sessionId,
    side.operator.sessionId,
    side.visitor.visitorId,
    side.conversation,
    side.assigned,
    side.closed,
    side.contact,
    side.tag,
    side.plainTag,
    side.note,
    side.cannedShared,
    side.cannedPersonal,
    side.group,
    side.intent,
    side.plainIntent,
    side.invite.id,
    side.invite.token,
    side.question,
  ];
}

/**
 * Where each table's rows of one workspace are. A table missing here fails
 * the snapshot, so a new table cannot slip past the "A is unchanged" checks.
 */
const OF_WORKSPACE: Record<string, string> = {
  workspaces: "id = $w",
  operators: "id IN (SELECT operator_id FROM memberships WHERE workspace_id = $w)",
  group_members: "group_id IN (SELECT id FROM groups WHERE workspace_id = $w)",
  messages: "conversation_id IN (SELECT id FROM conversations WHERE workspace_id = $w)",
  conversation_tags: "conversation_id IN (SELECT id FROM conversations WHERE workspace_id = $w)",
  notes: "conversation_id IN (SELECT id FROM conversations WHERE workspace_id = $w)",
  intent_phrasings: "intent_id IN (SELECT id FROM intents WHERE workspace_id = $w)",
};
const BY_WORKSPACE_ID = ["sites", "memberships", "sessions", "groups", "contacts", "visitors", "conversations", "page_views", "tags", "canned_replies", "intents", "suggestion_feedback", "unanswered", "events", "durations", "invites", "phrasing_vectors"];
/** Not a workspace's: sign-in throttling is per e-mail and address; the rest is SQLite's and drizzle's. */
const NOT_A_WORKSPACES = new Set(["login_throttle", "__drizzle_migrations", "sqlite_sequence", "_litestream_seq", "_litestream_lock", "libsql_wasm_func_table"]);
/** Columns that move when nothing was done to the data: a session's last request. */
const VOLATILE = new Set(["sessions.last_seen_at"]);

/** Every row of the workspace in every table, as sorted JSON lines per table. */
async function snapshot(workspaceId: string): Promise<Record<string, string[]>> {
  const db = database();
  const tables = (await db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((t) => t.name);
  const where = { ...OF_WORKSPACE, ...Object.fromEntries(BY_WORKSPACE_ID.map((t) => [t, "workspace_id = $w"])) };
  const unknown = tables.filter((t) => !(t in where) && !NOT_A_WORKSPACES.has(t));
  if (unknown.length) throw new Error(`the isolation snapshot does not know where a workspace's rows are in: ${unknown.join(", ")} (add them to route-isolation.test.ts)`);
  const out: Record<string, string[]> = {};
  for (const table of tables.filter((t) => t in where)) {
    // Our own ULID, never user input: safe to inline.
    const rows = await db.all<Record<string, unknown>>(sql.raw(`SELECT * FROM "${table}" WHERE ${where[table].replaceAll("$w", `'${workspaceId}'`)}`));
    out[table] = rows
      .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([column]) => !VOLATILE.has(`${table}.${column}`)))))
      .sort();
  }
  return out;
}

/** A queued conversation of the side's site, from a new customer. */
const queued = async (side: Side) => (await customerWrites(side.tenant.publicKey, "a bravo customer writes")).id;

/** A conversation `by` has claimed. */
async function claimedBy(side: Side, by: Operator) {
  const id = await queued(side);
  await ok(by.request(`/api/ops/conversations/${id}/claim`, { method: "POST" }), "claim");
  return id;
}

/** A conversation `by` claimed and closed. */
async function closedBy(side: Side, by: Operator) {
  const id = await claimedBy(side, by);
  await ok(by.request(`/api/ops/conversations/${id}/close`, { method: "POST" }), "close");
  return id;
}

/** A new group of the side, made by its owner. */
const newGroup = async (side: Side) =>
  (await ok(side.owner.request("/api/ops/team/groups", body("POST", { name: `bravo group ${newId().slice(-6)}` })), "group")).group.id as string;

/** A new pending invite of the side: its id and the token of its link. */
async function newInvite(side: Side) {
  const made = await ok(
    side.owner.request("/api/ops/team/invites", body("POST", { email: `invitee-${newId().toLowerCase()}@example.test`, name: "Bravo Invitee", role: "operator" })),
    "invite",
  );
  return { id: made.invite.id as string, token: String(made.link).split("/invite/")[1] };
}

/** A new intent of the side. */
async function newIntent(side: Side) {
  const key = `bravo-${newId().slice(-8).toLowerCase()}`;
  return (await ok(side.owner.request("/api/ops/knowledge", body("POST", intentBody(key))), "intent")).intent.id as string;
}

const intentBody = (key: string) => ({ key, name: `Intent ${key}`, phrasings: { en: [`a question for ${key}`] }, answer: { en: "an answer" } });

/** A new unanswered question of the side, on its first conversation. */
async function newQuestion(side: Side) {
  const id = newId();
  await database()
    .insert(unanswered)
    .values({ id, workspaceId: side.tenant.workspaceId, conversationId: side.conversation, messageSeq: 1, text: `bravo unanswered ${id}`, lang: "en", reason: "low_confidence", createdAt: Date.now() });
  return id;
}

/** A new operator of the side, signed in, with the password it was made with. */
const newMember = (side: Side, role: "admin" | "supervisor" | "operator" = "operator") => member(side.tenant, role, `bravo-${role}`);

// ── The route map ──

type Role = "operator" | "supervisor" | "admin" | "owner";
/** Who may call a route at the least: anyone, a customer's browser (visitor token), or an operator of this role or higher. */
type Least = "public" | "visitor" | Role;

type Entry = {
  least: Least;
  /**
   * Calls naming A's objects, made by B's owner (B's visitor for the widget,
   * a stranger for public routes): each answers 404 unless it says otherwise,
   * and none changes anything of A's.
   */
  foreign?: (a: Side, b: Side) => Call[];
  /** For a route without ids that answers data: B's answers hold nothing of A's, and do hold `sees` of B's own. */
  read?: (b: Side, a: Side) => (Call & { sees?: string[] })[];
  /** Why a route without ids has nothing of another workspace to reach. */
  self?: string;
  /** The route on B's own objects: refused (403) to every role below `least`, 401 without a session, let through at `least`. */
  own: (b: Side) => Call | Promise<Call>;
  /** Refusals of the route's own rules, beyond its least role. */
  refused?: (b: Side) => Promise<{ role: Role; call: Call }[]>;
};

const O = "/api/ops";
const WB = `${O}/workbench`;
const TEAM = `${O}/team`;
const KB = `${O}/knowledge`;
const WIDGET = "/api/widget";
const rand = () => newId().slice(-8).toLowerCase();
const message = () => ({ clientMsgId: newId(), body: "written by bravo" });
const feedback = (intentId: string) => ({ intentId, question: "a question", suggestion: "a suggestion", accepted: false });
const importFile = (intents: unknown[]) => ({ version: 1, intents });
const noResults = (json: { results?: unknown[] }) => (json?.results?.length === 0 ? null : `found ${JSON.stringify(json?.results)}`);
const allConversations = (s: Side) => [s.conversation, s.assigned, s.closed];

const ROUTES: Record<string, Entry> = {
  // ── The customer's side (widget), with a visitor token ──
  "POST /api/widget/session": {
    least: "public",
    self: "a site's key is public: anyone may start a visit; a token of another site starting a new visitor is tested on its own below",
    own: (b) => post(`${WIDGET}/session`, { siteKey: b.tenant.publicKey }),
  },
  "POST /api/widget/identify": {
    least: "visitor",
    self: "acts on the caller's own visitor and contact",
    own: () => post(`${WIDGET}/identify`, { id: `bravo-${rand()}`, name: "Bravo Person" }),
  },
  "POST /api/widget/logout": {
    least: "visitor",
    self: "signs out the caller's own visitor",
    // A customer of their own: B's first one carries on through the other routes.
    own: async (b) => post(`${WIDGET}/logout`, undefined, { by: await startVisitor(b.tenant.publicKey) }),
  },
  "PATCH /api/widget/contact": {
    least: "visitor",
    self: "acts on the caller's own contact",
    own: () => patch(`${WIDGET}/contact`, { name: "Bravo Person" }),
  },
  "GET /api/widget/conversations": {
    least: "visitor",
    read: (b) => [{ ...get(`${WIDGET}/conversations`), sees: [b.conversation] }],
    own: () => get(`${WIDGET}/conversations`),
  },
  "POST /api/widget/conversations": {
    least: "visitor",
    self: "makes a conversation on the caller's own site",
    own: () => post(`${WIDGET}/conversations`, { context: { url: "https://bravo.example/" } }),
  },
  "GET /api/widget/conversations/:id/messages": {
    least: "visitor",
    foreign: (a) => allConversations(a).map((id) => get(`${WIDGET}/conversations/${id}/messages`)),
    own: (b) => get(`${WIDGET}/conversations/${b.conversation}/messages`),
  },
  "POST /api/widget/conversations/:id/close": {
    least: "visitor",
    foreign: (a) => [post(`${WIDGET}/conversations/${a.conversation}/close`)],
    own: async (b) => {
      // A customer of their own: B's first one has a conversation that a new one would reopen (D8).
      const visitor = await startVisitor(b.tenant.publicKey);
      return post(`${WIDGET}/conversations/${await visitor.createConversation()}/close`, undefined, { by: visitor });
    },
  },
  "POST /api/widget/conversations/:id/rating": {
    least: "visitor",
    foreign: (a) => [post(`${WIDGET}/conversations/${a.closed}/rating`, { resolved: false, rating: 1 })],
    own: async (b) => {
      const visitor = await startVisitor(b.tenant.publicKey);
      const id = await visitor.createConversation();
      await visitor.request(`${WIDGET}/conversations/${id}/close`, { method: "POST" });
      return post(`${WIDGET}/conversations/${id}/rating`, { resolved: true, rating: 5 }, { by: visitor });
    },
  },

  // ── Sign-in, sessions, the inbox and conversations (ops.ts) ──
  "POST /api/ops/login": {
    least: "public",
    self: "signs in by e-mail and password; the workspace follows from the account",
    own: (b) => post(`${O}/login`, { email: b.tenant.agent.email, password: PASSWORD }),
  },
  "POST /api/ops/logout": {
    least: "operator",
    self: "ends the caller's own session",
    own: async (b) => post(`${O}/logout`, undefined, { by: await signIn(b.tenant.agent.email, PASSWORD) }),
  },
  "GET /api/ops/me": {
    least: "operator",
    read: (b) => [{ ...get(`${O}/me`), sees: [b.tenant.workspaceId] }],
    own: () => get(`${O}/me`),
  },
  "GET /api/ops/sessions": {
    least: "operator",
    read: (b) => [{ ...get(`${O}/sessions`), sees: [b.owner.sessionId] }],
    own: () => get(`${O}/sessions`),
  },
  "DELETE /api/ops/sessions/:id": {
    least: "operator",
    foreign: (a) => [a.owner.sessionId, a.operator.sessionId].map((id) => del(`${O}/sessions/${id}`)),
    own: async (b) => del(`${O}/sessions/${(await signIn(b.tenant.agent.email, PASSWORD)).sessionId}`),
  },
  "GET /api/ops/inbox": {
    least: "operator",
    read: (b) => [{ ...get(`${O}/inbox`), sees: [b.conversation] }],
    own: () => get(`${O}/inbox`),
  },
  "GET /api/ops/conversations": {
    least: "operator",
    read: (b) => [
      { ...get(`${O}/conversations`), sees: [b.conversation] },
      ...["open", "queued", "assigned", "closed", "mine"].map((status) => get(`${O}/conversations?status=${status}`)),
    ],
    own: () => get(`${O}/conversations`),
  },
  "GET /api/ops/conversations/:id": {
    least: "operator",
    foreign: (a) => allConversations(a).map((id) => get(`${O}/conversations/${id}`)),
    own: (b) => get(`${O}/conversations/${b.conversation}`),
  },
  "GET /api/ops/conversations/:id/messages": {
    least: "operator",
    foreign: (a) => allConversations(a).map((id) => get(`${O}/conversations/${id}/messages`)),
    own: (b) => get(`${O}/conversations/${b.conversation}/messages`),
  },
  "POST /api/ops/conversations/:id/messages": {
    least: "operator",
    foreign: (a) => allConversations(a).map((id) => post(`${O}/conversations/${id}/messages`, message())),
    own: async (b) => post(`${O}/conversations/${await queued(b)}/messages`, message()),
  },
  "POST /api/ops/conversations/:id/claim": {
    least: "operator",
    foreign: (a) => [post(`${O}/conversations/${a.conversation}/claim`)],
    own: async (b) => post(`${O}/conversations/${await queued(b)}/claim`),
  },
  "POST /api/ops/conversations/:id/close": {
    least: "operator",
    foreign: (a) => [post(`${O}/conversations/${a.assigned}/close`)],
    own: async (b) => post(`${O}/conversations/${await claimedBy(b, b.operator)}/close`),
    // Someone else's conversation is a supervisor's to close.
    refused: async (b) => [{ role: "operator", call: post(`${O}/conversations/${await claimedBy(b, b.supervisor)}/close`) }],
  },

  // ── Queue, presence, transfer, reopen, the supervisor's overview (routing.ts) ──
  "GET /api/ops/routing/presence": {
    least: "operator",
    read: () => [get(`${O}/routing/presence`)],
    own: () => get(`${O}/routing/presence`),
  },
  "PUT /api/ops/routing/presence": {
    least: "operator",
    self: "sets the caller's own presence",
    own: () => put(`${O}/routing/presence`, { presence: "away" }),
  },
  "GET /api/ops/routing/targets": {
    least: "operator",
    read: (b) => [{ ...get(`${O}/routing/targets`), sees: [b.group, b.operator.id] }],
    own: () => get(`${O}/routing/targets`),
  },
  "GET /api/ops/routing/overview": {
    least: "supervisor",
    read: (b) => [{ ...get(`${O}/routing/overview`), sees: [b.conversation, b.group] }],
    own: () => get(`${O}/routing/overview`),
  },
  "GET /api/ops/routing/conversations/:id/decision": {
    least: "operator",
    foreign: (a) => allConversations(a).map((id) => get(`${O}/routing/conversations/${id}/decision`)),
    own: (b) => get(`${O}/routing/conversations/${b.conversation}/decision`),
  },
  "POST /api/ops/routing/conversations/:id/transfer": {
    least: "operator",
    foreign: (a, b) => [
      post(`${O}/routing/conversations/${a.assigned}/transfer`, { groupId: b.group }),
      post(`${O}/routing/conversations/${a.assigned}/transfer`, { operatorId: b.operator.id }),
      // B's own conversation handed to A's group or operator.
      post(`${O}/routing/conversations/${b.conversation}/transfer`, { groupId: a.group }),
      post(`${O}/routing/conversations/${b.conversation}/transfer`, { operatorId: a.operator.id }),
      post(`${O}/routing/conversations/${b.conversation}/transfer`, { operatorId: a.owner.id }),
    ],
    own: async (b) => post(`${O}/routing/conversations/${await claimedBy(b, b.operator)}/transfer`, { groupId: b.group, note: "over to you" }),
  },
  "POST /api/ops/routing/conversations/:id/reopen": {
    least: "operator",
    foreign: (a) => [post(`${O}/routing/conversations/${a.closed}/reopen`)],
    own: async (b) => post(`${O}/routing/conversations/${await closedBy(b, b.operator)}/reopen`),
  },

  // ── The workbench: customer card, canned replies, tags, notes ──
  "PATCH /api/ops/workbench/contacts/:id": {
    least: "operator",
    foreign: (a) => [patch(`${WB}/contacts/${a.contact}`, { name: "renamed by bravo" })],
    own: (b) => patch(`${WB}/contacts/${b.contact}`, { phone: `+380 44 ${Math.floor(Math.random() * 1e6)}` }),
  },
  "GET /api/ops/workbench/contacts/:id/conversations": {
    least: "operator",
    foreign: (a) => [get(`${WB}/contacts/${a.contact}/conversations`)],
    own: (b) => get(`${WB}/contacts/${b.contact}/conversations`),
  },
  "GET /api/ops/workbench/canned": {
    least: "operator",
    read: (b) => [{ ...get(`${WB}/canned`), sees: [b.cannedShared] }],
    own: () => get(`${WB}/canned`),
  },
  "POST /api/ops/workbench/canned": {
    least: "operator",
    self: "makes a reply in the caller's own workspace",
    own: () => post(`${WB}/canned`, { shortcut: `b-${rand()}`, body: "a bravo reply" }),
    // Workspace-wide replies are an admin's.
    refused: async () =>
      (["operator", "supervisor"] as const).map((role) => ({ role, call: post(`${WB}/canned`, { shortcut: `b-${rand()}`, body: "shared", shared: true }) })),
  },
  "PATCH /api/ops/workbench/canned/:id": {
    least: "operator",
    foreign: (a) => [a.cannedShared, a.cannedPersonal].map((id) => patch(`${WB}/canned/${id}`, { body: "changed by bravo" })),
    own: async (b) => patch(`${WB}/canned/${await personalReply(b)}`, { body: "changed" }),
    refused: async (b) =>
      (["operator", "supervisor"] as const).map((role) => ({ role, call: patch(`${WB}/canned/${b.cannedShared}`, { body: "changed" }) })),
  },
  "DELETE /api/ops/workbench/canned/:id": {
    least: "operator",
    foreign: (a) => [a.cannedShared, a.cannedPersonal].map((id) => del(`${WB}/canned/${id}`)),
    own: async (b) => del(`${WB}/canned/${await personalReply(b)}`),
    refused: async (b) => (["operator", "supervisor"] as const).map((role) => ({ role, call: del(`${WB}/canned/${b.cannedShared}`) })),
  },
  "GET /api/ops/workbench/tags": {
    least: "operator",
    read: (b) => [{ ...get(`${WB}/tags`), sees: [b.tag] }],
    own: () => get(`${WB}/tags`),
  },
  "POST /api/ops/workbench/tags": {
    least: "operator",
    // Tag names are unique per workspace, not across them.
    foreign: (a) => [post(`${WB}/tags`, { name: a.plainTagName }, { expect: 201 })],
    own: () => post(`${WB}/tags`, { name: `bravo-${rand()}` }),
  },
  "PATCH /api/ops/workbench/tags/:id": {
    least: "supervisor",
    foreign: (a) => [patch(`${WB}/tags/${a.tag}`, { color: "#000000" }), patch(`${WB}/tags/${a.plainTag}`, { name: "renamed-by-bravo" })],
    own: async (b) => patch(`${WB}/tags/${await newTag(b)}`, { color: "#00ff00" }),
  },
  "DELETE /api/ops/workbench/tags/:id": {
    least: "supervisor",
    foreign: (a) => [del(`${WB}/tags/${a.tag}`)],
    own: async (b) => del(`${WB}/tags/${await newTag(b)}`),
  },
  "GET /api/ops/workbench/conversations/:id/card": {
    least: "operator",
    foreign: (a) => allConversations(a).map((id) => get(`${WB}/conversations/${id}/card`)),
    own: (b) => get(`${WB}/conversations/${b.conversation}/card`),
  },
  "POST /api/ops/workbench/conversations/:id/tags": {
    least: "operator",
    foreign: (a, b) => [
      post(`${WB}/conversations/${a.conversation}/tags`, { tagId: b.tag }),
      post(`${WB}/conversations/${a.conversation}/tags`, { name: "bravo-tag" }),
      post(`${WB}/conversations/${b.conversation}/tags`, { tagId: a.tag }),
      // A's tag name on B's conversation is B's own tag of that name.
      post(`${WB}/conversations/${b.conversation}/tags`, { name: a.plainTagName }, { expect: 200 }),
    ],
    own: (b) => post(`${WB}/conversations/${b.conversation}/tags`, { tagId: b.tag }),
  },
  "DELETE /api/ops/workbench/conversations/:id/tags/:tagId": {
    least: "operator",
    foreign: (a, b) => [
      del(`${WB}/conversations/${a.conversation}/tags/${a.tag}`),
      del(`${WB}/conversations/${a.conversation}/tags/${b.tag}`),
      del(`${WB}/conversations/${b.conversation}/tags/${a.tag}`),
    ],
    own: async (b) => {
      const tag = await newTag(b);
      await b.owner.request(`${WB}/conversations/${b.conversation}/tags`, { method: "POST", body: JSON.stringify({ tagId: tag }) });
      return del(`${WB}/conversations/${b.conversation}/tags/${tag}`);
    },
  },
  "GET /api/ops/workbench/conversations/:id/notes": {
    least: "operator",
    foreign: (a) => allConversations(a).map((id) => get(`${WB}/conversations/${id}/notes`)),
    own: (b) => get(`${WB}/conversations/${b.conversation}/notes`),
  },
  "POST /api/ops/workbench/conversations/:id/notes": {
    least: "operator",
    foreign: (a) => [post(`${WB}/conversations/${a.conversation}/notes`, { body: "a bravo note" })],
    own: (b) => post(`${WB}/conversations/${b.conversation}/notes`, { body: "a bravo note" }),
  },

  // ── Site settings (admins) ──
  "GET /api/ops/settings/sites": {
    least: "admin",
    read: (b) => [{ ...get(`${O}/settings/sites`), sees: [b.site] }],
    own: () => get(`${O}/settings/sites`),
  },
  "GET /api/ops/settings/sites/:id": {
    least: "admin",
    foreign: (a) => [get(`${O}/settings/sites/${a.site}`)],
    own: (b) => get(`${O}/settings/sites/${b.site}`),
  },
  "PATCH /api/ops/settings/sites/:id": {
    least: "admin",
    foreign: (a) => [patch(`${O}/settings/sites/${a.site}`, { name: "taken by bravo", allowedOrigins: ["https://bravo.example"] })],
    own: (b) => patch(`${O}/settings/sites/${b.site}`, { reopenMinutes: 30 }),
  },
  "GET /api/ops/settings/sites/:id/identity-secret": {
    least: "admin",
    foreign: (a) => [get(`${O}/settings/sites/${a.site}/identity-secret`)],
    own: (b) => get(`${O}/settings/sites/${b.site}/identity-secret`),
  },
  "POST /api/ops/settings/sites/:id/identity-secret": {
    least: "admin",
    foreign: (a) => [post(`${O}/settings/sites/${a.site}/identity-secret`, { signOutVerified: true })],
    own: (b) => post(`${O}/settings/sites/${b.site}/identity-secret`, {}),
  },

  // ── Search ──
  "GET /api/ops/search": {
    least: "operator",
    read: (b, a) => [
      // A's message text, customer name, e-mail and tag: each would find A's conversation if search crossed over.
      ...[a.marker, `${a.marker} secret`, `${a.marker} Customer`, `${a.marker}@example.test`, a.tagName].map((q) =>
        get(`${O}/search?q=${encodeURIComponent(q)}`, { check: noResults }),
      ),
      // A word both workspaces' customers wrote finds B's only (and does find B's: the check above is not a blanket refusal).
      { ...get(`${O}/search?q=secret`), sees: [b.conversation] },
    ],
    own: () => get(`${O}/search?q=secret`),
  },

  // ── The knowledge base ──
  "GET /api/ops/knowledge": {
    least: "operator",
    read: (b) => [{ ...get(KB), sees: [b.intent] }],
    own: () => get(KB),
  },
  "GET /api/ops/knowledge/export": {
    least: "admin",
    read: (b) => [{ ...get(`${KB}/export`), sees: [b.intentKey] }],
    own: () => get(`${KB}/export`),
  },
  "POST /api/ops/knowledge/import": {
    least: "admin",
    foreign: (a) => [
      // A's group is no group of B's, by name either.
      post(`${KB}/import?mode=merge`, importFile([{ ...intentBody(`bravo-${rand()}`), group: `${a.marker} group` }]), { expect: 400 }),
      // A key that A has too makes B's own intent; A's stays as it was (the snapshot says).
      post(`${KB}/import?mode=merge`, importFile([intentBody(a.plainIntentKey)]), { expect: 200 }),
    ],
    own: () => post(`${KB}/import?mode=merge`, importFile([intentBody(`bravo-${rand()}`)])),
  },
  "GET /api/ops/knowledge/sites/:siteId/bot": {
    least: "admin",
    foreign: (a) => [get(`${KB}/sites/${a.site}/bot`)],
    own: (b) => get(`${KB}/sites/${b.site}/bot`),
  },
  "PUT /api/ops/knowledge/sites/:siteId/bot": {
    least: "admin",
    foreign: (a) => [put(`${KB}/sites/${a.site}/bot`, { enabled: false })],
    own: (b) => put(`${KB}/sites/${b.site}/bot`, { idleCloseMinutes: 30 }),
  },
  "GET /api/ops/knowledge/model": {
    least: "admin",
    read: () => [get(`${KB}/model`)],
    own: () => get(`${KB}/model`),
  },
  "PUT /api/ops/knowledge/model": {
    least: "admin",
    self: "sets the caller's own workspace's model",
    own: () => put(`${KB}/model`, { enabled: false, url: "", model: "", timeoutMs: 5000 }),
  },
  "GET /api/ops/knowledge/embeddings": {
    least: "admin",
    read: () => [get(`${KB}/embeddings`)],
    own: () => get(`${KB}/embeddings`),
  },
  "PUT /api/ops/knowledge/embeddings": {
    least: "admin",
    self: "sets the caller's own workspace's embeddings provider",
    own: () => put(`${KB}/embeddings`, { enabled: false, provider: "openai", url: "", model: "", timeoutMs: 800 }),
  },
  "POST /api/ops/knowledge/embeddings/retry": {
    least: "admin",
    self: "queues the caller's own workspace's failed vectors again",
    own: () => post(`${KB}/embeddings/retry`),
  },
  "GET /api/ops/knowledge/:id": {
    least: "operator",
    foreign: (a) => [get(`${KB}/${a.intent}`)],
    own: (b) => get(`${KB}/${b.intent}`),
  },
  "POST /api/ops/knowledge": {
    least: "admin",
    foreign: (a) => [post(KB, { ...intentBody(`bravo-${rand()}`), groupId: a.group }, { expect: 400 })],
    own: () => post(KB, intentBody(`bravo-${rand()}`)),
  },
  "PUT /api/ops/knowledge/:id": {
    least: "admin",
    foreign: (a, b) => [
      put(`${KB}/${a.intent}`, intentBody(`bravo-${rand()}`)),
      put(`${KB}/${a.plainIntent}`, intentBody(a.plainIntentKey)),
      put(`${KB}/${b.intent}`, { ...intentBody(b.intentKey), groupId: a.group }, { expect: 400 }),
    ],
    own: (b) => put(`${KB}/${b.intent}`, intentBody(b.intentKey)),
  },
  "DELETE /api/ops/knowledge/:id": {
    least: "admin",
    foreign: (a) => [del(`${KB}/${a.intent}`), del(`${KB}/${a.plainIntent}`)],
    own: async (b) => del(`${KB}/${await newIntent(b)}`),
  },
  "PUT /api/ops/knowledge/:id/enabled": {
    least: "admin",
    foreign: (a) => [put(`${KB}/${a.intent}/enabled`, { enabled: false })],
    own: (b) => put(`${KB}/${b.intent}/enabled`, { enabled: true }),
  },
  "POST /api/ops/knowledge/:id/phrasings": {
    least: "admin",
    foreign: (a, b) => [
      post(`${KB}/${a.intent}/phrasings`, { lang: "en", text: "a bravo phrasing" }),
      // B's intent, but the question it came from is A's.
      post(`${KB}/${b.intent}/phrasings`, { lang: "en", text: "a bravo phrasing", unansweredId: a.question }),
    ],
    own: (b) => post(`${KB}/${b.intent}/phrasings`, { lang: "en", text: `a bravo phrasing ${rand()}` }),
  },

  // ── Unanswered questions ──
  "GET /api/ops/unanswered": {
    least: "operator",
    read: (b) => [{ ...get(`${O}/unanswered`), sees: [b.question] }],
    own: () => get(`${O}/unanswered`),
  },
  "POST /api/ops/unanswered/:id/add": {
    least: "admin",
    foreign: (a, b) => [
      post(`${O}/unanswered/${a.question}/add`, { intentId: b.intent }),
      post(`${O}/unanswered/${a.question}/add`, { intentId: a.intent }),
      post(`${O}/unanswered/${b.question}/add`, { intentId: a.intent }),
    ],
    own: async (b) => post(`${O}/unanswered/${await newQuestion(b)}/add`, { intentId: b.intent }),
  },
  "POST /api/ops/unanswered/:id/dismiss": {
    least: "admin",
    foreign: (a) => [post(`${O}/unanswered/${a.question}/dismiss`, { all: true })],
    own: async (b) => post(`${O}/unanswered/${await newQuestion(b)}/dismiss`, {}),
  },

  // ── The prompter ──
  "GET /api/ops/prompter/conversations/:id/suggestions": {
    least: "operator",
    foreign: (a) => allConversations(a).map((id) => get(`${O}/prompter/conversations/${id}/suggestions`)),
    own: (b) => get(`${O}/prompter/conversations/${b.conversation}/suggestions`),
  },
  "POST /api/ops/prompter/conversations/:id/feedback": {
    least: "operator",
    foreign: (a, b) => [
      post(`${O}/prompter/conversations/${a.conversation}/feedback`, feedback(b.intent)),
      post(`${O}/prompter/conversations/${a.conversation}/feedback`, feedback(a.intent)),
      post(`${O}/prompter/conversations/${b.conversation}/feedback`, feedback(a.intent)),
    ],
    own: (b) => post(`${O}/prompter/conversations/${b.conversation}/feedback`, feedback(b.intent)),
  },

  // ── Analytics (A1–A8): supervisors and above; filters naming another workspace's ids are 404 ──
  ...analyticsRoutes(),

  // ── The team: invites, operators, groups, sites' default groups ──
  "GET /api/ops/team/invites/:token": {
    least: "public",
    // The token in the link is the credential; an invite's id, or a made-up token, is not one.
    foreign: (a) => [get(`${TEAM}/invites/${a.invite.id}`), get(`${TEAM}/invites/${newId()}`)],
    own: async (b) => get(`${TEAM}/invites/${(await newInvite(b)).token}`),
  },
  "POST /api/ops/team/invites/:token/accept": {
    least: "public",
    foreign: (a) => [post(`${TEAM}/invites/${a.invite.id}/accept`, { password: "a long enough password" })],
    own: async (b) => post(`${TEAM}/invites/${(await newInvite(b)).token}/accept`, { password: "a long enough password" }),
  },
  "GET /api/ops/team/operators": {
    least: "operator",
    read: (b) => [{ ...get(`${TEAM}/operators`), sees: [b.operator.id, b.owner.id] }],
    own: () => get(`${TEAM}/operators`),
  },
  "GET /api/ops/team/groups": {
    least: "operator",
    read: (b) => [{ ...get(`${TEAM}/groups`), sees: [b.group] }],
    own: () => get(`${TEAM}/groups`),
  },
  "POST /api/ops/team/me/password": {
    least: "operator",
    self: "changes the caller's own password",
    own: async (b) => post(`${TEAM}/me/password`, { current: PASSWORD, next: "another long password" }, { by: await newMember(b) }),
  },
  "PATCH /api/ops/team/operators/:id": {
    least: "admin",
    foreign: (a) => [patch(`${TEAM}/operators/${a.operator.id}`, { maxChats: 1 }), patch(`${TEAM}/operators/${a.owner.id}`, { role: "operator" })],
    own: (b) => patch(`${TEAM}/operators/${b.operator.id}`, { maxChats: 4 }),
    // Owners are an owner's to change.
    refused: async (b) => [{ role: "admin", call: patch(`${TEAM}/operators/${b.owner.id}`, { role: "operator" }) }],
  },
  "POST /api/ops/team/operators/:id/deactivate": {
    least: "admin",
    foreign: (a) => [a.operator.id, a.admin.id].map((id) => post(`${TEAM}/operators/${id}/deactivate`)),
    own: async (b) => post(`${TEAM}/operators/${(await newMember(b)).id}/deactivate`),
    refused: async (b) => [{ role: "admin", call: post(`${TEAM}/operators/${b.owner.id}/deactivate`) }],
  },
  "POST /api/ops/team/operators/:id/reactivate": {
    least: "admin",
    foreign: (a) => [post(`${TEAM}/operators/${a.operator.id}/reactivate`)],
    own: (b) => post(`${TEAM}/operators/${b.operator.id}/reactivate`),
    refused: async (b) => [{ role: "admin", call: post(`${TEAM}/operators/${b.owner.id}/reactivate`) }],
  },
  "GET /api/ops/team/invites": {
    least: "admin",
    read: (b) => [{ ...get(`${TEAM}/invites`), sees: [b.invite.id] }],
    own: () => get(`${TEAM}/invites`),
  },
  "POST /api/ops/team/invites": {
    least: "admin",
    foreign: (a) => [post(`${TEAM}/invites`, { email: `invitee-${rand()}@example.test`, name: "Bravo Invitee", role: "operator", groupIds: [a.group] })],
    own: () => post(`${TEAM}/invites`, { email: `invitee-${rand()}@example.test`, name: "Bravo Invitee", role: "operator" }),
    refused: async () => [{ role: "admin", call: post(`${TEAM}/invites`, { email: `invitee-${rand()}@example.test`, name: "Would-be Owner", role: "owner" }) }],
  },
  "DELETE /api/ops/team/invites/:id": {
    least: "admin",
    foreign: (a) => [del(`${TEAM}/invites/${a.invite.id}`)],
    own: async (b) => del(`${TEAM}/invites/${(await newInvite(b)).id}`),
  },
  "POST /api/ops/team/groups": {
    least: "admin",
    self: "makes a group in the caller's own workspace",
    own: () => post(`${TEAM}/groups`, { name: `bravo group ${rand()}` }),
  },
  "PATCH /api/ops/team/groups/:id": {
    least: "admin",
    foreign: (a) => [patch(`${TEAM}/groups/${a.group}`, { name: "taken by bravo" })],
    own: (b) => patch(`${TEAM}/groups/${b.group}`, { returnOnOffline: true }),
  },
  "DELETE /api/ops/team/groups/:id": {
    least: "admin",
    foreign: (a) => [del(`${TEAM}/groups/${a.group}`)],
    own: async (b) => del(`${TEAM}/groups/${await newGroup(b)}`),
  },
  "PUT /api/ops/team/groups/:id/members/:operatorId": {
    least: "admin",
    foreign: (a, b) => [
      put(`${TEAM}/groups/${a.group}/members/${b.operator.id}`),
      put(`${TEAM}/groups/${a.group}/members/${a.owner.id}`),
      put(`${TEAM}/groups/${b.group}/members/${a.operator.id}`),
    ],
    own: (b) => put(`${TEAM}/groups/${b.group}/members/${b.operator.id}`),
  },
  "DELETE /api/ops/team/groups/:id/members/:operatorId": {
    least: "admin",
    foreign: (a, b) => [del(`${TEAM}/groups/${a.group}/members/${a.operator.id}`), del(`${TEAM}/groups/${b.group}/members/${a.operator.id}`)],
    own: async (b) => {
      const group = await newGroup(b);
      await b.owner.request(`${TEAM}/groups/${group}/members/${b.operator.id}`, { method: "PUT" });
      return del(`${TEAM}/groups/${group}/members/${b.operator.id}`);
    },
  },
  "GET /api/ops/team/sites": {
    least: "admin",
    read: (b) => [{ ...get(`${TEAM}/sites`), sees: [b.site] }],
    own: () => get(`${TEAM}/sites`),
  },
  "PUT /api/ops/team/sites/:id/default-group": {
    least: "admin",
    foreign: (a, b) => [
      put(`${TEAM}/sites/${a.site}/default-group`, { groupId: b.group }),
      put(`${TEAM}/sites/${a.site}/default-group`, { groupId: null }),
      put(`${TEAM}/sites/${b.site}/default-group`, { groupId: a.group }),
    ],
    own: (b) => put(`${TEAM}/sites/${b.site}/default-group`, { groupId: b.group }),
  },
};

async function personalReply(b: Side) {
  const response = await b.operator.request(`${WB}/canned`, { method: "POST", body: JSON.stringify({ shortcut: `p-${rand()}`, body: "mine" }) });
  return ((await response.json()) as { reply: { id: string } }).reply.id;
}

async function newTag(b: Side) {
  const response = await b.owner.request(`${WB}/tags`, { method: "POST", body: JSON.stringify({ name: `bravo-${rand()}` }) });
  return ((await response.json()) as { tag: { id: string } }).tag.id;
}

/**
 * The app's endpoints as `METHOD /path`, from Hono's own route list
 * (`app.routes`, the app imported into Node as it is), its middleware (`use`:
 * an ALL on a `*` path) left out. Imported by a path tsc does not follow: the
 * app's types reach the rooms', which are Workers code, not this Node test's.
 */
async function appEndpoints(): Promise<string[]> {
  const appModule = new URL("../app.ts", import.meta.url).href;
  const { app } = (await import(/* @vite-ignore */ appModule)) as { app: { routes: { method: string; path: string }[] } };
  const endpoints = app.routes.filter((r) => !(r.method === "ALL" && r.path.endsWith("*"))).map((r) => `${r.method} ${r.path}`);
  return [...new Set(endpoints)];
}

/** Whether `call` is a request to `route`: a map entry must call the route it is filed under. */
function hits(route: string, call: Call) {
  const [method, pattern] = route.split(" ");
  const path = new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, "[^/]+")}$`);
  return call.method === method && path.test(call.path.split("?")[0]);
}

const RANK: Record<Role, number> = { operator: 0, supervisor: 1, admin: 2, owner: 3 };
const ROLES: Role[] = ["operator", "supervisor", "admin", "owner"];
const isRole = (least: Least): least is Role => least in RANK;
const is2xx = (status: number) => status >= 200 && status < 300;

let a: Side;
let b: Side;
let before: Record<string, string[]>;
let secrets: string[];

beforeAll(async () => {
  // A is the workspace under attack, B the attacker; "alpha…" and "bravo…" are in every text of theirs.
  [a, b] = await Promise.all([buildSide(`alpha${rand()}`), buildSide(`bravo${rand()}`)]);
  secrets = secretsOf(a);
  // The rooms finish their own writes (routing decisions, events) a moment after answering.
  let last = await snapshot(a.tenant.workspaceId);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const next = await snapshot(a.tenant.workspaceId);
    if (JSON.stringify(next) === JSON.stringify(last)) break;
    last = next;
  }
  before = last;
}, 120_000);

/** Sends as `by` and notes anything wrong with the answer: a status not wanted, or anything of A's it shows. */
async function attempt(problems: string[], route: string, by: Client, call: Call, wanted: (status: number) => boolean, want: string) {
  const answer = await send(by, call);
  const where = `${route} ← ${call.method} ${call.path}`;
  if (!wanted(answer.status)) problems.push(`${where}: ${answer.status}, wanted ${want}: ${answer.text.slice(0, 300)}`);
  // A's ids that B put in the request may come back in an error message; nothing else of A's may.
  const asked = `${call.path} ${JSON.stringify(call.body ?? null)}`;
  const shown = secrets.filter((s) => !asked.includes(s) && answer.text.includes(s));
  if (shown.length) problems.push(`${where}: shows A's ${shown.join(", ")}`);
  if (call.check && answer.status < 300) {
    const wrong = call.check(answer.json);
    if (wrong) problems.push(`${where}: ${wrong}`);
  }
  return answer;
}

describe("every route of the API, tried from another workspace and by each role", () => {
  it("has an entry for every route the app serves, and none for a route it does not", async () => {
    const served = await appEndpoints();
    // A route whose path cannot be told apart from middleware would be missed: there must be plenty.
    expect(served.length).toBeGreaterThan(60);
    const missing = served.filter((route) => !(route in ROUTES));
    const stale = Object.keys(ROUTES).filter((route) => !served.includes(route));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    const incomplete = Object.entries(ROUTES)
      .filter(([route, entry]) => (route.includes(":") ? !entry.foreign : !entry.foreign && !entry.read && !entry.self))
      .map(([route]) => route);
    // A route with an id is tried with A's ids; one without says what it reads (and B must see none of A's in it) or why it reaches only the caller.
    expect(incomplete).toEqual([]);
  });

  it("answers B's calls that name A's objects with 404 and changes nothing of A's", { timeout: 180_000 }, async () => {
    // A has rows in every table the snapshot reads, or "unchanged" would prove little.
    expect(Object.entries(before).filter(([, rows]) => rows.length === 0).map(([table]) => table)).toEqual([]);
    const problems: string[] = [];
    let count = 0;
    for (const [route, entry] of Object.entries(ROUTES)) {
      const calls = entry.foreign?.(a, b) ?? [];
      if (route.includes(":") && calls.length === 0) problems.push(`${route}: no call with A's ids`);
      for (const call of calls) {
        if (!hits(route, call)) problems.push(`${route}: its foreign call ${call.method} ${call.path} is to another route`);
        const by = call.by ?? (entry.least === "visitor" ? b.visitor : entry.least === "public" ? stranger : b.owner);
        const status = call.expect ?? 404;
        await attempt(problems, route, by, call, (s) => s === status, String(status));
        count++;
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(60);
    expect(await snapshot(a.tenant.workspaceId)).toEqual(before);
  });

  it("shows B none of A's data in lists, exports, search, the inbox and the overview", { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    for (const [route, entry] of Object.entries(ROUTES)) {
      for (const call of entry.read?.(b, a) ?? []) {
        if (!hits(route, call)) problems.push(`${route}: its read ${call.method} ${call.path} is to another route`);
        const by = call.by ?? (entry.least === "visitor" ? b.visitor : b.owner);
        const answer = await attempt(problems, route, by, call, (s) => s === (call.expect ?? 200), String(call.expect ?? 200));
        // B's own data is there: the answer is not empty for everyone.
        const sees = (call as { sees?: string[] }).sees ?? [];
        const absent = sees.filter((s) => !answer.text.includes(s));
        if (absent.length) problems.push(`${route} ← ${call.path}: lacks B's own ${absent.join(", ")}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("refuses each route without a session (401) and to every role below its least (403), and lets that role through", { timeout: 300_000 }, async () => {
    const problems: string[] = [];
    for (const [route, entry] of Object.entries(ROUTES)) {
      const call = await entry.own(b);
      if (!hits(route, call)) problems.push(`${route}: its own call ${call.method} ${call.path} is to another route`);
      const { least } = entry;
      if (least !== "public") {
        // Without a session cookie or visitor token: nobody.
        await attempt(problems, route, stranger, call, (s) => s === 401, "401");
      }
      if (isRole(least)) {
        for (const role of ROLES.filter((r) => RANK[r] < RANK[least])) {
          await attempt(problems, `${route} as ${role}`, b.members[role as keyof Side["members"]], call, (s) => s === 403, "403");
        }
        for (const refusal of (await entry.refused?.(b)) ?? []) {
          if (!hits(route, refusal.call)) problems.push(`${route}: its refused call ${refusal.call.path} is to another route`);
          await attempt(problems, `${route} as ${refusal.role}`, b.members[refusal.role as keyof Side["members"]], refusal.call, (s) => s === 403, "403");
        }
      }
      // The least role itself gets through (so the map's role is the route's, not only a lower bound).
      const by = call.by ?? (least === "public" ? stranger : least === "visitor" ? b.visitor : b.members[least as keyof Side["members"]]);
      await attempt(problems, `${route} as ${least}`, by, call, call.expect ? (s) => s === call.expect : is2xx, call.expect ? String(call.expect) : "2xx");
    }
    expect(problems).toEqual([]);
    // Nothing B's people did in their own workspace touched A's.
    expect(await snapshot(a.tenant.workspaceId)).toEqual(before);
  });

  it("answers ids that are no ids with a 4xx, never a 500", { timeout: 120_000 }, async () => {
    const problems: string[] = [];
    const junk = ["nothing-here", "Z".repeat(300), "%F0%9F%92%A5", "'%20OR%201=1--", "..%2F.."];
    for (const [route, entry] of Object.entries(ROUTES)) {
      if (!route.includes(":")) continue;
      const [method, pattern] = route.split(" ");
      // The body of the route's first foreign call is a valid one: only the ids in the path are wrong.
      const body = entry.foreign?.(a, b)[0]?.body;
      const by = entry.least === "visitor" ? b.visitor : entry.least === "public" ? stranger : b.owner;
      for (const id of junk) {
        const call = { method, path: pattern.replace(/:[A-Za-z]+/g, id), body };
        await attempt(problems, route, by, call, (s) => s >= 400 && s < 500, "4xx");
      }
    }
    expect(problems).toEqual([]);
  });

  it("starts a new visitor, not B's, when B's visitor token comes with A's site key", async () => {
    const response = await stranger.request(`${WIDGET}/session`, {
      method: "POST",
      body: JSON.stringify({ siteKey: a.tenant.publicKey, token: b.visitor.token }),
    });
    expect(response.status).toBe(200);
    const started = (await response.json()) as { token: string; visitorId: string };
    expect(started.visitorId).not.toBe(b.visitor.visitorId);
    // And that visitor has none of B's conversations, nor A's first customer's.
    const list = await fetch(`${new URL(response.url).origin}${WIDGET}/conversations`, { headers: { authorization: `Bearer ${started.token}` } });
    expect(list.status).toBe(200);
    const text = await list.text();
    for (const id of [b.conversation, a.conversation]) expect(text).not.toContain(id);
  });
});

/** Every analytics route: a filter or drill naming A's objects finds nothing, and B's answers hold nothing of A's. */
function analyticsRoutes(): Record<string, Entry> {
  const A = `${O}/analytics`;
  const day = new Date().toISOString().slice(0, 10);
  const range = `from=${day}&to=${day}`;
  const filtersOf = (a: Side) => [`site=${a.site}`, `group=${a.group}`, `operator=${a.operator.id}`, `tag=${a.tag}`];
  const noRows = (json: { rows?: unknown[] }) => (json?.rows?.length === 0 ? null : `drilled into ${JSON.stringify(json?.rows)}`);
  const views = ["speed", "load", "teams", "automation", "satisfaction", "topics"] as const;
  const routes: Record<string, Entry> = {
    "GET /api/ops/analytics/settings": { least: "supervisor", read: () => [get(`${A}/settings`)], own: () => get(`${A}/settings`) },
    "PUT /api/ops/analytics/settings": {
      least: "admin",
      self: "changes the caller's own workspace",
      own: () => put(`${A}/settings`, { timeZone: "Europe/Kyiv", handoffWarnPoints: 12 }),
    },
    "GET /api/ops/analytics/version": { least: "supervisor", read: () => [get(`${A}/version`)], own: () => get(`${A}/version`) },
    "GET /api/ops/analytics/filters": {
      least: "supervisor",
      read: (b) => [{ ...get(`${A}/filters`), sees: [b.group, b.tag, b.operator.id, b.site] }],
      own: () => get(`${A}/filters`),
    },
    "GET /api/ops/analytics/drill": {
      least: "supervisor",
      foreign: (a) => [
        ...filtersOf(a).map((filter) => get(`${A}/drill?${range}&drill=alone&${filter}`)),
        ...[`tag:${a.tag}`, `operator:${a.operator.id}`, `group:${a.group}`, `intent:${a.intent}`].map((drill) =>
          get(`${A}/drill?${range}&drill=${drill}`, { expect: 200, check: noRows }),
        ),
      ],
      read: (b) => [{ ...get(`${A}/drill?${range}&drill=series:started:${day}`), sees: [b.conversation] }],
      own: () => get(`${A}/drill?${range}&drill=metric:firstResponse`),
    },
    "GET /api/ops/analytics/export/conversations.csv": {
      least: "supervisor",
      foreign: (a) => filtersOf(a).map((filter) => get(`${A}/export/conversations.csv?${range}&${filter}`)),
      read: (b) => [{ ...get(`${A}/export/conversations.csv?${range}`), sees: [b.conversation, b.contact] }],
      own: () => get(`${A}/export/conversations.csv?${range}`),
    },
    "GET /api/ops/analytics/export/contacts.csv": {
      least: "supervisor",
      foreign: (a) => filtersOf(a).map((filter) => get(`${A}/export/contacts.csv?${range}&${filter}`)),
      read: (b) => [{ ...get(`${A}/export/contacts.csv?${range}`), sees: [b.contact] }],
      own: () => get(`${A}/export/contacts.csv?${range}`),
    },
    "GET /api/ops/analytics/:view": {
      least: "supervisor",
      foreign: (a) => views.flatMap((view) => filtersOf(a).map((filter) => get(`${A}/${view}?${range}&${filter}`))),
      read: (b) => [
        { ...get(`${A}/teams?${range}`), sees: [b.group, b.operator.id] },
        ...views.map((view) => get(`${A}/${view}?${range}&compare=1`)),
      ],
      own: () => get(`${A}/speed?${range}`),
    },
  };
  return routes;
}
