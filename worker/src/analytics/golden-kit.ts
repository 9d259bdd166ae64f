// The golden table's kit: scenarios built through the real widget, rooms and
// operator API, then re-timed to a scripted timeline, then read back through
// the analytics API. Real time passes in milliseconds; each step says when it
// "happened", and every row the step wrote takes that time.
import type { AnalyticsAnswer, AnalyticsView, Csat, Distribution, TeamRow } from "@tandem/protocol";
import { newId } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { botTenant, type BotSettings } from "../../../scripts/test-kit/bot-kit";
import {
  createTenant,
  database,
  joinConversation,
  say,
  signIn,
  startVisitor,
  type Operator,
  type Tenant,
  type TestSocket,
  type Visitor,
} from "../../../scripts/test-kit/clients";
import { member } from "../../../scripts/test-kit/team-kit";

/** An instant written with its offset ("2026-11-03T09:00+02:00"), so a reader sees the wall clock and the zone's offset. */
export function at(when: string): number {
  if (!/[+-]\d\d:\d\d$|Z$/.test(when)) throw new Error(`${when}: write the offset`);
  const ms = Date.parse(when);
  if (Number.isNaN(ms)) throw new Error(`${when} is not a time`);
  return ms;
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** The local calendar day of an instant in a zone, as YYYY-MM-DD (for scenarios placed relative to now). */
export function localDay(ms: number, zone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);
}

/** A weekly schedule for a site, in its time zone. */
export type Hours = { timeZone: string; days: Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", [string, string][]> };
export const NEVER: Hours = { timeZone: "Europe/Kyiv", days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
export const OFFICE: Hours = {
  timeZone: "Europe/Kyiv",
  days: { mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "18:00"]], sat: [], sun: [] },
};

type Stamp = { real: number; at: number; conversationId: string | null };

export type ScriptOptions = {
  /** A workspace with the demo knowledge base and these site bot settings; without it, a workspace with no bot. */
  bot?: BotSettings;
  zone?: string;
};

/** One scenario family's workspace and timeline. */
export class Script {
  readonly events = new Map<number, Stamp>();
  readonly messages = new Map<string, Stamp>();
  readonly customers: Customer[] = [];
  #openMark = 0;
  #mark = 0;
  #markOf = new Map<string, number>();
  #last = -Infinity;
  #retimed = false;

  private constructor(
    readonly tenant: Tenant,
    /** The owner: supervisor and more; reads analytics. */
    readonly owner: Operator,
    /** A plain operator. */
    readonly agent: Operator,
    readonly zone: string,
  ) {}

  static async open(label: string, options: ScriptOptions = {}) {
    const zone = options.zone ?? "Europe/Kyiv";
    // Bot workspaces never close on silence unless a scenario asks: a real 30-minute timer must not fire mid-run.
    const tenant = options.bot ? await botTenant(label, { idleCloseMinutes: 0, ...options.bot }) : await createTenant(label);
    const owner = await signIn(tenant.owner.email, tenant.owner.password);
    const agent = await signIn(tenant.agent.email, tenant.agent.password);
    const script = new Script(tenant, owner, agent, zone);
    const settings = await owner.request("/api/ops/analytics/settings", { method: "PUT", body: JSON.stringify({ timeZone: zone }) });
    if (settings.status !== 200) throw new Error(`analytics settings: ${settings.status} ${await settings.text()}`);
    await script.#markNow();
    return script;
  }

  get workspaceId() {
    return this.tenant.workspaceId;
  }

