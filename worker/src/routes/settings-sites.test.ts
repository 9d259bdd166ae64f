import { request as httpRequest } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, signIn, stack, startVisitor, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { json, member } from "../../../scripts/test-kit/team-kit";

let x: Tenant;
let y: Tenant;
let owner: Operator;
let admin: Operator;
let supervisor: Operator;
let stranger: Operator;

beforeAll(async () => {
  [x, y] = await Promise.all([createTenant("Sites"), createTenant("Other")]);
  owner = await signIn(x.owner.email, x.owner.password);
  [admin, supervisor] = await Promise.all([member(x, "admin"), member(x, "supervisor")]);
  stranger = await signIn(y.owner.email, y.owner.password);
});

const patch = (by: Operator, id: string, body: unknown) => by.request(`/api/ops/settings/sites/${id}`, json("PATCH", body));
const session = async (siteKey: string) => {
  const response = await fetch(`${stack().url}/api/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ siteKey }),
  });
  return (await response.json()) as { site: any };
};

/** GET with a Host header of our choosing (fetch will not send one), as a forged request would. */
function getWithHost(path: string, host: string, cookie: string) {
  const target = new URL(stack().url);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = httpRequest({ host: target.hostname, port: target.port, path, headers: { host, cookie } }, (response) => {
      let raw = "";
      response.on("data", (chunk) => (raw += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(raw) }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("site settings", () => {
  it("shows a site's settings with defaults and its embed snippet, to admins only", async () => {
    const response = await owner.request(`/api/ops/settings/sites/${x.siteId}`);
    expect(response.status).toBe(200);
    const { site } = (await response.json()) as { site: any };
    expect(site).toMatchObject({
      id: x.siteId,
      publicKey: x.publicKey,
      allowedOrigins: [],
      look: { color: "#2563eb", position: "right", language: null },
      workingHours: {},
      prechatForm: { fields: [], topics: [] },
      reopenMinutes: 60,
    });
    expect(site.embed).toBe(`<script async src="${stack().url}/widget/loader.js" data-site="${x.publicKey}"></script>`);
    const list = (await (await admin.request("/api/ops/settings/sites")).json()) as { sites: any[] };
    expect(list.sites.map((s) => s.id)).toEqual([x.siteId]);
    expect((await supervisor.request(`/api/ops/settings/sites/${x.siteId}`)).status).toBe(403);
    expect((await patch(supervisor, x.siteId, { name: "Mine" })).status).toBe(403);
    expect((await fetch(`${stack().url}/api/ops/settings/sites`)).status).toBe(401);
  });

  it("builds the embed snippet from the deployment's public URL, whatever Host the request named", async () => {
    const forged = await getWithHost(`/api/ops/settings/sites/${x.siteId}`, "evil.example", owner.cookie);
    expect(forged.status).toBe(200);
    expect(forged.body.site.embed).toBe(`<script async src="${stack().url}/widget/loader.js" data-site="${x.publicKey}"></script>`);
  });

  it("saves every setting, and the widget gets them on its next session", async () => {
    const body = {
      name: "Shop",
      allowedOrigins: ["https://Shop.example/", "http://127.0.0.1:3000"],
      look: { color: "#AA0000", position: "left", greeting: "Hi there", language: "uk" },
      workingHours: { timeZone: "Europe/Kyiv", days: { mon: [["09:00", "18:00"]] } },
      prechatForm: { fields: [{ name: "email", required: true }], topics: ["Billing"] },
      reopenMinutes: 15,
    };
    const response = await patch(admin, x.siteId, body);
    expect(response.status).toBe(200);
    const { site } = (await response.json()) as { site: any };
    expect(site).toMatchObject({
      name: "Shop",
      allowedOrigins: ["https://shop.example", "http://127.0.0.1:3000"],
      look: { color: "#aa0000", position: "left", greeting: "Hi there", language: "uk", dark: "auto" },
      workingHours: { timeZone: "Europe/Kyiv", days: { mon: [["09:00", "18:00"]], tue: [] } },
      prechatForm: { fields: [{ name: "email", required: true }], topics: ["Billing"] },
      reopenMinutes: 15,
    });
    expect(await (await owner.request(`/api/ops/settings/sites/${x.siteId}`)).json()).toEqual({ site });
    // A request with no Origin is not refused by the allowed origins; the widget sees the new look at once.
    const widget = await session(x.publicKey);
    expect(widget.site).toMatchObject({ name: "Shop", look: { color: "#aa0000", language: "uk" }, prechat: { topics: ["Billing"] } });
    // Back to any origin, so the rest of the run's visitors are welcome.
    expect((await patch(admin, x.siteId, { allowedOrigins: [] })).status).toBe(200);
    await startVisitor(x.publicKey);
  });

  it("refuses bad input with a 400 and changes nothing", async () => {
    const before = await (await owner.request(`/api/ops/settings/sites/${x.siteId}`)).json();
    for (const body of [
      {},
      { name: "" },
      { allowedOrigins: ["shop.example"] },
      { allowedOrigins: ["https://shop.example/path"] },
      { allowedOrigins: ["https://shop.example?x=1"] },
      { allowedOrigins: ["ftp://shop.example"] },
      { allowedOrigins: ["https://user@shop.example"] },
      { allowedOrigins: "https://shop.example" },
      { look: { color: "red" } },
      { look: { position: "top" } },
      { look: { logoUrl: "http://insecure.example/logo.png" } },
      { look: { language: "de" } },
      { workingHours: { timeZone: "Mars/Olympus", days: {} } },
      { workingHours: { timeZone: "UTC", days: { mon: [["18:00", "09:00"]] } } },
      { prechatForm: { fields: [{ name: "email", required: true }, { name: "email", required: false }] } },
      { prechatForm: { fields: [{ name: "age", required: true }] } },
      { reopenMinutes: -1 },
      { reopenMinutes: 1.5 },
      { reopenMinutes: "15" },
    ]) {
      const response = await patch(admin, x.siteId, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
    const broken = await admin.request(`/api/ops/settings/sites/${x.siteId}`, { method: "PATCH", body: "{nope" });
    expect(broken.status).toBe(400);
    expect(await (await owner.request(`/api/ops/settings/sites/${x.siteId}`)).json()).toEqual(before);
  });

  it("answers 404 for another workspace's site, and for no site at all", async () => {
    expect((await stranger.request(`/api/ops/settings/sites/${x.siteId}`)).status).toBe(404);
    const response = await patch(stranger, x.siteId, { name: "Stolen" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    expect((await patch(owner, y.siteId, { name: "Stolen" })).status).toBe(404);
    expect((await patch(owner, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { name: "None" })).status).toBe(404);
    const mine = (await (await stranger.request(`/api/ops/settings/sites`)).json()) as { sites: any[] };
    expect(mine.sites.map((s) => s.id)).toEqual([y.siteId]);
    expect((await session(y.publicKey)).site.name).not.toBe("Stolen");
  });
});
