import { describe, expect, it } from "vitest";
import { stack } from "../../../scripts/test-kit/clients";

// Security headers (A7) as wrangler dev really sends them: the dashboard's
// static files through the `_headers` file the build writes, the API's
// answers through the Worker's middleware. The browser half (a framed
// dashboard stays blank; the dashboard runs under its policy) is
// e2e/dashboard-framing.test.ts.

const get = (path: string, init: RequestInit = {}) => fetch(`${stack().url}${path}`, { redirect: "manual", ...init });

function expectNoFraming(response: Response) {
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
}

describe("the dashboard's pages", () => {
  it("carry a strict Content-Security-Policy: own scripts only, nothing may frame them", async () => {
    for (const path of ["/dashboard/", "/dashboard/app.js", "/dashboard/app.css"]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expectNoFraming(response);
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    }
  });

  it("send /dashboard on to /dashboard/, which carries the policy", async () => {
    const response = await get("/dashboard");
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    expect(new URL(response.headers.get("location")!, stack().url).pathname).toBe("/dashboard/");
  });
});

describe("the API's answers", () => {
  it("carry the headers on success, refusal, validation error and unknown route alike", async () => {
    const answers = [
      await get("/api/ops/me"),
      await get("/api/ops/login", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      await get("/api/no-such-thing"),
      await get("/api/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ siteKey: "nope" }) }),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 400, 404, 400]);
    for (const response of answers) {
      expectNoFraming(response);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    }
  });

  it("keep the widget API's CORS for customers' sites", async () => {
    const origin = "https://shop.example";
    const preflight = await get("/api/widget/session", {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    const answer = await get("/api/widget/session", { method: "POST", headers: { origin, "content-type": "application/json" }, body: "{}" });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
  });
});

describe("the widget's files", () => {
  it("stay loadable from any site: CORS for the modules, no framing or page policy of the dashboard's", async () => {
    const loader = await get("/widget/loader.js", { headers: { origin: "https://shop.example" } });
    expect(loader.status).toBe(200);
    expect(loader.headers.get("access-control-allow-origin")).toBe("*");
    expect(loader.headers.get("x-content-type-options")).toBe("nosniff");
    expect(loader.headers.get("content-security-policy")).toBeNull();
    expect(loader.headers.get("x-frame-options")).toBeNull();
  });
});
