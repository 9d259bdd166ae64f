import { describe, expect, it } from "vitest";
import { DASHBOARD_BUDGET, dashboardSize } from "../scripts/dashboard-size";

// The production build `npm test` made before this run: what an operator's browser downloads.
describe("dashboard size budget (gzip)", () => {
  it("keeps all of the dashboard's own JS and CSS together within 60 KB", () => {
    const size = dashboardSize();
    expect(Object.keys(size.files)).toEqual(expect.arrayContaining(["app.js", "app.css"]));
    expect(size.files["app.js"]).toBeGreaterThan(5_000);
    expect(size.total).toBeLessThanOrEqual(DASHBOARD_BUDGET);
  });
});
