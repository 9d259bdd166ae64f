import { newId, type ConversationSummary } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createTenant,
  customerWrites as writes,
  database,
  signIn,
  TestSocket,
  type Operator,
  type Tenant,
} from "../../scripts/test-kit/clients";

let tenant: Tenant;
let agent: Operator;

beforeAll(async () => {
  tenant = await createTenant("Inbox");
  agent = await signIn(tenant.agent.email, tenant.agent.password);
});

type Snapshot = { version: number; conversations: ConversationSummary[] };

async function snapshot(): Promise<Snapshot> {
  return (await (await agent.request("/api/ops/inbox")).json()) as Snapshot;
}

async function openInbox(after: number) {
  const socket = new TestSocket(`/parties/inbox/${tenant.workspaceId}`, { cookie: agent.cookie });
  await socket.opened;
  socket.send({ type: "resume", after });
  return socket;
}

async function customerWrites(text: string) {
  return (await writes(tenant.publicKey, text)).id;
}

/** What a dashboard does with the frames: upsert each event's summary, keep the open ones. */
function applyFrames(start: Snapshot, frames: TestSocket["frames"]) {
  const byId = new Map(start.conversations.map((c) => [c.id, c]));
  for (const frame of frames) {
    if (frame.type === "event" && frame.conversation) byId.set(frame.conversation.id, frame.conversation);
  }
  return [...byId.values()]
    .filter((c) => c.status === "queued" || c.status === "assigned")
    .map((c) => `${c.id}:${c.status}:${c.assignee?.id ?? "-"}`)
    .sort();
}

function openRows(s: Snapshot) {
  return s.conversations.map((c) => `${c.id}:${c.status}:${c.assignee?.id ?? "-"}`).sort();
}

describe("Inbox room", () => {
  it("announces a new waiting conversation at once, with its summary and a preview", async () => {
    const start = await snapshot();
    const inbox = await openInbox(start.version);
    const id = await customerWrites("My card was charged twice");
    const escalated = await inbox.next((f) => f.type === "event" && f.event.type === "escalated" && f.event.conversationId === id);
    expect(escalated.conversation).toMatchObject({ id, status: "queued", preview: "My card was charged twice" });
    const activity = await inbox.next((f) => f.type === "activity" && f.conversationId === id);
    expect(activity).toMatchObject({ preview: "My card was charged twice", lastSeq: 1, authorKind: "visitor" });
    await inbox.close();
  });

  it("catches a dashboard up after a cut: exactly the missed events, in order, converging on a fresh snapshot", async () => {
    const start = await snapshot();
    const first = await openInbox(start.version);
    const a = await customerWrites("first");
    // Escalating logs two events: the escalation and the queue it went to (D3).
    await first.next((f) => f.type === "event" && f.event.type === "routed" && f.event.conversationId === a);
    const seen = first.frames.filter((f) => f.type === "event");
    const lastVersion = seen.at(-1)!.event.version as number;
    await first.close();

    // While the operator is away, conversations arrive, move and close.
    const b = await customerWrites("second");
    const c = await customerWrites("third");
    expect((await agent.request(`/api/ops/conversations/${a}/claim`, { method: "POST" })).status).toBe(200);
    expect((await agent.request(`/api/ops/conversations/${b}/close`, { method: "POST" })).status).toBe(200);

    const second = await openInbox(lastVersion);
    await second.next((f) => f.type === "event" && f.event.type === "closed" && f.event.conversationId === b);
    const missed = second.frames.filter((f) => f.type === "event");
    const versions = missed.map((f) => f.event.version as number);
    expect(versions[0]).toBeGreaterThan(lastVersion);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
    expect(missed.map((f) => `${f.event.type}:${f.event.conversationId}`)).toEqual([
      `created:${b}`,
      `escalated:${b}`,
      `routed:${b}`,
      `created:${c}`,
      `escalated:${c}`,
      `routed:${c}`,
      `claimed:${a}`,
      `routed:${a}`,
      `closed:${b}`,
    ]);

    const together = applyFrames(start, [...seen, ...missed]);
    expect(together).toEqual(openRows(await snapshot()));
    await second.close();
  });

  it("sends live events to each connection once, in version order", async () => {
    const start = await snapshot();
    const one = await openInbox(start.version);
    const two = await openInbox(start.version);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await customerWrites(`live ${i}`));
    for (const socket of [one, two]) {
      await socket.next((f) => f.type === "event" && f.event.type === "routed" && f.event.conversationId === ids[3]);
      const versions = socket.frames.filter((f) => f.type === "event").map((f) => f.event.version as number);
      expect(versions).toEqual([...new Set(versions)].sort((x, y) => x - y));
      // Each: created, escalated, routed (to its queue).
      expect(versions.length).toBe(12);
    }
    await one.close();
    await two.close();
  });

  it("asks a dashboard that is too far behind to take a new snapshot", async () => {
    const far = await createTenant("Far behind");
    const owner = await signIn(far.owner.email, far.owner.password);
    const values = Array.from({ length: 1001 }, (_, i) => sql`(${far.workspaceId}, 'closed', 'system', ${i})`);
    await database().run(sql`INSERT INTO events (workspace_id, type, actor_kind, at) VALUES ${sql.join(values, sql`, `)}`);
    const socket = new TestSocket(`/parties/inbox/${far.workspaceId}`, { cookie: owner.cookie });
    await socket.opened;
    socket.send({ type: "resume", after: 0 });
    await socket.next((f) => f.type === "stale");
    expect(socket.frames.filter((f) => f.type === "event")).toHaveLength(0);
    await socket.close();
  });

  it("answers bad frames with an error frame and stays usable", async () => {
    const socket = new TestSocket(`/parties/inbox/${tenant.workspaceId}`, { cookie: agent.cookie });
    await socket.opened;
    for (const bad of ["nope", JSON.stringify({ type: "resume" }), JSON.stringify({ type: "resume", after: "1" }), JSON.stringify({ type: "claim", id: newId() })]) {
      const from = socket.frames.length;
      socket.send(bad);
      expect(await socket.next((f) => f.type === "error", { from })).toMatchObject({ code: "bad_frame" });
    }
    const start = await snapshot();
    socket.send({ type: "resume", after: start.version });
    const id = await customerWrites("after the bad frames");
    await socket.next((f) => f.type === "event" && f.event.conversationId === id);
    await socket.close();
  });
});
