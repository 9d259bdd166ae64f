import { KnowledgeFile, newId } from "@tandem/protocol";
import * as v from "valibot";
import demo from "../../worker/src/bot/demo/knowledge-base.json";
import { createDb } from "../../worker/src/db/client";
import { groups } from "../../worker/src/db/schema";
import { importKnowledge } from "../../worker/src/knowledge";
import { addOperator, createWorkspace } from "../../worker/src/workspaces/create-workspace";
import { openVisitor, RoomSocket, signInOperator } from "../test-kit/load-clients";

/** Conversations per operator: a busy operator, not one socket-holder for everything. */
const PER_OPERATOR = 25;
/** Customers set up at a time (sessions, conversations, claims, sockets). */
const AT_ONCE = 16;

/** One customer of the load: their conversation, their socket, and its operator's socket in it. */
export type LoadCustomer = {
  index: number;
  conversationId: string;
  /** Replaced when a socket closes under the load and the bench reconnects, as the real clients do. */
  customer: RoomSocket;
  operator: RoomSocket;
  token: string;
  cookie: string;
};

type SignedIn = Awaited<ReturnType<typeof signInOperator>>;

/**
 * The benchmark's workspace, straight into libSQL (not through the Worker):
 * a site, operators signed in as they are needed, and the demo knowledge
 * base for the pass where the bot has the conversations.
 */
export async function createLoadTenant(baseUrl: string, libsqlUrl: string) {
  const db = createDb({ LIBSQL_URL: libsqlUrl });
  const password = "load-bench-password";
  const tag = newId().toLowerCase();
  const owner = { email: `load-owner-${tag}@example.test`, name: "Load Owner", password };
  const tenant = await createWorkspace(db, { name: `Load ${tag}`, owner, site: { name: "Load site" } });
  const knowledge = v.parse(KnowledgeFile, demo);
  const groupNames = new Set(knowledge.intents.flatMap((i) => (i.group ? [i.group] : [])));
  for (const name of groupNames) await db.insert(groups).values({ id: newId(), workspaceId: tenant.workspaceId, name, createdAt: Date.now() });
  await importKnowledge(db, tenant.workspaceId, knowledge, "replace");
  const operators: Promise<SignedIn>[] = [];

  function operatorFor(index: number): Promise<SignedIn> {
    const slot = Math.floor(index / PER_OPERATOR);
    operators[slot] ??= (async () => {
      const email = `load-${slot}-${tag}@example.test`;
      await addOperator(db, tenant.workspaceId, { email, name: `Load Operator ${slot}`, password });
      return signInOperator(baseUrl, email, password);
    })();
    return operators[slot];
  }

  /**
   * `count` customers, each with a conversation of their own, the operator's
   * socket and theirs joined. "assigned": claimed by the operator over the
   * API first; "bot": left with the bot, the operator's socket watching.
   */
  async function setUp(count: number, mode: "assigned" | "bot"): Promise<LoadCustomer[]> {
    const customers: LoadCustomer[] = [];
    for (let start = 0; start < count; start += AT_ONCE) {
      const batch = Array.from({ length: Math.min(AT_ONCE, count - start) }, (_, i) => start + i);
      customers.push(
        ...(await Promise.all(
          batch.map(async (index) => {
            const staff = await operatorFor(index);
            const visitor = await openVisitor(baseUrl, tenant.publicKey);
            const conversationId = await visitor.createConversation();
            if (mode === "assigned") {
              const claimed = await staff.request(`/api/ops/conversations/${conversationId}/claim`, { method: "POST" });
              if (claimed.status !== 200) throw new Error(`claim failed: ${claimed.status} ${await claimed.text()}`);
            }
            const operator = new RoomSocket(baseUrl, conversationId, { cookie: staff.cookie }, { record: false });
            const customer = new RoomSocket(baseUrl, conversationId, { token: visitor.token }, { record: false });
            await Promise.all([operator.join(), customer.join()]);
            return { index, conversationId, customer, operator, token: visitor.token, cookie: staff.cookie };
          }),
        )),
      );
    }
    return customers;
  }

  return { ...tenant, setUp };
}

export type LoadTenant = Awaited<ReturnType<typeof createLoadTenant>>;
