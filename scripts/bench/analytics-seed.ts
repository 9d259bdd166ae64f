// A year of a busy workspace for the analytics bench (issue 16, "Fast at a
// real size"): conversations with their messages, events, ratings, tags and
// contacts, and the operators' presence, written straight into libSQL in
// big multi-row INSERTs. Deterministic: the same seed and end give the same
// story (ids differ, so several seeds can share a database).
import { randomInt } from "node:crypto";
import { buildRoster, dayWeights, lastDays, localTime, startOn, type Roster } from "./analytics-seed-calendar";
import { tell, type Cast, type Path, type Told } from "./analytics-seed-plot";
import { createIds, createRandom, type Random } from "./analytics-seed-random";
import { createBulk, tuple, type Bulk } from "./analytics-seed-sql";
import { CONVERSATION_COLUMNS, Story } from "./analytics-seed-story";
import { FIRST_NAMES, INTENTS, LANG_WEIGHTS, LANGS, LAST_NAMES, PAGES, REFERRERS } from "./analytics-seed-texts";
import { createWorld, type World } from "./analytics-seed-world";

export type AnalyticsSeedOptions = {
  conversations?: number;
  days?: number;
  /** The last moment of the seeded period (default: now). */
  end?: number;
  seed?: number;
};

export type AnalyticsSeed = {
  world: World;
  /** The first and last seeded day, in the workspace's time zone (YYYY-MM-DD). */
  from: string;
  to: string;
  end: number;
  /** Rows written per table. */
  rows: Record<string, number>;
  paths: Record<Path, number>;
  /** Conversations whose customer left the queue before a person answered. */
  left: number;
  seconds: number;
  requests: number;
};

const MESSAGE_COLUMNS = ["id", "conversation_id", "seq", "client_msg_id", "author_kind", "author_id", "body", "kind", "meta", "created_at"] as const;
const EVENT_COLUMNS = ["workspace_id", "conversation_id", "type", "actor_kind", "actor_id", "data", "at"] as const;
const CONTACT_COLUMNS = ["id", "workspace_id", "name", "email", "phone", "external_id", "attributes", "created_at", "updated_at"] as const;
const VISITOR_COLUMNS = ["id", "workspace_id", "site_id", "contact_id", "created_at", "last_seen_at"] as const;
const UNANSWERED_COLUMNS = ["id", "workspace_id", "conversation_id", "message_seq", "text", "lang", "reason", "created_at", "intent_id", "handled_at"] as const;
const NOTE_COLUMNS = ["id", "conversation_id", "author_id", "body", "created_at"] as const;

/** Every table the seed writes, parents first. */
const TABLES = ["groups", "operators", "memberships", "group_members", "sites", "tags", "intents", "contacts", "visitors", "conversations", "conversation_tags", "messages", "notes", "unanswered", "events"];

type Contact = { id: string; email: boolean; phone: boolean; visitors: Map<number, string> };
type PendingEvent = { at: number; order: number; tuple: string };

