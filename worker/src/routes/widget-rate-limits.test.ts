import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, startVisitor, strictStack, type Tenant } from "../../../scripts/test-kit/clients";
import { RATES } from "../limits/rates";

// Against the Worker configured as in production (default limits), playing
// Cloudflare: it sets CF-Connecting-IP, and a test picks the address.
let tenant: Tenant;
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

beforeAll(async () => {
  tenant = await createTenant("HTTP limits");
});

function session(ip: string, token?: string) {
  return fetch(`${strictStack().url}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip, origin: "https://shop.example" },
    body: JSON.stringify({ siteKey: tenant.publicKey, ...(token ? { token } : {}) }),
  });
}

describe("the widget API limits anonymous callers (S4)", () => {
  it("lets an address start a burst of new visitors, then answers 429 with Retry-After, and other addresses go on", async () => {
    const ip = address();
    const first = await session(ip);
    const { token } = (await first.json()) as { token: string };
    const statuses = [first.status];
    for (let i = 1; i < RATES.newVisitor.burst + 20; i++) statuses.push((await session(ip)).status);
    const allowed = statuses.filter((s) => s === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(RATES.newVisitor.burst);
    expect(allowed).toBeLessThan(RATES.newVisitor.burst + 10);
    expect(statuses.slice(allowed).every((s) => s === 429)).toBe(true);

    const refused = await session(ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // The widget on a customer's site can read when to try again.
    expect(refused.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited", message: expect.stringMatching(/try again in \d+ s/) } });

    // A returning visitor from that address is not a new one; another address is not this one.
    expect((await session(ip, token)).status).toBe(200);
    expect((await session(address())).status).toBe(200);
  });

  it("lets a visitor start a few conversations, then answers 429 with Retry-After", async () => {
    const visitor = await startVisitor(tenant.publicKey, { url: strictStack().url, headers: { "cf-connecting-ip": address() } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < RATES.conversation.burst + 5; i++) {
      const response = await visitor.request("/api/widget/conversations", { method: "POST", body: JSON.stringify({ context: { url: "https://shop.example/" } }) });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    expect(statuses.slice(0, RATES.conversation.burst)).toEqual(Array(RATES.conversation.burst).fill(201));
    expect(statuses.slice(RATES.conversation.burst + 1)).toEqual(Array(4).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
