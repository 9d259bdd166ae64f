import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KnowledgeFile, newId } from "@tandem/protocol";
import { and, asc, eq, sql } from "drizzle-orm";
import * as v from "valibot";
import { afterAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../../scripts/stack";
import { until } from "../../scripts/test-kit/clients";
import { connectConversation } from "../../scripts/test-kit/party-client";
import demo from "../../worker/src/bot/demo/knowledge-base.json";
import { createDb } from "../../worker/src/db/client";
import { conversations, events, messages, sites } from "../../worker/src/db/schema";
import { importKnowledge } from "../../worker/src/knowledge";
import { createWorkspace } from "../../worker/src/workspaces/create-workspace";

// A stack of its own, stopped and started again on the same data: the idle
// close (B4) is a Durable Object alarm, and must fire even when the server
// was down at the time it was due.
const dataDir = mkdtempSync(join(tmpdir(), "tandem-restart-"));
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const IDLE_CLOSE_MINUTES = 0.1; // 6 s

describe("the idle close across a restart", () => {
  it("closes a silent conversation whose timer came due while the server was down", async () => {
    stack = await startStack({ dataDir });
    const db = () => createDb({ LIBSQL_URL: stack!.libsqlUrl });
    const owner = { email: "restart@example.test", name: "Rita", password: "restart-password" };
    const tenant = await createWorkspace(db(), { name: "Restart", owner, site: { name: "Restart shop" } });
    // The demo knowledge base routes to these groups.
    for (const name of ["Sales", "Support"]) {
      await db().run(sql`INSERT INTO groups (id, workspace_id, name, routing_mode, line, return_on_offline, created_at)
        VALUES (${newId()}, ${tenant.workspaceId}, ${name}, 'manual', 1, 1, ${Date.now()})`);
    }
    await importKnowledge(db(), tenant.workspaceId, v.parse(KnowledgeFile, demo), "replace");
    await db().update(sites).set({ bot: { idleCloseMinutes: IDLE_CLOSE_MINUTES, reminderMinutes: 0.05 } }).where(eq(sites.id, tenant.siteId));

    const url = stack.url;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", origin: url, ...headers }, body: JSON.stringify(body) });
    const login = await post("/api/ops/login", { email: owner.email, password: owner.password });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const { token, visitorId } = (await (await post("/api/widget/session", { siteKey: tenant.publicKey })).json()) as Record<string, string>;
    const { conversation } = (await (await post("/api/widget/conversations", {}, { authorization: `Bearer ${token}` })).json()) as { conversation: { id: string } };
    const id = conversation.id;
    const row = async () => (await db().select().from(conversations).where(eq(conversations.id, id)))[0];
    const host = new URL(url).host;

    const customer = connectConversation({ host, conversationId: id, token, self: { authorKind: "visitor", authorId: visitorId, authorName: null } });
    customer.sync.send("хочу поговорить с оператором");
    await until(async () => (await row()).status === "queued", 15_000, () => "queued");
    expect((await post(`/api/ops/conversations/${id}/claim`, {}, { cookie })).status).toBe(200);
    const operator = connectConversation({ host, conversationId: id, cookie, self: { authorKind: "operator", authorId: tenant.ownerId, authorName: owner.name } });
    operator.sync.send("Слушаю вас");
    // The operator spoke: the customer's silence is timed from here.
    await until(() => customer.sync.snapshot().messages.some((m) => m.body === "Слушаю вас"), 15_000, () => "the operator's message");
    const spokeAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    customer.close();
    operator.close();

    // Down while both the reminder and the close come due.
    await stack.stop();
    stack = undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, spokeAt + IDLE_CLOSE_MINUTES * 60_000 + 2000 - Date.now())));
    expect(Date.now()).toBeGreaterThan(spokeAt + IDLE_CLOSE_MINUTES * 60_000);

    // Up again on the same data; nobody connects: the alarm alone closes it.
    stack = await startStack({ dataDir });
    const history = async () => (await db().select().from(messages).where(eq(messages.conversationId, id)).orderBy(asc(messages.seq))).map((m) => [m.authorKind, m.body]);
    // The status commits first, then the room writes its notice of the close: wait for both.
    await until(async () => (await row()).status === "closed" && (await history()).at(-1)?.[0] === "system", 30_000, () => "closed after the restart");
    const bodies = await history();
    expect(bodies.slice(-2)).toEqual([
      ["bot", expect.stringMatching(/^Закрыл чат/)],
      ["system", "The conversation was closed"],
    ]);
    // Its reminder is not sent late, after the time it would have closed.
    expect(bodies.some(([, body]) => body.startsWith("Вы ещё здесь?"))).toBe(false);
    const [closed] = await db().select().from(events).where(and(eq(events.conversationId, id), eq(events.type, "closed")));
    expect(closed.actorKind).toBe("system");
  }, 120_000);
});
