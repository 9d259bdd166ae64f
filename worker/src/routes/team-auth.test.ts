import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, signIn, TestSocket, type Tenant } from "../../../scripts/test-kit/clients";
import { json } from "../../../scripts/test-kit/team-kit";

let x: Tenant;

beforeAll(async () => {
  x = await createTenant("Auth");
});

describe("changing one's password", () => {
  it("needs the current one, then ends every other session and its inbox at once", async () => {
    const email = x.agent.email;
    const here = await signIn(email, x.agent.password);
    const there = await signIn(email, x.agent.password);
    const inbox = new TestSocket(`/parties/inbox/${x.workspaceId}`, { cookie: there.cookie });
    await inbox.opened;

    const wrong = await here.request("/api/ops/team/me/password", json("POST", { current: "not it", next: "a brand new password" }));
    expect(wrong.status).toBe(403);
    const short = await here.request("/api/ops/team/me/password", json("POST", { current: x.agent.password, next: "short" }));
    expect(short.status).toBe(400);

    const changed = await here.request("/api/ops/team/me/password", json("POST", { current: x.agent.password, next: "a brand new password" }));
    expect(changed.status).toBe(200);
    expect((await inbox.closed).code).toBe(4401);
    expect((await there.request("/api/ops/me")).status).toBe(401);
    expect((await here.request("/api/ops/me")).status).toBe(200);
    await expect(signIn(email, x.agent.password)).rejects.toThrow(/401/);
    await signIn(email, "a brand new password");
  });
});
