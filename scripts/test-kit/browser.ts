import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../chromium";

/** Debian's Chromium, headless; Playwright gives it a fresh temporary profile. Never a downloaded browser. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Where screenshots of a run go, for a person to look at (gitignored). */
export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results", "screenshots");