  /** Setup rows (groups, sites, settings) written before the timeline starts are not part of it. */
  async #markNow() {
    const [row] = await database().all<{ id: number | null }>(sql`SELECT MAX(id) AS id FROM events WHERE workspace_id = ${this.workspaceId}`);
    this.#openMark = this.#mark = row?.id ?? 0;
  }

  /** Setup outside the timeline (a group, a site, settings): its events, if any, are not retimed. */
  async setup<T>(action: () => Promise<T>): Promise<T> {
    if (this.events.size > 0) throw new Error("setup comes before the first step");
    const result = await action();
    await this.#markNow();
    return result;
  }

  /**
   * Runs `action` (which must wait for everything it causes) and stamps every
   * row it wrote with `when`. Steps go forward in scripted time.
   */
  async at<T>(when: string | number, action: () => Promise<T>): Promise<T> {
    const target = typeof when === "number" ? when : at(when);
    if (target < this.#last) throw new Error(`step ${String(when)} goes back in time`);
    if (this.#retimed) throw new Error("the timeline is retimed already");
    this.#last = target;
    const started = Date.now();
    const result = await action();
    await this.#collect(target, started, null);
    return result;
  }

  /**
   * A step of one conversation, for scenarios that build many conversations
   * at once: only that conversation's rows take the time. Each conversation's
   * own steps must still go in order.
   */
  async atFor<T>(customer: Customer, when: number, action: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await action();
    await this.#collect(when, started, customer.id);
    return result;
  }

  async #collect(target: number, started: number, conversationId: string | null) {
    const db = database();
    const events = conversationId
      ? await db.all<{ id: number; at: number; conversationId: string | null }>(sql`
          SELECT id, at, conversation_id AS conversationId FROM events
          WHERE workspace_id = ${this.workspaceId} AND conversation_id = ${conversationId} AND id > ${this.#markOf.get(conversationId) ?? this.#openMark}
          ORDER BY id`)
      : await db.all<{ id: number; at: number; conversationId: string | null }>(sql`
          SELECT id, at, conversation_id AS conversationId FROM events
          WHERE workspace_id = ${this.workspaceId} AND id > ${this.#mark} ORDER BY id`);
    const messages = await db.all<{ id: string; at: number; conversationId: string }>(
      conversationId
        ? sql`SELECT id, created_at AS at, conversation_id AS conversationId FROM messages WHERE conversation_id = ${conversationId}`
        : sql`SELECT m.id, m.created_at AS at, m.conversation_id AS conversationId
              FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id WHERE c.workspace_id = ${this.workspaceId}`,
    );
    const stale = (real: number) => real < started - 50;
    for (const e of events) {
      if (this.events.has(e.id)) continue;
      if (stale(e.at)) throw new Error(`event ${e.id} was written before its step began: a step did not wait for everything it caused`);
      this.events.set(e.id, { real: e.at, at: target, conversationId: e.conversationId });
      if (conversationId) this.#markOf.set(conversationId, Math.max(this.#markOf.get(conversationId) ?? 0, e.id));
      else this.#mark = Math.max(this.#mark, e.id);
    }
    for (const m of messages) {
      if (this.messages.has(m.id)) continue;
      if (stale(m.at)) throw new Error(`message ${m.id} was written before its step began`);
      this.messages.set(m.id, { real: m.at, at: target, conversationId: m.conversationId });
    }
  }

  /**
   * Rewrites every row of the timeline to its scripted time: events, messages,
   * and the conversations' own time columns (each found by the real instant
   * of the event or message it was written with).
   */
  async retime() {
    const db = database();
    const events = await db.all<{ id: number; at: number }>(sql`SELECT id, at FROM events WHERE workspace_id = ${this.workspaceId} AND id > ${this.#openMark}`);
    const unstamped = events.filter((e) => !this.events.has(e.id));
    if (unstamped.length) throw new Error(`events outside any step: ${JSON.stringify(unstamped)}`);
    const messages = await db.all<{ id: string }>(sql`
      SELECT m.id FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id WHERE c.workspace_id = ${this.workspaceId}`);
    const loose = messages.filter((m) => !this.messages.has(m.id));
    if (loose.length) throw new Error(`messages outside any step: ${JSON.stringify(loose)}`);

    // Real instant → scripted instant, per conversation and for the whole workspace.
    const byConversation = new Map<string | null, Stamp[]>();
    for (const stamp of [...this.events.values(), ...this.messages.values()]) {
      const list = byConversation.get(stamp.conversationId) ?? [];
      list.push(stamp);
      byConversation.set(stamp.conversationId, list);
    }
    const everything = [...this.events.values(), ...this.messages.values()];
    const scripted = (stamps: Stamp[], real: number, what: string): number => {
      const exact = new Set(stamps.filter((s) => s.real === real).map((s) => s.at));
      if (exact.size > 1) throw new Error(`${what}: ${real} stands for two scripted times`);
      if (exact.size === 1) return [...exact][0]!;
      // Written a moment after the row it goes with (a second Date.now() in the same request).
      const before = stamps.filter((s) => s.real <= real).sort((a, b) => b.real - a.real)[0];
      if (!before || real - before.real > 2000) throw new Error(`${what}: no step wrote ${real}`);
      return before.at;
    };

    const statements = [
      ...[...this.events].map(([id, s]) => sql`UPDATE events SET at = ${s.at} WHERE id = ${id}`),
      ...[...this.messages].map(([id, s]) => sql`UPDATE messages SET created_at = ${s.at} WHERE id = ${id}`),
    ];
    const columns = ["created_at", "escalated_at", "assigned_at", "first_human_reply_at", "closed_at", "last_message_at"] as const;
    const rows = await db.all<Record<string, number | string | null>>(sql`
      SELECT id, created_at, escalated_at, assigned_at, first_human_reply_at, closed_at, last_message_at
      FROM conversations WHERE workspace_id = ${this.workspaceId}`);
    for (const row of rows) {
      const stamps = byConversation.get(row.id as string);
      if (!stamps) throw new Error(`conversation ${row.id} was made outside the timeline`);
      const sets = columns
        .filter((column) => row[column] !== null)
        .map((column) => sql`${sql.identifier(column)} = ${scripted(stamps, row[column] as number, `${row.id}.${column}`)}`);
      statements.push(sql`UPDATE conversations SET ${sql.join(sets, sql`, `)} WHERE id = ${row.id}`);
    }
    // Presence stamps and the unanswered list follow their events where they have one.
    const members = await db.all<{ operatorId: string; presenceAt: number | null }>(sql`
      SELECT operator_id AS operatorId, presence_at AS presenceAt FROM memberships WHERE workspace_id = ${this.workspaceId}`);
    for (const m of members) {
      const match = m.presenceAt !== null && everything.find((s) => s.real === m.presenceAt);
      if (match) statements.push(sql`UPDATE memberships SET presence_at = ${match.at} WHERE workspace_id = ${this.workspaceId} AND operator_id = ${m.operatorId}`);
    }
    const open = await db.all<{ id: string; conversationId: string; createdAt: number }>(sql`
      SELECT id, conversation_id AS conversationId, created_at AS createdAt FROM unanswered WHERE workspace_id = ${this.workspaceId}`);
    for (const u of open) {
      const when = scripted(byConversation.get(u.conversationId) ?? [], u.createdAt, `unanswered ${u.id}`);
      statements.push(sql`UPDATE unanswered SET created_at = ${when} WHERE id = ${u.id}`);
    }
    // The durations the triggers wrote as the rooms logged each event are the ones
    // migration 0008's view derives from the log; then they follow the new times.
    const spans = sql`event_id, metric, started_at, ended_at, value`;
    const [written, derived] = await Promise.all([
      db.all(sql`SELECT ${spans} FROM durations WHERE workspace_id = ${this.workspaceId} ORDER BY event_id, metric`),
      db.all(sql`SELECT ${spans} FROM duration_sources WHERE workspace_id = ${this.workspaceId} ORDER BY event_id, metric`),
    ]);
    if (JSON.stringify(written) !== JSON.stringify(derived)) {
      throw new Error(`durations as written ${JSON.stringify(written)} differ from the log's ${JSON.stringify(derived)}`);
    }
    statements.push(sql`UPDATE durations SET (started_at, ended_at, value) =
      (SELECT s.started_at, s.ended_at, s.value FROM duration_sources AS s WHERE s.event_id = durations.event_id AND s.metric = durations.metric)
      WHERE workspace_id = ${this.workspaceId}`);
    for (let i = 0; i < statements.length; i += 200) {
      const chunk = statements.slice(i, i + 200).map((s) => db.run(s));
      await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
    }
    this.#retimed = true;
    await Promise.all(this.customers.map((c) => c.socket?.close()));
  }

  // The operators' side, through the operator API.

  async claim(who: Operator, c: Customer) {
    await ok(who.request(`/api/ops/conversations/${c.id}/claim`, { method: "POST" }), 200, "claim");
  }

  /** An operator's message; from the queue or the bot it takes the conversation, as in the dashboard. */
  async reply(who: Operator, c: Customer, body = "Здравствуйте! Сейчас помогу.") {
    await ok(who.request(`/api/ops/conversations/${c.id}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: newId(), body }) }), 201, "reply");
  }

  async close(who: Operator, c: Customer) {
    await ok(who.request(`/api/ops/conversations/${c.id}/close`, { method: "POST" }), 200, "close");
  }

  async transfer(who: Operator, c: Customer, to: { operatorId: string } | { groupId: string }) {
    await ok(who.request(`/api/ops/routing/conversations/${c.id}/transfer`, { method: "POST", body: JSON.stringify(to) }), 200, "transfer");
  }

  async reopen(who: Operator, c: Customer) {
    await ok(who.request(`/api/ops/routing/conversations/${c.id}/reopen`, { method: "POST" }), 200, "reopen");
  }

  async presence(who: Operator, presence: "online" | "away" | "offline") {
    await ok(who.request("/api/ops/routing/presence", { method: "PUT", body: JSON.stringify({ presence }) }), 200, "presence");
  }

  /** Tags a conversation by name (made on the fly); returns the tag's id. */
  async tag(who: Operator, c: Customer, name: string): Promise<string> {
    const response = await ok(who.request(`/api/ops/workbench/conversations/${c.id}/tags`, { method: "POST", body: JSON.stringify({ name }) }), 200, "tag");
    return ((await response.json()) as { tag: { id: string } }).tag.id;
  }

  /** A skill group (manual unless told), straight into libSQL as the routing tests make them. */
  async group(name: string, members: Operator[], mode: "manual" | "least_busy" | "round_robin" = "manual") {
    const id = newId();
    const db = database();
    await db.run(sql`INSERT INTO groups (id, workspace_id, name, routing_mode, line, return_on_offline, created_at)
      VALUES (${id}, ${this.workspaceId}, ${name}, ${mode}, 1, 1, ${Date.now()})`);
    for (const m of members) await db.run(sql`INSERT INTO group_members (group_id, operator_id) VALUES (${id}, ${m.id})`);
    return id;
  }

  /** A second site of the workspace; there is no API to add one yet. */
  async site(name: string) {
    const id = newId();
    const publicKey = `site_${newId().toLowerCase()}`;
    await database().run(sql`INSERT INTO sites (id, workspace_id, name, public_key, identity_secret, created_at)
      VALUES (${id}, ${this.workspaceId}, ${name}, ${publicKey}, ${newId()}, ${Date.now()})`);
    return { id, publicKey };
  }

  async siteSettings(siteId: string, body: Record<string, unknown>) {
    await ok(this.owner.request(`/api/ops/settings/sites/${siteId}`, { method: "PATCH", body: JSON.stringify(body) }), 200, "site settings");
  }

  async groupId(name: string) {
    const [row] = await database().all<{ id: string }>(sql`SELECT id FROM groups WHERE workspace_id = ${this.workspaceId} AND name = ${name}`);
    return row!.id;
  }

  async intentId(key: string) {
    const [row] = await database().all<{ id: string }>(sql`SELECT id FROM intents WHERE workspace_id = ${this.workspaceId} AND key = ${key}`);
    return row!.id;
  }

  async member(role: "supervisor" | "operator") {
    return member(this.tenant, role);
  }

  /** A customer of this workspace's site (or another site's key). */
  customer(siteKey = this.tenant.publicKey) {
    const c = new Customer(siteKey);
    this.customers.push(c);
    return c;
  }

  /** What a step really built, to check the scenario before trusting it: a conversation's escalation reasons. */
  async reasons(c: Customer) {
    const rows = await database().all<{ data: string }>(sql`SELECT data FROM events WHERE conversation_id = ${c.id} AND type = 'escalated' ORDER BY id`);
    return rows.map((r) => (JSON.parse(r.data) as { reason: string }).reason);
  }

  async eventTypes(c: Customer) {
    const rows = await database().all<{ type: string }>(sql`SELECT type FROM events WHERE conversation_id = ${c.id} ORDER BY id`);
    return rows.map((r) => r.type);
  }

  /** The conversation as stored. */
  async stored(c: Customer) {
    const [row] = await database().all<{ status: string; groupId: string | null; assigneeId: string | null; intentId: string | null }>(sql`
      SELECT status, group_id AS groupId, assignee_id AS assigneeId, intent_id AS intentId FROM conversations WHERE id = ${c.id}`);
    return row!;
  }

  /** Scripted time of each of a conversation's events, oldest first: [type, at]. */
  async timeline(c: Customer): Promise<[string, number][]> {
    const rows = await database().all<{ id: number; type: string }>(sql`SELECT id, type FROM events WHERE conversation_id = ${c.id} ORDER BY id`);
    return rows.map((r) => [r.type, this.events.get(r.id)?.at ?? Number.NaN]);
  }

  async messageKinds(c: Customer) {
    const rows = await database().all<{ kind: string }>(sql`SELECT author_kind AS kind FROM messages WHERE conversation_id = ${c.id} ORDER BY seq`);
    return rows.map((r) => r.kind);
  }

  // The analytics API.

  async get<T>(view: AnalyticsView, query: Query, who: Operator = this.owner): Promise<AnalyticsAnswer<T>> {
    const response = await this.raw(`/${view}`, query, who);
    if (response.status !== 200) throw new Error(`${view}: ${response.status} ${await response.text()}`);
    return (await response.json()) as AnalyticsAnswer<T>;
  }

  async drill(query: Query & { drill: string }, who: Operator = this.owner): Promise<string[]> {
    const response = await this.raw("/drill", query, who);
    if (response.status !== 200) throw new Error(`drill: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { rows: { id: string }[] };
    return page.rows.map((r) => r.id).sort();
  }

  raw(path: string, query: Query, who: Operator = this.owner) {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
    return who.request(`/api/ops/analytics${path}?${params}`);
  }
}

export type Query = { from: string; to: string; [key: string]: string | undefined };

async function ok(pending: Promise<Response>, status: number, what: string) {
  const response = await pending;
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

type Wait = "ack" | "reply" | "queued";

/** A customer with the widget: a visitor token, their conversation and its room socket. */
export class Customer {
  visitor?: Visitor;
  socket?: TestSocket;
  #id?: string;

  constructor(readonly siteKey: string) {}

  get id() {
    if (!this.#id) throw new Error("the customer has not started a conversation");
    return this.#id;
  }

  /** Opens a conversation (a new one: 201) and, with `text`, writes the first message. */
  async start(text?: string, wait: Wait = "ack", body: { topic?: string } = {}) {
    this.visitor ??= await startVisitor(this.siteKey);
    const created = await this.visitor.request("/api/widget/conversations", {
      method: "POST",
      body: JSON.stringify({ context: { url: "https://shop.example/help" }, ...body }),
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    this.#id = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    await this.socket?.close();
    this.socket = undefined;
    if (text !== undefined) await this.says(text, wait);
  }

  /** Writes; waits for the bot's answer or the hand-over when asked. */
  async says(text: string, wait: Wait = "ack") {
    this.socket ??= await joinConversation(this.id, { token: this.visitor!.token });
    const socket = this.socket;
    const from = socket.frames.length;
    const ack = await say(socket, text);
    if (ack.type !== "ack") throw new Error(`send refused: ${JSON.stringify(ack)}`);
    if (wait === "reply") await socket.next((f) => f.type === "message" && f.message.authorKind === "bot", { from });
    if (wait === "queued") await socket.next((f) => f.type === "conversation" && f.conversation.status === "queued", { from });
  }

  /** Waits until the room says the conversation closed (the idle timer). */
  async closedByTimer(timeoutMs = 30_000) {
    await this.socket!.next((f) => f.type === "conversation" && f.conversation.status === "closed", { timeoutMs });
  }

  async close() {
    await ok(this.visitor!.request(`/api/widget/conversations/${this.id}/close`, { method: "POST" }), 200, "customer close");
  }

  async rate(rating: number, resolved: boolean) {
    await ok(this.visitor!.request(`/api/widget/conversations/${this.id}/rating`, { method: "POST", body: JSON.stringify({ rating, resolved }) }), 200, "rate");
  }

  /** The pre-chat form's e-mail, before the customer writes. */
  async contact(email: string) {
    this.visitor ??= await startVisitor(this.siteKey);
    await ok(this.visitor.request("/api/widget/contact", { method: "PATCH", body: JSON.stringify({ email }) }), 200, "contact");
  }
}

// Expectations, written as literals in the tests.

/** No values: every statistic null, every bin empty. */
export const EMPTY: Distribution = { n: 0, min: null, p50: null, mean: null, p90: null, max: null, histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };

/** A distribution of one value in bin `bin` of HISTOGRAM_BOUNDS. */
export function one(value: number, bin: number): Distribution {
  const histogram = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  histogram[bin] = 1;
  return { n: 1, min: value, p50: value, mean: value, p90: value, max: value, histogram };
}

export const NO_CSAT: Csat = { n: 0, mean: null, satisfied: null, wilson: null };

/** A CSAT with floats compared to 4 places (the Wilson bound to 3: z may be 1.96 or 1.959964). */
export function csat(n: number, mean: number | null, satisfied: number | null, wilson: number | null) {
  return {
    n,
    mean: mean === null ? null : expect.closeTo(mean, 4),
    satisfied: satisfied === null ? null : expect.closeTo(satisfied, 4),
    wilson: wilson === null ? null : expect.closeTo(wilson, 3),
  };
}

/** A team row's figures as expected; an absent row reads as one with nothing in it. */
export function teamRow(rows: TeamRow[], id: string): Omit<TeamRow, "id" | "name"> {
  const row = rows.find((r) => r.id === id);
  if (!row) return { handled: 0, firstResponse: { n: 0, p50: null, p90: null }, lifetimeP50: null, transfers: 0, csat: NO_CSAT };
  const { id: _id, name: _name, ...figures } = row;
  return figures;
}

/** Floats to 4 places. */
export const near = (x: number) => expect.closeTo(x, 4);

/** Hand-off counts by reason, every reason present (an absent one counts 0). */
export function reasonCounts(reasons: Array<{ reason: string; count: number }>): Record<string, number> {
  const counts: Record<string, number> = { asked_for_person: 0, complaint: 0, low_confidence: 0, repeated: 0, off_hours: 0, operator_took_over: 0, other: 0 };
  for (const r of reasons) counts[r.reason] = r.count;
  return counts;
}

/** The heat map's non-empty cells as "weekday:hour=count" (0 = Monday), in order. */
export function heatCells(heatmap: number[][]): string[] {
  const cells: string[] = [];
  heatmap.forEach((hours, weekday) => hours.forEach((n, hour) => n && cells.push(`${weekday}:${hour}=${n}`)));
  return cells;
}
