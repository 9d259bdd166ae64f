import { beforeAll, describe, expect, it } from "vitest";
import { seedConversations } from "../../../scripts/bench/dashboard-seed";
import { createTenant, database, signIn, type Operator, type Tenant } from "../../../scripts/test-kit/clients";
import { searchConversations } from "../search/search-conversations";

// A9: a search for "%00%00" matched every conversation. SQLite reads a LIKE
// pattern as a C string, so a NUL ends it: '%<NUL><NUL>%' is read as '%'.

let x: Tenant;
let agent: Operator;

beforeAll(async () => {
  x = await createTenant("Search NUL");
  agent = await signIn(x.agent.email, x.agent.password);
  await seedConversations(database(), x.workspaceId, x.siteId, [
    { name: "Sam Stone", messages: ["Where is my parcel?"] },
    { name: "Ada Byron", messages: ["Can I pay by card?"] },
  ]);
});

const search = (q: string) => agent.request(`/api/ops/search?q=${encodeURIComponent(q)}`);

describe("search and control characters", () => {
  it("refuses a query with NUL or another control character, with a message", async () => {
    for (const q of ["\u0000\u0000", "parcel\u0000", "\u0000parcel", "pa\u0001rcel", "card\u001b", "card\u007f", "card\u0085"]) {
      const response = await search(q);
      expect(response.status, JSON.stringify(q)).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: "invalid_request", message: "q: control characters (such as NUL) cannot be searched for" },
      });
    }
  });

  it("still finds what was typed", async () => {
    const response = await search("parcel");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: { customer: string }[] }).results.map((r) => r.customer)).toEqual(["Sam Stone"]);
  });

  it("never widens a search that reaches the database with a NUL in it", async () => {
    expect(await searchConversations(database(), x.workspaceId, "\u0000\u0000")).toEqual([]);
    expect(await searchConversations(database(), x.workspaceId, "parcel\u0000")).toEqual([]);
  });
});
