import { describe, expect, it } from "vitest";
import { signVisitorToken, verifyVisitorToken } from "./visitor-token";

const visitor = { id: "01V", workspaceId: "01W", siteId: "01S", contactId: "01C" };

describe("visitor tokens", () => {
  it("verify with the secret that signed them", async () => {
    const token = await signVisitorToken("s3cret", visitor);
    expect(await verifyVisitorToken("s3cret", token)).toEqual({ kind: "visitor", ...visitor });
  });

  it("fail with another secret", async () => {
    const token = await signVisitorToken("s3cret", visitor);
    expect(await verifyVisitorToken("other", token)).toBeNull();
  });

  it("fail when the payload is changed", async () => {
    const token = await signVisitorToken("s3cret", visitor);
    const [body, signature] = token.split(".");
    const payload = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, w: "01X" })).toString("base64url");
    expect(await verifyVisitorToken("s3cret", `${forged}.${signature}`)).toBeNull();
  });

  it("never throw on garbage", async () => {
    const samples = ["", ".", "..", "a.b", "a.b.c", "garbage.token", "=.=", "é.ü", "a".repeat(5000)];
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(Math.random() * 80);
      samples.push(String.fromCharCode(...Array.from({ length }, () => 32 + Math.floor(Math.random() * 95))));
    }
    for (const sample of samples) expect(await verifyVisitorToken("s3cret", sample)).toBeNull();
  });
});
