import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIST } from "../scripts/build";
import { ANALYTICS_BUDGET, DASHBOARD_BUDGET, dashboardSize } from "../scripts/dashboard-size";

// The production build `npm test` made before this run: what an operator's browser downloads.
const read = (name: string) => readFileSync(join(process.env.TANDEM_DIST ?? DIST, "dashboard", name), "utf8");

describe("dashboard size budget (gzip)", () => {
  it("keeps the first load (app.js, its static imports, app.css) within 60 KB", () => {
    const size = dashboardSize();
    expect(size.firstLoad).toEqual(expect.arrayContaining(["app.js", "app.css"]));
    expect(size.files["app.js"]).toBeGreaterThan(5_000);
    expect(size.firstLoadTotal).toBeLessThanOrEqual(DASHBOARD_BUDGET);
  });

  it("keeps the Analytics chunks and their stylesheet within their own budget", () => {
    const size = dashboardSize();
    expect(size.analytics).toContain("analytics.css");
    expect(size.analytics.some((name) => /^analytics-view-\w+\.js$/.test(name))).toBe(true);
    expect(size.analyticsTotal).toBeGreaterThan(5_000);
    expect(size.analyticsTotal).toBeLessThanOrEqual(ANALYTICS_BUDGET);
  });

  it("loads no analytics code or style on the first load", () => {
    const size = dashboardSize();
    // Words only the Analytics section has: a metric's definition, its charts' and drill-down's class names.
    const markers = ["Wilson lower bound", "an-drill", "series-menu", "heat-cell"];
    const first = size.firstLoad.map(read).join("\n");
    const lazy = size.analytics.map(read).join("\n");
    for (const marker of markers) {
      expect(lazy).toContain(marker);
      expect(first).not.toContain(marker);
    }
    expect(read("app.css")).not.toContain(".an-card");
    expect(read("analytics.css")).toContain(".an-card");
  });
});
