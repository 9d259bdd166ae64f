import { describe, expect, it } from "vitest";
import { hmacSha256, toBase64Url } from "./crypto";
import { signVisitorToken, verifyVisitorToken, VISITOR_TOKEN_TTL_MS } from "./visitor-token";

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

  it("expire the TTL after they were signed", async () => {
    const signedAt = Date.UTC(2026, 0, 1);
    const token = await signVisitorToken("s3cret", visitor, signedAt);
    expect(await verifyVisitorToken("s3cret", token, signedAt + VISITOR_TOKEN_TTL_MS - 1)).toEqual({ kind: "visitor", ...visitor });
    expect(await verifyVisitorToken("s3cret", token, signedAt + VISITOR_TOKEN_TTL_MS)).toBeNull();
  });

  it("fail without a signing time", async () => {
    // Signed, but with no iat: nothing says when it expires.
    const body = Buffer.from(JSON.stringify({ v: "01V", w: "01W", s: "01S", c: "01C" })).toString("base64url");
    const token = `${body}.${toBase64Url(await hmacSha256("s3cret", body))}`;
    expect(await verifyVisitorToken("s3cret", token)).toBeNull();
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
