import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFINITIONS } from "./analytics-definitions";

// A metric's definition is written once: the README quotes it word for word.
describe("analytics definitions", () => {
  const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

  it.each(Object.entries(DEFINITIONS))("%s is in the README as written", (key, text) => {
    expect(readme).toContain(`- **${key}** — ${text}`);
  });
});
