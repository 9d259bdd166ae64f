import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { fetchOutbound, OutboundUrlError, outboundPolicy, refuseOutboundUrl } from "./outbound-url";

// The one check of workspace-configured URLs (A8), as a pure function; the
// routes and the bot that use it are tested through the real stack in
// outbound-url-production.test.ts (production's rules) and routes/model-settings.test.ts.

const production = { allowLoopback: false };
const local = { allowLoopback: true };

describe("a workspace-configured URL in production", () => {
  it("may be https to a public host, by name or address, on any port", () => {
    for (const url of [
      "https://api.openai.com/v1",
      "https://llm.example.com:8443/v1/chat/completions",
      "https://8.8.8.8/v1",
      "https://172.32.0.1/",
      "https://100.128.0.1/",
      "https://[2606:4700:4700::1111]/v1",
      "https://API.Example.COM./v1",
    ]) {
      expect(refuseOutboundUrl(url, production), url).toBeNull();
    }
  });

  it("must be https", () => {
    expect(refuseOutboundUrl("http://api.openai.com/v1", production)).toBe("the URL must start with https://");
    expect(refuseOutboundUrl("ftp://api.openai.com/v1", production)).toBe("the URL must start with https://");
    expect(refuseOutboundUrl("not a url", production)).toBe("this is not a URL");
  });

  it("carries no user name or password", () => {
    expect(refuseOutboundUrl("https://user:secret@api.openai.com/v1", production)).toMatch(/must not carry a user name or password/);
    expect(refuseOutboundUrl("https://user@api.openai.com/v1", production)).toMatch(/must not carry a user name or password/);
  });

  it("never points at loopback, private, link-local, CGNAT, multicast or reserved IPv4, however it is spelled", () => {
    const cases: [string, string][] = [
      ["https://127.0.0.1/v1", "127.0.0.1 is a loopback address"],
      ["https://127.1/v1", "127.0.0.1 is a loopback address"],
      ["https://0x7f000001/v1", "127.0.0.1 is a loopback address"],
      ["https://2130706433/v1", "127.0.0.1 is a loopback address"],
      ["https://0177.0.0.1/v1", "127.0.0.1 is a loopback address"],
      ["https://0.0.0.0/v1", "0.0.0.0 is a reserved address"],
      ["https://10.1.2.3/v1", "10.1.2.3 is a private address"],
      ["https://172.16.0.1/v1", "172.16.0.1 is a private address"],
      ["https://172.31.255.255/v1", "172.31.255.255 is a private address"],
      ["https://192.168.1.1/v1", "192.168.1.1 is a private address"],
      ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"],
      ["https://100.64.0.1/v1", "100.64.0.1 is a shared (carrier-grade NAT) address"],
      ["https://100.127.255.254/v1", "100.127.255.254 is a shared (carrier-grade NAT) address"],
      ["https://224.0.0.1/v1", "224.0.0.1 is a multicast address"],
      ["https://240.0.0.1/v1", "240.0.0.1 is a reserved address"],
      ["https://255.255.255.255/v1", "255.255.255.255 is a reserved address"],
      ["https://192.0.2.10/v1", "192.0.2.10 is a documentation address"],
      ["https://198.18.0.1/v1", "198.18.0.1 is a benchmarking address"],
    ];
    for (const [url, start] of cases) expect(refuseOutboundUrl(url, production), url).toBe(`${start}; the URL must point at a public host`);
  });

  it("never points at loopback, mapped, unique-local, link-local, multicast or reserved IPv6", () => {
    const cases: [string, string][] = [
      ["https://[::1]/v1", "a loopback"],
      ["https://[0:0:0:0:0:0:0:1]/v1", "a loopback"],
      ["https://[::]/v1", "a reserved"],
      ["https://[::ffff:127.0.0.1]/v1", "an IPv4-mapped"],
      ["https://[::ffff:8.8.8.8]/v1", "an IPv4-mapped"],
      ["https://[::127.0.0.1]/v1", "a reserved"],
      ["https://[64:ff9b::7f00:1]/v1", "a reserved"],
      ["https://[fd00::1]/v1", "a unique-local"],
      ["https://[fc12:3456::1]/v1", "a unique-local"],
      ["https://[fe80::1]/v1", "a link-local"],
      ["https://[ff02::1]/v1", "a multicast"],
      ["https://[2001:db8::1]/v1", "a documentation"],
      ["https://[2001::1]/v1", "a reserved"],
      ["https://[2002:7f00:1::1]/v1", "a 6to4"],
    ];
    for (const [url, kind] of cases) expect(refuseOutboundUrl(url, production), url).toMatch(new RegExp(`^\\[[0-9a-f:.]+\\] is ${kind} address; `));
  });

  it("never names a host on the local network", () => {
    for (const host of ["localhost", "LOCALHOST.", "api.localhost", "printer.local", "metadata.google.internal", "router.home.arpa", "nas.lan", "intranet"]) {
      expect(refuseOutboundUrl(`https://${host}/v1`, production), host).toMatch(/is a local network name; the URL must point at a public host$/);
    }
  });
});

describe("a workspace-configured URL in local development and tests", () => {
  it("may also be loopback, over http", () => {
    for (const url of ["http://127.0.0.1:9/v1", "https://127.0.0.1/v1", "http://localhost:8080/v1", "http://api.localhost/v1", "http://[::1]:80/v1"]) {
      expect(refuseOutboundUrl(url, local), url).toBeNull();
    }
  });

  it("still refuses the rest", () => {
    expect(refuseOutboundUrl("http://10.0.0.1/v1", local)).toBe("the URL must start with https://");
    expect(refuseOutboundUrl("https://10.0.0.1/v1", local)).toMatch(/is a private address/);
    expect(refuseOutboundUrl("http://api.openai.com/v1", local)).toBe("the URL must start with https://");
    expect(refuseOutboundUrl("http://user:pw@127.0.0.1/v1", local)).toMatch(/user name or password/);
    expect(refuseOutboundUrl("https://[::ffff:127.0.0.1]/v1", local)).toMatch(/IPv4-mapped/);
  });

  it("is allowed only when the deployment says so", () => {
    expect(outboundPolicy({ ALLOW_LOOPBACK_URLS: "true" })).toEqual(local);
    expect(outboundPolicy({})).toEqual(production);
    expect(outboundPolicy({ ALLOW_LOOPBACK_URLS: "1" })).toEqual(production);
  });
});

describe("calling a workspace-configured URL", () => {
  it("refuses before any request, and does not follow a redirect", async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(request.url!);
      response.writeHead(307, { location: "http://10.0.0.1/v1/chat/completions" }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      await expect(fetchOutbound(url, { method: "POST", body: "{}" }, production)).rejects.toBeInstanceOf(OutboundUrlError);
      expect(seen).toEqual([]);
      const answer = await fetchOutbound(url, { method: "POST", body: "{}" }, local);
      expect(answer.status).toBe(307);
      expect(seen).toEqual(["/v1"]);
    } finally {
      server.close();
    }
  });
});
