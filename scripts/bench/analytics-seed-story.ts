// One seeded conversation as the product would have stored it: each step
// writes the columns, messages and events that the real transition writes
// (worker/src/conversations/transitions.ts, append-message.ts,
// create-conversation.ts, visitors/rate-conversation.ts), with the same
// event types, actors and data. A step after the seed's end is not taken:
// conversations of the last hours are still open, as they would be.
import { sentimentOf } from "../../worker/src/bot/matcher/signals";
import type { World } from "./analytics-seed-world";
import type { Value } from "./analytics-seed-sql";

export type Actor = { kind: "visitor" | "bot" | "operator" | "system"; id: string | null };
export type StoredEvent = { type: string; actor: Actor; data: Record<string, unknown>; at: number };
export type StoredMessage = { id: string; seq: number; clientMsgId: string; author: Actor; body: string; kind: "text" | "system"; meta: Record<string, unknown>; at: number };
export type Status = "bot" | "queued" | "assigned" | "closed";

const SYSTEM: Actor = { kind: "system", id: null };
const BOT: Actor = { kind: "bot", id: null };

const scores = new Map<string, ReturnType<typeof sentimentOf>>();
/** The product's own keyword sentiment of a customer's message and the words it matched (A5), kept per text. */
function feltIn(body: string) {
  let felt = scores.get(body);
  if (felt === undefined) scores.set(body, (felt = sentimentOf(body)));
  return felt;
}

export class Story {
  readonly messages: StoredMessage[] = [];
  readonly events: StoredEvent[] = [];
  status: Status = "bot";
  group: number | null = null;
  assignee: number | null = null;
  escalatedAt: number | null = null;
  assignedAt: number | null = null;
  firstHumanReplyAt: number | null = null;
  closedAt: number | null = null;
  resolvedBy: "bot" | "human" | null = null;
  rating: number | null = null;
  resolved: boolean | null = null;
  ratingComment: string | null = null;
  intent: number | null = null;
  topic: string | null = null;
  botMisses = 0;
  offlineRequest = false;
  sentiment: number | null = null;
  sentimentCount = 0;
  sentimentWords: Record<string, number> = {};
  /** A step fell after the seed's end: nothing more happens to this conversation. */
  stopped = false;
  /** The first customer message no operator has answered yet (a `replied` event names it). */
  #waiting: number | null = null;
  #firstReplyLogged = false;

  constructor(
    readonly world: World,
    readonly id: string,
    readonly createdAt: number,
    readonly visitor: Actor,
    private readonly newId: (at: number) => string,
    private readonly end: number,
  ) {}

  /** Whether a step at `at` happens (it is not past the seed's end, nor after a step that was). */
  can(at: number) {
    if (at > this.end) this.stopped = true;
    return !this.stopped;
  }

  operator(index: number): Actor {
    return { kind: "operator", id: this.world.operators[index].id };
  }

