import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../chromium";

/** Debian's Chromium, headless; Playwright gives it a fresh temporary profile. Never a downloaded browser. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Where screenshots of a run go, for a person to look at (gitignored). */
export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results", "screenshots");

/**
 * Options for a browser test file's describe blocks: a browser test that
 * fails once runs once more. A real browser on a busy 2-core machine can
 * lose a race no product code has (a click before a frame, a focus that
 * lands late); a real bug fails twice. The run's last line names every test
 * that needed the second try, so none goes unseen.
 */
export const BROWSER = { retry: 1 } as const;
