import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, signIn, TestSocket, type Tenant } from "../../../scripts/test-kit/clients";
import { anonymous, json, member, PASSWORD } from "../../../scripts/test-kit/team-kit";

let x: Tenant;

beforeAll(async () => {
  x = await createTenant("Auth");
});

const login = (email: string, password: string, ip: string) => anonymous("/api/ops/login", { method: "POST", json: { email, password }, ip });
let ipCount = 0;
const freshIp = () => `203.0.113.${++ipCount}`;

describe("sign-in throttling", () => {
  it("locks an e-mail for 15 minutes after 5 failures, even for the right password", async () => {
    const someone = await member(x, "operator", "locked");
    for (let i = 0; i < 5; i++) expect((await login(someone.email, "wrong password", freshIp())).status).toBe(401);
    const locked = await login(someone.email, PASSWORD, freshIp());
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(15 * 60);
    expect(await locked.json()).toMatchObject({ error: { code: "too_many_attempts", message: expect.stringContaining("15 minutes") } });
  });

  it("answers an unknown e-mail exactly like a known one", async () => {
    const unknown = `nobody-${Date.now()}@example.test`;
    for (let i = 0; i < 5; i++) expect((await login(unknown, "wrong password", freshIp())).status).toBe(401);
    expect((await login(unknown, "wrong password", freshIp())).status).toBe(429);
  });

  it("forgets an e-mail's failures after a good sign-in", async () => {
    const someone = await member(x, "operator", "forgetful");
    for (let i = 0; i < 4; i++) await login(someone.email, "wrong password", freshIp());
    expect((await login(someone.email, PASSWORD, freshIp())).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(someone.email, "wrong password", freshIp())).status).toBe(401);
    expect((await login(someone.email, PASSWORD, freshIp())).status).toBe(200);
  });

  it("locks an address after 20 failures across e-mails", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) expect((await login(`spray-${i}-${Date.now()}@example.test`, "guess", ip)).status).toBe(401);
    const someone = await member(x, "operator", "office");
    expect((await login(someone.email, PASSWORD, ip)).status).toBe(429);
    expect((await login(someone.email, PASSWORD, freshIp())).status).toBe(200);
  });
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
