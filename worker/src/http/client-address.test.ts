import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

const request = (headers: Record<string, string>) => new Request("http://127.0.0.1/api/widget/session", { headers });
const production = {};
const development = { TANDEM_ENV: "development" };
const tests = { TANDEM_ENV: "development", ADDRESS_HEADER: "x-test-address" };

describe("the client's address", () => {
  it("is Cloudflare's CF-Connecting-IP in production, 'unknown' without it", () => {
    expect(clientAddress(request({ "cf-connecting-ip": "203.0.113.7" }), production)).toBe("203.0.113.7");
    expect(clientAddress(request({ "cf-connecting-ip": " 203.0.113.7 " }), { TANDEM_ENV: "production" })).toBe("203.0.113.7");
    expect(clientAddress(request({}), production)).toBe("unknown");
    expect(clientAddress(request({ "cf-connecting-ip": "" }), production)).toBe("unknown");
  });

  it("counts an IPv6 client as its /64, however the address is written", () => {
    const prefix = "2001:db8:1:2::/64";
    for (const address of ["2001:db8:1:2::1", "2001:DB8:1:2:aaaa:bbbb:cccc:dddd", "2001:0db8:0001:0002:0:0:0:ff", "2001:db8:1:2::192.0.2.1"]) {
      expect(clientAddress(request({ "cf-connecting-ip": address }), production)).toBe(prefix);
    }
    expect(clientAddress(request({ "cf-connecting-ip": "2001:db8:1:3::1" }), production)).toBe("2001:db8:1:3::/64");
    expect(clientAddress(request({ "cf-connecting-ip": "2001:db8::1" }), production)).toBe("2001:db8:0:0::/64");
    expect(clientAddress(request({ "cf-connecting-ip": "::1" }), production)).toBe("0:0:0:0::/64");
  });

  it("reads an IPv4-mapped IPv6 address as the IPv4 one", () => {
    expect(clientAddress(request({ "cf-connecting-ip": "::ffff:203.0.113.7" }), production)).toBe("203.0.113.7");
    expect(clientAddress(request({ "cf-connecting-ip": "::ffff:cb00:7107" }), production)).toBe("203.0.113.7");
  });

  it("ignores the test header in production", () => {
    expect(clientAddress(request({ "x-test-address": "10.0.0.1", "cf-connecting-ip": "203.0.113.7" }), { ...tests, TANDEM_ENV: undefined })).toBe(
      "203.0.113.7",
    );
  });

  it("never trusts CF-Connecting-IP in development, where the client can send its own", () => {
    expect(clientAddress(request({ "cf-connecting-ip": "203.0.113.7" }), development)).toBe("local");
    expect(clientAddress(request({ "cf-connecting-ip": "203.0.113.7" }), tests)).toBe("local");
    expect(clientAddress(request({}), development)).toBe("local");
  });

  it("takes the named header in development, when the tests set one", () => {
    expect(clientAddress(request({ "x-test-address": "client-a" }), tests)).toBe("client-a");
    expect(clientAddress(request({ "x-test-address": "client-b", "cf-connecting-ip": "203.0.113.7" }), tests)).toBe("client-b");
    expect(clientAddress(request({ "x-test-address": "" }), tests)).toBe("local");
    expect(clientAddress(request({ "x-test-address": "client-a" }), development)).toBe("local");
  });
});
