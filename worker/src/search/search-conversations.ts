import type { SearchHit } from "@tandem/protocol";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";

export const SEARCH_LIMIT = 50;

/**
 * SQLite's LIKE folds case for ASCII only, so "олена" would miss "Олена".
 * Trying the words as typed, in lower case, capitalised and in upper case
 * covers how names and sentences are really written, without an ICU build.
 */
export function caseVariants(query: string): string[] {
  const lower = query.toLocaleLowerCase();
  return [...new Set([query, lower, lower.charAt(0).toLocaleUpperCase() + lower.slice(1), query.toLocaleUpperCase()])];
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `column LIKE any variant`, with `\` escaping the query's own % and _. */
function matches(column: SQL, patterns: string[]): SQL {
  return sql.join(
    patterns.map((p) => sql`${column} LIKE ${p} ESCAPE '\\'`),
    sql` OR `,
  );
}

type Row = {
  id: string;
  status: SearchHit["status"];
  last_at: number;
  name: string | null;
  email: string | null;
  verified: number;
  hit_message: string | null;
  hit_tag: string | null;
};

/**
 * Conversations of one workspace whose messages, customer name, e-mail or
 * tags contain `query`, newest activity first. Every conversation is read
 * through `workspace_id`, so no other workspace's data can match.
 */
export async function searchConversations(db: Db, workspaceId: string, query: string): Promise<SearchHit[]> {
  // SQLite reads a LIKE pattern up to its first NUL: '%<NUL>%' would be '%' and match every conversation.
  if (query.includes("\u0000")) return [];
  const patterns = caseVariants(query).map(likePattern);
  const rows = await db.all<Row>(sql`
    SELECT * FROM (
      SELECT c.id, c.status, COALESCE(c.last_message_at, c.created_at) AS last_at, ct.name, ct.email,
        -- The site vouched for the customer, and the name (else the e-mail) a result shows is what it gave.
        (ct.verified_at IS NOT NULL AND CASE WHEN ct.name IS NOT NULL THEN ct.name IS ct.verified_name
          WHEN ct.email IS NOT NULL THEN ct.email IS ct.verified_email ELSE 1 END) AS verified,
        (SELECT m.body FROM messages m
          WHERE m.conversation_id = c.id AND m.kind = 'text' AND (${matches(sql`m.body`, patterns)})
          ORDER BY m.seq DESC LIMIT 1) AS hit_message,
        (SELECT t.name FROM conversation_tags x JOIN tags t ON t.id = x.tag_id
          WHERE x.conversation_id = c.id AND (${matches(sql`t.name`, patterns)}) LIMIT 1) AS hit_tag,
        (${matches(sql`ct.name`, patterns)}) AS hit_name,
        (${matches(sql`ct.email`, patterns)}) AS hit_email
      FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
      WHERE c.workspace_id = ${workspaceId}
    )
    WHERE hit_name OR hit_email OR hit_message IS NOT NULL OR hit_tag IS NOT NULL
    ORDER BY last_at DESC
    LIMIT ${SEARCH_LIMIT}
  `);
  return rows.map((row) => {
    const [field, text] =
      row.hit_message !== null
        ? (["message", row.hit_message] as const)
        : row.hit_tag !== null
          ? (["tag", row.hit_tag] as const)
          : contains(row.name, query)
            ? (["name", row.name!] as const)
            : (["email", row.email ?? ""] as const);
    return {
      conversationId: row.id,
      customer: row.name,
      email: row.email,
      verified: Boolean(row.verified),
      snippet: snippetAround(text, query),
      field,
      status: row.status,
      lastActivityAt: Number(row.last_at),
    };
  });
}

const contains = (text: string | null, query: string) => text !== null && text.toLocaleLowerCase().includes(query.toLocaleLowerCase());

/** A short piece of `text` around the first match, on one line, with … where it was cut. */
export function snippetAround(text: string, query: string, before = 40, after = 100): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const at = Math.max(0, flat.toLocaleLowerCase().indexOf(query.toLocaleLowerCase()));
  const start = Math.max(0, at - before);
  const end = Math.min(flat.length, at + query.length + after);
  return (start > 0 ? "…" : "") + flat.slice(start, end) + (end < flat.length ? "…" : "");
}