/** Seeds the workspace into the libSQL server at `libsqlUrl`; resolves once every row is committed. */
export async function seedAnalytics(libsqlUrl: string, options: AnalyticsSeedOptions = {}): Promise<AnalyticsSeed> {
  const started = performance.now();
  const count = options.conversations ?? 100_000;
  const end = options.end ?? Date.now();
  const seed = options.seed ?? 16;
  const random = createRandom(seed);
  const id = createIds(randomInt(2 ** 32));
  const days = lastDays(end, options.days ?? 365);
  const since = localTime(days[0].date, 0);
  const bulk = createBulk(libsqlUrl, TABLES);
  try {
    const world = await createWorld(libsqlUrl, bulk, id, since);
    const roster = buildRoster(days, world.operators.map((o) => o.shift), createRandom(seed + 1), end);

    // Every start first, in order: events are written in time order, as the product appends them.
    const weights = dayWeights(days, random);
    const starts = Array.from({ length: count }, () => {
      for (;;) {
        const at = startOn(days[random.weighted(weights)], random);
        if (at >= since && at <= end - 60_000) return at;
      }
    }).sort((a, b) => a - b);

    const events: PendingEvent[] = [];
    let order = 0;
    const pushEvent = (at: number, row: string) => events.push({ at, order: order++, tuple: row });
    for (const change of roster.changes) {
      const actor = change.bySystem ? ["system", null] : ["operator", world.operators[change.operator].id];
      pushEvent(change.at, tuple([world.workspaceId, null, "presence", actor[0], actor[1], { operatorId: world.operators[change.operator].id, presence: change.presence, reason: change.reason }, change.at]));
    }
    /** Writes the events that happened before `before`: nothing later can come before them. */
    const releaseEvents = async (before: number) => {
      events.sort((a, b) => a.at - b.at || a.order - b.order);
      let n = 0;
      while (n < events.length && events[n].at < before) await bulk.addTuple("events", EVENT_COLUMNS, events[n++].tuple);
      events.splice(0, n);
    };

    const contacts: Contact[][] = [[], [], []];
    const paths: Record<Path, number> = { bot_alone: 0, bot_then_person: 0, person_at_once: 0, took_over: 0, no_bot: 0 };
    let left = 0;
    for (const [i, at] of starts.entries()) {
      if (i % 2000 === 0) await releaseEvents(at);
      const story = await writeConversation(bulk, world, roster, random, id, at, end, contacts, pushEvent);
      paths[story.path]++;
      if (story.left) left++;
    }
    await releaseEvents(Number.POSITIVE_INFINITY);
    await bulk.flush();
    // The counts a room keeps on the conversation as it stores each message (append-message.ts).
    await bulk.client.execute({
      sql: `UPDATE conversations SET
        bot_messages = (SELECT COUNT(*) FROM messages AS m WHERE m.conversation_id = conversations.id AND m.author_kind = 'bot'),
        operator_messages = (SELECT COUNT(*) FROM messages AS m WHERE m.conversation_id = conversations.id AND m.author_kind = 'operator')
        WHERE workspace_id = ?`,
      args: [world.workspaceId],
    });

    // Presence as the last change left it, as the dashboard would show it now.
    const last = new Map(roster.changes.map((c) => [c.operator, c]));
    await bulk.client.batch(
      [...last.values()].map((c) => ({
        sql: "UPDATE memberships SET presence = ?, presence_at = ? WHERE workspace_id = ? AND operator_id = ?",
        args: [c.presence, c.at, world.workspaceId, world.operators[c.operator].id],
      })),
      "write",
    );
    return { world, from: days[0].date, to: days.at(-1)!.date, end, rows: { ...bulk.tables }, paths, left, seconds: (performance.now() - started) / 1000, requests: bulk.requests };
  } finally {
    bulk.close();
  }
}

