import { newId } from "@tandem/protocol";
import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, type Tenant } from "../../../scripts/test-kit/clients";
import { anonymous, member, PASSWORD } from "../../../scripts/test-kit/team-kit";
import { loginThrottle } from "../db/schema";

// Sign-in throttling (A6): a stranger's wrong passwords must not lock the
// owner out. Each test acts as its own client addresses (the stack's test
// address header), so tests do not share a lock.

let x: Tenant;

beforeAll(async () => {
  x = await createTenant("Throttle");
});

const login = (email: string, password: string, address: string, headers: Record<string, string> = {}) =>
  anonymous("/api/ops/login", { method: "POST", json: { email, password }, address, headers });
const freshAddress = () => `client-${newId().toLowerCase()}`;
const retryAfter = (response: Response) => Number(response.headers.get("retry-after"));

/** Time passes for one key: its lock runs out now (the failures stay counted). */
async function lockRunsOut(key: string) {
  await database().update(loginThrottle).set({ lockedUntil: Date.now() - 1 }).where(eq(loginThrottle.key, key));
}

describe("sign-in throttling", () => {
  it("locks a stranger's address out of an e-mail after 5 failures, while its owner elsewhere signs in", async () => {
    const owner = await member(x, "operator", "owner-of-it");
    const stranger = freshAddress();
    for (let i = 0; i < 5; i++) expect((await login(owner.email, "wrong password", stranger)).status).toBe(401);
    // The stranger is locked out, even with the right password...
    const locked = await login(owner.email, PASSWORD, stranger);
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ error: { code: "too_many_attempts", message: "too many failed sign-ins; try again in 1 minute" } });
    expect(retryAfter(locked)).toBeGreaterThan(50);
    expect(retryAfter(locked)).toBeLessThanOrEqual(60);
    // ...but the owner, from their own address, is not.
    expect((await login(owner.email, PASSWORD, freshAddress())).status).toBe(200);
  });

  it("makes each failure after the lock wait twice as long, up to an hour", async () => {
    const someone = await member(x, "operator", "growing");
    const address = freshAddress();
    const key = `pair:${someone.email}|${address}`;
    for (let i = 0; i < 4; i++) expect((await login(someone.email, "wrong password", address)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      expect((await login(someone.email, "wrong password", address)).status).toBe(401);
      const refused = await login(someone.email, "wrong password", address);
      expect(refused.status).toBe(429);
      waits.push(Math.round(retryAfter(refused) / 60));
      await lockRunsOut(key);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    // A locked attempt is not counted: the lock runs out on time, it is never pushed further.
    const [row] = await database().select().from(loginThrottle).where(eq(loginThrottle.key, key));
    expect(row.failures).toBe(13);
  });

  it("holds a burst of parallel guesses to the same 5 as guesses in a row", async () => {
    const someone = await member(x, "operator", "burst");
    const address = freshAddress();
    const answers = await Promise.all(Array.from({ length: 16 }, () => login(someone.email, "wrong password", address)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(11);
  });

  it("answers an unknown e-mail exactly like a known one", async () => {
    const unknown = `nobody-${newId().toLowerCase()}@example.test`;
    const address = freshAddress();
    for (let i = 0; i < 5; i++) expect((await login(unknown, "wrong password", address)).status).toBe(401);
    expect((await login(unknown, "wrong password", address)).status).toBe(429);
  });

  it("forgets an e-mail's failures from an address after a good sign-in from it", async () => {
    const someone = await member(x, "operator", "forgetful");
    const address = freshAddress();
    for (let i = 0; i < 4; i++) expect((await login(someone.email, "wrong password", address)).status).toBe(401);
    expect((await login(someone.email, PASSWORD, address)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(someone.email, "wrong password", address)).status).toBe(401);
    expect((await login(someone.email, PASSWORD, address)).status).toBe(200);
  });

  it("locks an address after 20 failures across e-mails; other addresses sign in", async () => {
    const address = freshAddress();
    for (let i = 0; i < 20; i++) expect((await login(`spray-${i}-${newId().toLowerCase()}@example.test`, "guess", address)).status).toBe(401);
    const someone = await member(x, "operator", "office");
    expect((await login(someone.email, PASSWORD, address)).status).toBe(429);
    expect((await login(someone.email, PASSWORD, freshAddress())).status).toBe(200);
  });

  it("does not count a good sign-in against its address, nor lock it", async () => {
    const address = freshAddress();
    for (let i = 0; i < 19; i++) expect((await login(`typo-${i}-${newId().toLowerCase()}@example.test`, "guess", address)).status).toBe(401);
    const someone = await member(x, "operator", "colleague");
    for (let i = 0; i < 3; i++) expect((await login(someone.email, PASSWORD, address)).status).toBe(200);
    expect((await login(`typo-last-${newId().toLowerCase()}@example.test`, "guess", address)).status).toBe(401);
    expect((await login(someone.email, PASSWORD, address)).status).toBe(429);
  });

  it("does not trust a client-sent CF-Connecting-IP locally: changing it does not escape a lock", async () => {
    const address = freshAddress();
    for (let i = 0; i < 20; i++) {
      const forged = { "cf-connecting-ip": `192.0.2.${i + 1}` };
      expect((await login(`forged-${i}-${newId().toLowerCase()}@example.test`, "guess", address, forged)).status).toBe(401);
    }
    const someone = await member(x, "operator", "forger");
    expect((await login(someone.email, PASSWORD, address, { "cf-connecting-ip": "192.0.2.200" })).status).toBe(429);
    const rows = await database().select().from(loginThrottle).where(like(loginThrottle.key, "%192.0.2.%"));
    expect(rows).toEqual([]);
  });
});
