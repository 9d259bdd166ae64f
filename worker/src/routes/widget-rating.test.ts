import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, startVisitor, type Tenant } from "../../../scripts/test-kit/clients";
import { conversations, events } from "../db/schema";

// After close: "was your question resolved?", 1–5 stars, a comment (W11).

let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant("Rating");
});

type Visitor = Awaited<ReturnType<typeof startVisitor>>;

async function rate(visitor: Visitor, id: string, body: unknown) {
  const response = await visitor.request(`/api/widget/conversations/${id}/rating`, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

async function closedConversation(visitor: Visitor) {
  const id = await visitor.createConversation();
  const closed = await visitor.request(`/api/widget/conversations/${id}/close`, { method: "POST" });
  expect(closed.status).toBe(200);
  return id;
}

async function listed(visitor: Visitor) {
  const response = await visitor.request("/api/widget/conversations");
  return ((await response.json()) as { conversations: { id: string; rating: unknown }[] }).conversations;
}

describe("POST /api/widget/conversations/:id/rating", () => {
  it("stores the rating once, logs it, and lists it", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await closedConversation(visitor);
    expect((await listed(visitor)).find((c) => c.id === id)?.rating).toBeNull();

    const answer = await rate(visitor, id, { resolved: false, rating: 2, comment: "  Took too long  " });
    expect(answer).toEqual({ status: 200, body: { rating: { resolved: false, rating: 2, comment: "Took too long" } } });
    const [row] = await database()
      .select({ resolved: conversations.resolved, rating: conversations.rating, comment: conversations.ratingComment })
      .from(conversations)
      .where(eq(conversations.id, id));
    expect(row).toEqual({ resolved: false, rating: 2, comment: "Took too long" });
    const log = await database().select().from(events).where(and(eq(events.conversationId, id), eq(events.type, "rated")));
    expect(log).toMatchObject([{ actorKind: "visitor", actorId: visitor.visitorId, workspaceId: tenant.workspaceId, data: { rating: 2, resolved: false } }]);
    expect((await listed(visitor)).find((c) => c.id === id)?.rating).toEqual({ resolved: false, rating: 2, comment: "Took too long" });

    const again = await rate(visitor, id, { resolved: true, rating: 5 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_rated");
    const [still] = await database().select({ rating: conversations.rating }).from(conversations).where(eq(conversations.id, id));
    expect(still!.rating).toBe(2);
  });

  it("takes a rating without a comment, and an empty comment as none", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const first = await rate(visitor, await closedConversation(visitor), { resolved: true, rating: 5 });
    expect(first.body).toEqual({ rating: { resolved: true, rating: 5, comment: null } });
    // Another customer: this one's next conversation would be the closed one again, within the reopen window (D8).
    const other = await startVisitor(tenant.publicKey);
    const second = await rate(other, await closedConversation(other), { resolved: true, rating: 4, comment: "   " });
    expect(second.body).toEqual({ rating: { resolved: true, rating: 4, comment: null } });
  });

  it("stores one of two ratings sent at once", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await closedConversation(visitor);
    const answers = await Promise.all([rate(visitor, id, { resolved: true, rating: 5 }), rate(visitor, id, { resolved: false, rating: 1 })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const log = await database().select().from(events).where(and(eq(events.conversationId, id), eq(events.type, "rated")));
    expect(log).toHaveLength(1);
  });

  it("refuses a conversation that is still open with 409", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await visitor.createConversation();
    const answer = await rate(visitor, id, { resolved: true, rating: 5 });
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe("not_closed");
  });

  it("answers 404 for someone else's conversation or none", async () => {
    const owner = await startVisitor(tenant.publicKey);
    const id = await closedConversation(owner);
    const stranger = await startVisitor(tenant.publicKey);
    expect((await rate(stranger, id, { resolved: true, rating: 5 })).status).toBe(404);
    expect((await rate(stranger, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { resolved: true, rating: 5 })).status).toBe(404);
    const [row] = await database().select({ rating: conversations.rating }).from(conversations).where(eq(conversations.id, id));
    expect(row!.rating).toBeNull();
  });

  it.each([
    ["no resolved", { rating: 3 }],
    ["no rating", { resolved: true }],
    ["a rating of 0", { resolved: true, rating: 0 }],
    ["a rating of 6", { resolved: true, rating: 6 }],
    ["a fractional rating", { resolved: true, rating: 4.5 }],
    ["a rating as text", { resolved: true, rating: "5" }],
    ["resolved as text", { resolved: "yes", rating: 5 }],
    ["a long comment", { resolved: false, rating: 1, comment: "x".repeat(2001) }],
  ])("refuses %s with 400", async (_name, body) => {
    const visitor = await startVisitor(tenant.publicKey);
    const id = await closedConversation(visitor);
    const answer = await rate(visitor, id, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_request");
  });
});
