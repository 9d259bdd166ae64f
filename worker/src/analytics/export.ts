import { sql, type SQL } from "drizzle-orm";
import { logError } from "../log-error";
import { reasonOf, SETTLED_MS } from "./automation";
import { firstResponseOf, HANDOFF } from "./durations";
import type { Scope } from "./scope";
import { siteHours } from "./speed";
import { withinHours } from "./working-hours";

// A7: CSV exports, streamed a page at a time: a request for 100,000 rows
// holds one page in memory, never the whole file.

export const EXPORT_PAGE = 500;

/** One CSV field: quoted when it must be, and never read as a formula by a spreadsheet. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: unknown[]) => `${fields.map(csvField).join(",")}\r\n`;

/** A CSV stream: the header, then each page `next` gives until it gives none. */
function csvStream<Row>(header: string[], next: (after: string | null) => Promise<{ rows: Row[]; last: string | null }>, line: (row: Row) => unknown[]) {
  const encoder = new TextEncoder();
  let after: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          // A byte-order mark, so spreadsheets read the file as UTF-8 (Cyrillic names).
          controller.enqueue(encoder.encode(`\uFEFF${csvLine(header)}`));
          return;
        }
        const page = await next(after);
        if (page.rows.length === 0) return controller.close();
        controller.enqueue(encoder.encode(page.rows.map((row) => csvLine(line(row))).join("")));
        after = page.last;
      } catch (error) {
        logError("analytics export", error);
        controller.error(error);
      }
    },
  });
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
const seconds = (ms: unknown) => (ms === null || ms === undefined ? null : Math.round(Number(ms) / 1000));

type ConversationRow = Record<string, unknown> & { id: string; site: string | null };

const CONVERSATION_COLUMNS = [
  "id", "created_at", "closed_at", "status", "channel", "site", "group", "operator", "tags", "intent", "topic",
  "handoff_at", "handoff_reason", "resolved_by_bot_alone", "first_response_s", "first_response_working_s", "queue_wait_s",
  "lifetime_s", "lifetime_working_s", "messages_customer", "messages_bot", "messages_operator", "rating", "resolved", "comment",
  "sentiment", "sentiment_words", "contact_id", "contact_name", "contact_email", "contact_phone", "contact_external_id",
  "contact_attributes", "page_url", "page_title", "referrer",
];

/** One row per conversation started in the period, with its times, durations, people, topics, rating and contact. */
export function conversationsCsv(scope: Scope): ReadableStream<Uint8Array> {
  const hours = siteHours(scope);
  const { period: p } = scope;
  return csvStream<ConversationRow & { working: { first: number | null; life: number | null } }>(
    CONVERSATION_COLUMNS,
    async (after) => {
      const rows = await scope.db.all<ConversationRow>(sql`
        SELECT c.id, c.created_at, c.closed_at, c.status, c.channel, c.site_id AS site, s.name AS site_name, g.name AS grp, o.name AS operator,
          (SELECT group_concat(t.name, '; ') FROM conversation_tags AS ct JOIN tags AS t ON t.id = ct.tag_id WHERE ct.conversation_id = c.id) AS tags,
          i.name AS intent, c.topic,
          (SELECT h.at || '|' || h.type || '|' || COALESCE(json_extract(h.data, '$.reason'), '') FROM events AS h
            WHERE h.conversation_id = c.id AND h.type IN ${HANDOFF} ORDER BY h.id LIMIT 1) AS handoff,
          ${firstResponseOf} AS first_response,
          (SELECT r.at FROM events AS r WHERE r.conversation_id = c.id AND r.type = 'first_reply' LIMIT 1) AS first_reply_at,
          ${cycles} AS cycles,
          ${waits} AS queue_wait,
          (SELECT SUM(m.author_kind = 'visitor') || '|' || SUM(m.author_kind = 'bot') || '|' || SUM(m.author_kind = 'operator')
            FROM messages AS m WHERE m.conversation_id = c.id) AS counts,
          c.rating, c.resolved, c.rating_comment AS comment, c.sentiment, c.sentiment_words, c.bot_state IS NOT NULL AS with_bot,
          k.id AS contact_id, k.name AS contact_name, k.email AS contact_email, k.phone AS contact_phone,
          k.external_id AS contact_external_id, k.attributes AS contact_attributes,
          json_extract(c.context, '$.url') AS page_url, json_extract(c.context, '$.title') AS page_title,
          json_extract(c.context, '$.referrer') AS referrer
        FROM conversations AS c
          JOIN contacts AS k ON k.id = c.contact_id
          LEFT JOIN sites AS s ON s.id = c.site_id
          LEFT JOIN groups AS g ON g.id = c.group_id
          LEFT JOIN operators AS o ON o.id = c.assignee_id
          LEFT JOIN intents AS i ON i.id = c.intent_id
        WHERE ${scope.where} AND c.created_at >= ${p.lo} AND c.created_at < ${p.hi} AND c.id > ${after ?? ""}
        ORDER BY c.id LIMIT ${EXPORT_PAGE}`);
      const open = await hours;
      const withWorking = rows.map((row) => {
        const site = open.get(row.site ?? "") ?? {};
        const [handoffAt] = String(row.handoff ?? "").split("|");
        const start = handoffAt ? Number(handoffAt) : Number(row.created_at);
        const first = row.first_reply_at === null ? null : withinHours(site, start, Number(row.first_reply_at));
        const spans = String(row.cycles ?? "")
          .split(",")
          .filter(Boolean)
          .map((pair) => pair.split("-").map(Number) as [number, number]);
        const life = spans.length ? spans.reduce((sum, [a, b]) => sum + withinHours(site, a, b), 0) : null;
        return { ...row, working: { first, life } };
      });
      return { rows: withWorking, last: rows.at(-1)?.id ?? null };
    },
    (row) => {
      const [handoffAt, type, logged] = String(row.handoff ?? "").split("|");
      const [visitor, bot, operator] = String(row.counts ?? "||").split("|");
      const spans = String(row.cycles ?? "").split(",").filter(Boolean);
      const lifetime = spans.length ? spans.reduce((sum, pair) => sum + (Number(pair.split("-")[1]) - Number(pair.split("-")[0])), 0) : null;
      const alone = !Number(row.with_bot)
        ? null
        : row.handoff
          ? "no"
          : row.status === "closed" && Number(row.closed_at) <= scope.now - SETTLED_MS
            ? "yes"
            : "pending";
      return [
        row.id, iso(row.created_at), iso(row.closed_at), row.status, row.channel, row.site_name, row.grp, row.operator, row.tags,
        row.intent, row.topic, iso(handoffAt ? Number(handoffAt) : null), type ? reasonOf(type, logged || null) : null, alone,
        seconds(row.first_reply_at === null ? null : row.first_response), seconds(row.working.first), seconds(row.queue_wait),
        seconds(lifetime), seconds(row.working.life), visitor || 0, bot || 0, operator || 0, row.rating,
        row.resolved === null ? null : Number(row.resolved) ? "yes" : "no", row.comment,
        row.sentiment === null ? null : Math.round(Number(row.sentiment) * 100) / 100, sentimentWords(row.sentiment_words), row.contact_id,
        row.contact_name, row.contact_email, row.contact_phone, row.contact_external_id,
        row.contact_attributes === "{}" ? null : row.contact_attributes, row.page_url, row.page_title, row.referrer,
      ];
    },
  );
}

