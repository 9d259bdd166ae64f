import { describe, expect, it } from "vitest";
import { BUDGET, widgetSize } from "../scripts/size";

// The production build `npm test` made before this run: the files a customer's browser downloads.
describe("widget size budgets (gzip, file by file)", () => {
  const size = widgetSize();

  it("keeps the loader, the file every page view costs, within 1 KB", () => {
    expect(size.loader).toBeGreaterThan(0);
    expect(size.loader).toBeLessThanOrEqual(BUDGET.loader);
  });

  it("keeps all of the widget's JS and CSS together within 20 KB", () => {
    expect(Object.keys(size.files)).toContain("app.js");
    expect(size.total).toBeLessThanOrEqual(BUDGET.total);
  });

  it("fetches under 14 KB to open the panel the first time", () => {
    expect(size.firstOpen).toBeGreaterThan(size.loader);
    expect(size.firstOpen).toBeLessThan(BUDGET.firstOpen);
  });
});