/** One conversation: its contact (new or returning), its story, and every row the story left. */
async function writeConversation(
  bulk: Bulk,
  world: World,
  roster: Roster,
  random: Random,
  id: (at: number) => string,
  at: number,
  end: number,
  contacts: Contact[][],
  pushEvent: (at: number, row: string) => void,
): Promise<Told> {
  const site = random.weighted(world.sites.map((s) => s.share));
  const channelIndex = random.weighted([0.8, 0.14, 0.06]);
  const channel = (["web", "telegram", "email"] as const)[channelIndex];
  const lang = LANGS[random.weighted(LANG_WEIGHTS)];
  const pool = contacts[channelIndex];

  let contact: Contact;
  if (pool.length > 50 && random.chance(0.25)) {
    // Returning customers, mostly recent ones.
    contact = pool[Math.max(0, pool.length - 1 - Math.floor(Math.abs(random.normal()) * pool.length * 0.3))];
  } else {
    const name = random.chance(channel === "web" ? 0.5 : 0.8) ? `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}` : null;
    const email = channel === "email" || random.chance(0.45);
    const phone = random.chance(channel === "telegram" ? 0.4 : 0.25);
    contact = { id: id(at), email, phone, visitors: new Map() };
    pool.push(contact);
    const n = pool.length;
    await bulk.add("contacts", CONTACT_COLUMNS, [
      contact.id,
      world.workspaceId,
      name,
      email ? `customer.${channel}.${n}@example.com` : null,
      phone ? `+38067${String(1_000_000 + n).slice(-7)}` : null,
      channel === "web" && random.chance(0.1) ? `crm-${contact.id.slice(-10).toLowerCase()}` : null,
      random.chance(0.15) ? { plan: random.pick(["free", "plus", "pro"]) } : {},
      at,
      at,
    ]);
  }
  let visitorId: string | null = null;
  if (channel === "web") {
    visitorId = contact.visitors.get(site) ?? null;
    if (!visitorId) {
      visitorId = id(at);
      contact.visitors.set(site, visitorId);
      await bulk.add("visitors", VISITOR_COLUMNS, [visitorId, world.workspaceId, world.sites[site].id, contact.id, at, at]);
    }
  }
  const page = random.pick(PAGES);
  const url = channel === "web" ? `https://${world.sites[site].host}${page.path}` : null;
  const context =
    channel === "web"
      ? { url, title: page.title, referrer: random.pick(REFERRERS) || undefined, language: lang, timeZone: "Europe/Kyiv", screen: random.pick(["1920x1080", "390x844", "1440x900"]) }
      : {};

  const conversationId = id(at);
  const story = new Story(world, conversationId, at, { kind: "visitor", id: visitorId }, id, end);
  if (channel === "web" && site === 0 && random.chance(0.2)) story.topic = random.pick(["Sales", "Support"]);
  const cast: Cast = { site, channel, lang, url, hasContact: contact.email || contact.phone };
  const told = tell(world, roster, random, story, cast);
  if (told.gaveEmail) contact.email = true;

  await bulk.add("conversations", CONVERSATION_COLUMNS, story.row({ workspaceId: world.workspaceId, siteId: world.sites[site].id, contactId: contact.id, visitorId, channel, context, lang }));
  for (const tag of tagsOf(story, told, random)) await bulk.add("conversation_tags", ["conversation_id", "tag_id"], [conversationId, world.tags[tag].id]);
  for (const m of story.messages) {
    await bulk.add("messages", MESSAGE_COLUMNS, [m.id, conversationId, m.seq, m.clientMsgId, m.author.kind, m.author.id, m.body, m.kind, m.meta, m.at]);
  }
  for (const note of told.notes) await bulk.add("notes", NOTE_COLUMNS, [id(note.at), conversationId, world.operators[note.author].id, note.body, note.at]);
  for (const u of told.unanswered) {
    // Older questions were mostly dealt with: added to an intent or dismissed.
    const handled = u.at < end - 14 * 86_400_000 && random.chance(0.85) ? u.at + random.int(1, 10) * 86_400_000 : null;
    const intent = handled && random.chance(0.5) ? world.intents[random.int(0, INTENTS.length - 1)].id : null;
    await bulk.add("unanswered", UNANSWERED_COLUMNS, [id(u.at), world.workspaceId, conversationId, u.seq, u.text, lang, u.reason, u.at, intent, handled !== null && handled < end ? handled : null]);
  }
  for (const e of story.events) pushEvent(e.at, tuple([world.workspaceId, conversationId, e.type, e.actor.kind, e.actor.id, e.data, e.at]));
  return told;
}

/** The tags operators (and automations) would have put on it: by topic, mood and outcome, on about 40 %. */
function tagsOf(story: Story, told: Told, random: Random): number[] {
  const tags = new Set<number>();
  const key = story.intent === null ? null : INTENTS[story.intent].key;
  const human = story.firstHumanReplyAt !== null;
  const complaint = story.events.some((e) => e.type === "escalated" && e.data.reason === "complaint") || (story.sentiment ?? 0) < -0.2;
  if (complaint && random.chance(0.8)) tags.add(4);
  if ((key === "returns" || key === "refund-status") && random.chance(human ? 0.7 : 0.3)) tags.add(0);
  if ((key === "delivery-time" || key === "order-status") && human && random.chance(0.35)) tags.add(1);
  if ((key === "app-bug" || key === "account") && human && random.chance(0.6)) tags.add(3);
  if (key === "wholesale" && random.chance(0.8)) tags.add(5);
  if (story.ratingComment && random.chance(0.5)) tags.add(6);
  if (random.chance(0.04)) tags.add(2);
  if (human && random.chance(0.05)) tags.add(7);
  if (human && tags.size === 0 && random.chance(0.55)) tags.add(random.weighted([3, 3, 1, 2, 1, 1, 2, 1]));
  if (told.left && random.chance(0.3)) tags.add(4);
  return [...tags];
}