/** The closed cycles of a conversation (alias `c`) as "start-end,start-end". */
const cycles: SQL = sql`(SELECT group_concat(span, ',') FROM (
  SELECT d.started_at || '-' || d.ended_at AS span FROM durations AS d
  WHERE d.conversation_id = c.id AND d.metric = 'lifetime' ORDER BY d.event_id))`;

/** All the time a conversation (alias `c`) waited in queues before an operator got it. */
const waits: SQL = sql`(SELECT SUM(d.value) FROM durations AS d WHERE d.conversation_id = c.id AND d.metric = 'queueWait')`;

function sentimentWords(stored: unknown): string | null {
  try {
    const words = JSON.parse(String(stored ?? "{}")) as Record<string, number>;
    const list = Object.entries(words).map(([word, n]) => `${word}${n > 1 ? ` ×${n}` : ""}`);
    return list.length ? list.join("; ") : null;
  } catch {
    return null;
  }
}

const CONTACT_COLUMNS = [
  "contact_id", "name", "email", "phone", "external_id", "attributes", "conversations", "first_contact", "last_contact",
  "topics", "tags", "intents", "ratings", "rating_mean", "resolved_yes", "resolved_no", "channels", "sites",
];

/** The customer report: one row per contact who had a conversation in the period. */
export function contactsCsv(scope: Scope): ReadableStream<Uint8Array> {
  const { period: p } = scope;
  const mine = sql`${scope.where} AND c.created_at >= ${p.lo} AND c.created_at < ${p.hi}`;
  return csvStream<Record<string, unknown> & { id: string }>(
    CONTACT_COLUMNS,
    async (after) => {
      const rows = await scope.db.all<Record<string, unknown> & { id: string }>(sql`
        SELECT k.id, k.name, k.email, k.phone, k.external_id, k.attributes,
          COUNT(*) AS conversations, MIN(c.created_at) AS first_contact, MAX(COALESCE(c.last_message_at, c.created_at)) AS last_contact,
          group_concat(DISTINCT c.topic) AS topics,
          (SELECT group_concat(DISTINCT t.name) FROM conversations AS c JOIN conversation_tags AS ct ON ct.conversation_id = c.id
            JOIN tags AS t ON t.id = ct.tag_id WHERE c.contact_id = k.id AND ${mine}) AS tags,
          (SELECT group_concat(DISTINCT i.name) FROM conversations AS c JOIN intents AS i ON i.id = c.intent_id
            WHERE c.contact_id = k.id AND ${mine}) AS intents,
          COUNT(c.rating) AS ratings, AVG(c.rating) AS rating_mean, SUM(c.resolved = 1) AS resolved_yes, SUM(c.resolved = 0) AS resolved_no,
          group_concat(DISTINCT c.channel) AS channels,
          (SELECT group_concat(DISTINCT s.name) FROM conversations AS c JOIN sites AS s ON s.id = c.site_id WHERE c.contact_id = k.id AND ${mine}) AS sites
        FROM contacts AS k JOIN conversations AS c ON c.contact_id = k.id
        WHERE k.workspace_id = ${scope.workspaceId} AND k.id > ${after ?? ""} AND ${mine}
        GROUP BY k.id ORDER BY k.id LIMIT ${EXPORT_PAGE}`);
      return { rows, last: rows.at(-1)?.id ?? null };
    },
    (row) => [
      row.id, row.name, row.email, row.phone, row.external_id, row.attributes === "{}" ? null : row.attributes, row.conversations,
      iso(row.first_contact), iso(row.last_contact), row.topics, row.tags, row.intents, row.ratings,
      row.rating_mean === null ? null : Number(row.rating_mean).toFixed(2), row.resolved_yes ?? 0, row.resolved_no ?? 0, row.channels, row.sites,
    ],
  );
}
