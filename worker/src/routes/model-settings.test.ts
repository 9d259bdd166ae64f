import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, database, signIn, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { json } from "../../../scripts/test-kit/team-kit";
import { workspaces } from "../db/schema";

// The language model's URL on save (A8), on the local stack: loopback is
// allowed here (ALLOW_LOOPBACK_URLS, for the tests' fake models), every
// other address that is not public is refused as in production. Production's
// own rules, through a Worker without the allowance: http/outbound-url-production.test.ts.

let tenant: Tenant;
let admin: Operator;
const path = "/api/ops/knowledge/model";
const model = { enabled: true, url: "https://llm.example/v1", model: "small-1", timeoutMs: 3000 };
const stored = async () => (await database().select({ llm: workspaces.llm }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId)))[0].llm;

beforeAll(async () => {
  tenant = await createTenant("Model URL");
  admin = await signIn(tenant.owner.email, tenant.owner.password);
});

async function refused(url: string, message: RegExp, enabled = true) {
  const response = await admin.request(path, json("PUT", { ...model, enabled, url }));
  expect(response.status, url).toBe(400);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe("invalid_request");
  expect(error.message, url).toMatch(/^url: /);
  expect(error.message, url).toMatch(message);
}

describe("the language model's URL on save", () => {
  it("refuses addresses on a private network, link-local ones, local names and credentials, storing nothing", async () => {
    expect((await admin.request(path, json("PUT", model))).status).toBe(200);
    await refused("https://10.0.0.5/v1", /10\.0\.0\.5 is a private address; the URL must point at a public host/);
    await refused("https://169.254.169.254/latest/meta-data", /link-local/);
    await refused("https://100.64.1.1/v1", /carrier-grade NAT/);
    await refused("https://[fd12::1]/v1", /unique-local/);
    await refused("https://[::ffff:10.0.0.5]/v1", /IPv4-mapped/);
    await refused("https://metadata.google.internal/v1", /local network name/);
    await refused("https://printer.local/v1", /local network name/);
    await refused("https://key:secret@llm.example/v1", /user name or password/);
    await refused("http://llm.example/v1", /must start with https:\/\//);
    // Switched off, a URL it holds is still checked: turning it on later must not skip the check.
    await refused("https://192.168.0.10/v1", /private address/, false);
    expect(await stored()).toEqual(model);
  });

  it("takes loopback over http on the local stack, for the tests' fake models", async () => {
    const local = { ...model, url: "http://127.0.0.1:9/v1" };
    const response = await admin.request(path, json("PUT", local));
    expect(response.status).toBe(200);
    expect(await stored()).toEqual(local);
  });

  it("keeps the stored key for the same origin only: a new host gets a key when one is typed for it", async () => {
    const keyed = { ...model, key: "sk-model" };
    const keyOf = async () => ((await stored()) as { key?: string }).key;
    expect((await admin.request(path, json("PUT", keyed))).status).toBe(200);
    // The same host, another path: the key stays.
    expect((await admin.request(path, json("PUT", { ...model, url: "https://llm.example/v2" }))).status).toBe(200);
    expect(await keyOf()).toBe("sk-model");
    // Another host: the key is not sent there.
    const moved = await admin.request(path, json("PUT", { ...model, url: "https://other-llm.example/v1" }));
    expect(((await moved.json()) as { model: { keySet: boolean } }).model.keySet).toBe(false);
    expect(await keyOf()).toBeUndefined();
    expect((await admin.request(path, json("PUT", { ...model, url: "https://other-llm.example/v1", key: "sk-other" }))).status).toBe(200);
    expect(await keyOf()).toBe("sk-other");
  });
});
