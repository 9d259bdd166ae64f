import { request as httpRequest } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, signIn, stack, type Operator } from "../../../scripts/test-kit/clients";

// Invite links (A9) start with the deployment's PUBLIC_URL (the local stack
// sets its own address), not with whatever Host header the request named.
// Production without PUBLIC_URL: http/production-rules.test.ts.

let owner: Operator;

beforeAll(async () => {
  const tenant = await createTenant("Invite link");
  owner = await signIn(tenant.owner.email, tenant.owner.password);
});

/** POST with a Host header of our choosing (fetch will not send one), Origin to match, as a forged request would. */
function postWithHost(path: string, host: string, cookie: string, body: unknown) {
  const target = new URL(stack().url);
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: "POST",
        headers: { host, origin: `http://${host}`, cookie, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (response) => {
        let raw = "";
        response.on("data", (chunk) => (raw += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(raw) }));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

describe("an invite link", () => {
  it("starts with the deployment's public URL whatever Host the request named", async () => {
    const made = await postWithHost("/api/ops/team/invites", "evil.example", owner.cookie, {
      email: `host-${Date.now()}@example.test`,
      name: "Hosted",
      role: "operator",
    });
    expect(made.status).toBe(201);
    expect(made.body.link).toMatch(new RegExp(`^${stack().url.replace(/\./g, "\\.")}/dashboard/#/invite/[A-Za-z0-9_.-]+$`));
    expect(made.body.link).not.toContain("evil.example");
  });
});
