import { newId } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, customerWrites, database, signIn, startVisitor, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { contacts, tags } from "../db/schema";

// JSON may carry half of a surrogate pair ("\ud800"); no UTF-8 store can hold it.
// JSON.stringify writes it as the escape, as an attacker's request would.
const LONE = "t\ud800";

let tenant: Tenant;
let agent: Operator;

beforeAll(async () => {
  tenant = await createTenant("Unicode");
  agent = await signIn(tenant.agent.email, tenant.agent.password);
});

async function refused(response: Response) {
  expect(response.status).toBe(400);
  const answer = (await response.json()) as { error: { code: string; message: string } };
  expect(answer.error.message).toMatch(/not well-formed Unicode/);
  return answer.error;
}

describe("text that is not well-formed Unicode is refused with 400, never a 500", () => {
  it("in an operator's tags, notes and messages, naming the field", async () => {
    const { id } = await customerWrites(tenant.publicKey);
    const tag = await refused(await agent.request("/api/ops/workbench/tags", { method: "POST", body: JSON.stringify({ name: LONE }) }));
    expect(tag.message).toMatch(/^name: /);
    await refused(await agent.request(`/api/ops/workbench/conversations/${id}/tags`, { method: "POST", body: JSON.stringify({ name: LONE }) }));
    await refused(await agent.request(`/api/ops/workbench/conversations/${id}/notes`, { method: "POST", body: JSON.stringify({ body: LONE }) }));
    const message = await refused(
      await agent.request(`/api/ops/conversations/${id}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: newId(), body: LONE }) }),
    );
    expect(message.message).toMatch(/^body: /);
    expect(await database().select().from(tags).where(eq(tags.workspaceId, tenant.workspaceId))).toEqual([]);
    // A well-formed pair (an emoji) is fine.
    const ok = await agent.request(`/api/ops/conversations/${id}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: newId(), body: "ok 👍" }) });
    expect(ok.status).toBe(201);
  });

  it("in what a customer says of themselves, in an object key too", async () => {
    const visitor = await startVisitor(tenant.publicKey);
    await refused(await visitor.request("/api/widget/contact", { method: "PATCH", body: JSON.stringify({ name: LONE }) }));
    await refused(await visitor.request("/api/widget/identify", { method: "POST", body: JSON.stringify({ id: "user-1", name: LONE }) }));
    await refused(await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ context: { [LONE]: "x" } }) }));
    const [contact] = await database().select({ name: contacts.name }).from(contacts).where(eq(contacts.workspaceId, tenant.workspaceId));
    expect(contact?.name ?? null).toBeNull();
  });
});
