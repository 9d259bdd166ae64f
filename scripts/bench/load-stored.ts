import { count, inArray } from "drizzle-orm";
import { createDb } from "../../worker/src/db/client";
import { conversations, messages } from "../../worker/src/db/schema";

/**
 * What libSQL holds of the messages a load step sent: how many, any stored
 * twice, any in another order than their customer sent them.
 */
export async function checkStored(
  libsqlUrl: string,
  customers: { conversationId: string }[],
  sent: Map<string, { customer: number; k: number }>,
) {
  const db = createDb({ LIBSQL_URL: libsqlUrl });
  const rows = await db
    .select({ conversationId: messages.conversationId, seq: messages.seq, clientMsgId: messages.clientMsgId })
    .from(messages)
    .where(inArray(messages.conversationId, customers.map((c) => c.conversationId)))
    .orderBy(messages.conversationId, messages.seq);
  const seen = new Set<string>();
  let duplicated = 0;
  let outOfOrder = 0;
  let previous = { conversationId: "", k: -1 };
  for (const row of rows) {
    const message = sent.get(row.clientMsgId);
    if (!message) continue;
    if (seen.has(row.clientMsgId)) duplicated++;
    seen.add(row.clientMsgId);
    if (row.conversationId === previous.conversationId && message.k < previous.k) {
      outOfOrder++;
      if (process.env.BENCH_LOAD_DEBUG) console.log(`stored out of order: ${row.conversationId} seq ${row.seq} k ${message.k} after k ${previous.k}`);
    }
    previous = { conversationId: row.conversationId, k: message.k };
  }
  return { count: seen.size, duplicated, outOfOrder };
}

/** How many of the step's conversations are in each state now (the bot may have handed some over). */
export async function countStatuses(libsqlUrl: string, customers: { conversationId: string }[]) {
  const rows = await createDb({ LIBSQL_URL: libsqlUrl })
    .select({ status: conversations.status, n: count() })
    .from(conversations)
    .where(inArray(conversations.id, customers.map((c) => c.conversationId)))
    .groupBy(conversations.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