  #event(type: string, actor: Actor, data: Record<string, unknown>, at: number) {
    this.events.push({ type, actor, data, at });
  }

  #groupId = (group: number | null) => (group === null ? null : this.world.groups[group].id);

  created(channel: string, url: string | null) {
    this.#event("created", this.visitor, { channel, url }, this.createdAt);
  }

  /** appendMessage: the next seq; an operator's message is the first reply or answers a waiting customer (`replied`). */
  say(author: Actor, body: string, at: number, extra: { kind?: "text" | "system"; meta?: Record<string, unknown> } = {}) {
    if (!this.can(at)) return false;
    const seq = this.messages.length + 1;
    this.messages.push({ id: this.newId(at), seq, clientMsgId: this.newId(at), author, body, kind: extra.kind ?? "text", meta: extra.meta ?? {}, at });
    if (author.kind === "visitor") {
      const { score, words } = feltIn(body);
      if (words.length) {
        this.sentiment = ((this.sentiment ?? 0) * this.sentimentCount + score) / (this.sentimentCount + 1);
        this.sentimentCount++;
        for (const word of words.slice(0, 20)) this.sentimentWords[word] = (this.sentimentWords[word] ?? 0) + 1;
      }
      this.#waiting ??= seq;
    }
    if (author.kind === "operator") {
      this.firstHumanReplyAt ??= at;
      // The group it was in then: the team table credits the first reply to it.
      if (!this.#firstReplyLogged) this.#event("first_reply", author, { groupId: this.#groupId(this.group) }, at);
      else if (this.#waiting !== null) this.#event("replied", author, { seq: this.#waiting }, at);
      this.#firstReplyLogged = true;
      this.#waiting = null;
    }
    return true;
  }

  operatorSays(operator: number, body: string, at: number) {
    return this.say(this.operator(operator), body, at, { meta: { name: this.world.operators[operator].name } });
  }

  /** A system line in the chat ("Anna joined the conversation"), as the room appends after a change. */
  notice(event: string, body: string, name: string | null, at: number) {
    return this.say(SYSTEM, body, at, { kind: "system", meta: name ? { name, event } : { event } });
  }

  botSays(body: string, at: number) {
    return this.say(BOT, body, at);
  }

  /** The group a conversation waits in: the bot's intent's, the topic's, else the site's default (chosenGroup). */
  #chooseGroup(site: number, viaIntent: boolean): { group: number; why: string } {
    if (this.group !== null) return { group: this.group, why: "" };
    const intent = this.intent === null ? null : this.world.intents[this.intent];
    if (viaIntent && intent && intent.group !== null) return { group: intent.group, why: `the bot's intent "${intent.name}"` };
    const byTopic = this.topic === null ? -1 : this.world.groups.findIndex((g) => g.name.toLowerCase() === this.topic!.toLowerCase());
    if (byTopic >= 0) return { group: byTopic, why: "the customer's topic" };
    return { group: this.world.sites[site].defaultGroup, why: "the site's default group" };
  }

  /** escalateStep: bot → queued in a group, with the routing decision logged beside it. */
  escalate(actor: Actor, reason: string, site: number, at: number) {
    if (!this.can(at) || this.status !== "bot") return false;
    const { group, why } = this.#chooseGroup(site, true);
    this.status = "queued";
    this.group = group;
    this.escalatedAt = at;
    this.#event("escalated", actor, { reason }, at);
    const name = this.world.groups[group].name;
    this.#event("routed", SYSTEM, { operatorId: null, groupId: this.#groupId(group), reason: why ? `queued in ${name}: ${why}` : `queued in ${name}` }, at);
    return true;
  }

  /** claimConversation / assignByRouting: queued (or with the bot) → assigned. */
  claim(operator: number, bySystem: boolean, reason: string, site: number, at: number) {
    if (!this.can(at) || (this.status !== "queued" && this.status !== "bot")) return false;
    const before = this.group;
    const actor = bySystem ? SYSTEM : this.operator(operator);
    const operatorId = this.world.operators[operator].id;
    if (this.status === "bot") this.group = this.#chooseGroup(site, false).group;
    this.status = "assigned";
    this.assignee = operator;
    this.assignedAt = at;
    this.escalatedAt ??= at;
    this.#event("claimed", actor, { assigneeId: operatorId, reason }, at);
    this.#event("routed", actor, { operatorId, groupId: this.#groupId(before), reason }, at);
    return true;
  }

  /** requeueConversation: the operator went offline, the chat waits again. */
  requeue(at: number) {
    if (!this.can(at) || this.status !== "assigned") return false;
    const operator = this.world.operators[this.assignee!];
    const groupId = this.#groupId(this.group);
    this.status = "queued";
    this.assignee = null;
    this.#event("requeued", SYSTEM, { operatorId: operator.id, groupId, reason: "operator went offline" }, at);
    const where = this.group === null ? "back in the queue for anyone: " : `back in the queue of ${this.world.groups[this.group].name}: `;
    this.#event("routed", SYSTEM, { operatorId: null, groupId, reason: `${where}${operator.name} went offline` }, at);
    return true;
  }

  /** transferToOperator / transferToGroup (D7). */
  transfer(by: number, target: { operator: number } | { group: number }, note: string | null, at: number) {
    if (!this.can(at) || (this.status !== "queued" && this.status !== "assigned")) return false;
    const actor = this.operator(by);
    const fromId = this.assignee === null ? null : this.world.operators[this.assignee].id;
    const fromGroupId = this.#groupId(this.group);
    const byName = this.world.operators[by].name;
    if ("operator" in target) {
      const operatorId = this.world.operators[target.operator].id;
      this.#event("transferred", actor, { fromId, fromGroupId, operatorId, groupId: null, note }, at);
      this.#event("routed", actor, { operatorId, groupId: this.#groupId(this.group), reason: `transferred by ${byName}` }, at);
      this.status = "assigned";
      this.assignee = target.operator;
      this.assignedAt = at;
    } else {
      const groupId = this.#groupId(target.group);
      this.#event("transferred", actor, { fromId, fromGroupId, operatorId: null, groupId, note }, at);
      this.#event("routed", actor, { operatorId: null, groupId, reason: `transferred to ${this.world.groups[target.group].name} by ${byName}` }, at);
      this.status = "queued";
      this.assignee = null;
      this.group = target.group;
    }
    this.escalatedAt ??= at;
    return true;
  }

  /** closeConversation: resolved by the bot when it never went to people, by a human when one answered. */
  close(actor: Actor, at: number) {
    if (!this.can(at) || this.status === "closed") return false;
    this.status = "closed";
    this.closedAt = at;
    this.resolvedBy = this.escalatedAt === null ? "bot" : this.firstHumanReplyAt !== null ? "human" : null;
    this.#event("closed", actor, {}, at);
    this.notice("closed", "The conversation was closed", null, at + 25);
    return true;
  }

  /** reopenByCustomer: closed → queued, the wait stamped anew (D8). */
  reopenByCustomer(at: number) {
    if (!this.can(at) || this.status !== "closed") return false;
    this.status = "queued";
    this.assignee = null;
    this.closedAt = null;
    this.resolvedBy = null;
    this.escalatedAt = at;
    this.#event("reopened", this.visitor, { reason: "customer wrote again" }, at);
    const where = this.group === null ? "back in the queue for anyone: " : `back in the queue of ${this.world.groups[this.group].name}: `;
    this.#event("routed", SYSTEM, { operatorId: null, groupId: this.#groupId(this.group), reason: `${where}the customer wrote again` }, at);
    return true;
  }

  /** reopenByOperator: closed → assigned to the operator who reopens it. */
  reopenByOperator(operator: number, at: number) {
    if (!this.can(at) || this.status !== "closed") return false;
    const actor = this.operator(operator);
    const reason = "reopened by hand";
    this.#event("reopened", actor, { reason, assigneeId: actor.id }, at);
    this.#event("routed", actor, { operatorId: actor.id, groupId: this.#groupId(this.group), reason }, at);
    this.status = "assigned";
    this.assignee = operator;
    this.assignedAt = at;
    this.closedAt = null;
    this.resolvedBy = null;
    return true;
  }

  /** rateConversation: once, after a close. */
  rate(rating: number, resolved: boolean, comment: string | null, at: number) {
    if (!this.can(at) || this.status !== "closed" || this.rating !== null) return false;
    this.rating = rating;
    this.resolved = resolved;
    this.ratingComment = comment;
    this.#event("rated", this.visitor, { resolved, rating, comment: comment !== null }, at);
    return true;
  }

  /** The conversation's row, in CONVERSATION_COLUMNS order. */
  row(fields: { workspaceId: string; siteId: string; contactId: string; visitorId: string | null; channel: string; context: Record<string, unknown>; lang: string }): Value[] {
    const last = this.messages.at(-1);
    const intentId = this.intent === null ? null : this.world.intents[this.intent].id;
    // Every bot turn writes its state (turnStep), and analytics reads "the bot took part" from it.
    const botState = this.messages.some((m) => m.author.kind === "bot")
      ? { lang: fields.lang, lastIntentId: intentId, misses: this.botMisses, offered: [], collecting: null, askedContact: false }
      : null;
    const spoken = [...this.messages].reverse().find((m) => m.kind === "text" && m.author.kind !== "bot");
    const lastSeq = this.messages.length;
    return [
      this.id,
      fields.workspaceId,
      fields.siteId,
      fields.contactId,
      fields.visitorId,
      fields.channel,
      this.status,
      this.#groupId(this.group),
      this.assignee === null ? null : this.world.operators[this.assignee].id,
      this.topic,
      fields.context,
      lastSeq,
      last?.at ?? null,
      spoken ? spoken.body.slice(0, 140) : null,
      this.createdAt,
      this.escalatedAt,
      this.assignedAt,
      this.firstHumanReplyAt,
      this.closedAt,
      lastSeq,
      this.status === "closed" ? lastSeq : Math.max(0, lastSeq - 1),
      this.rating,
      this.resolved,
      this.ratingComment,
      this.resolvedBy,
      this.sentiment,
      this.sentimentCount,
      this.sentimentWords,
      this.offlineRequest,
      this.botMisses,
      botState,
      intentId,
    ];
  }
}

export const CONVERSATION_COLUMNS = [
  "id",
  "workspace_id",
  "site_id",
  "contact_id",
  "visitor_id",
  "channel",
  "status",
  "group_id",
  "assignee_id",
  "topic",
  "context",
  "last_seq",
  "last_message_at",
  "preview",
  "created_at",
  "escalated_at",
  "assigned_at",
  "first_human_reply_at",
  "closed_at",
  "visitor_read_seq",
  "operator_read_seq",
  "rating",
  "resolved",
  "rating_comment",
  "resolved_by",
  "sentiment",
  "sentiment_count",
  "sentiment_words",
  "offline_request",
  "bot_misses",
  "bot_state",
  "intent_id",
] as const;
