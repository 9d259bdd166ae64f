/** How often one place may write a line; the rest are counted into its next line. */
const EVERY_MS = 1000;

const places = new Map<string, { at: number; skipped: number }>();

/**
 * `console.error`, at most once a second for each place in the code. When
 * libSQL is down or overloaded every room's every task fails at once: a line
 * (with its stack) for each would be thousands a second, and the logging
 * itself becomes load. Under `wrangler dev` each line is also a request from
 * the dev proxy to wrangler's Node process; a storm of them used up the
 * proxy's 20,000 file descriptors and stopped the local stack. `place` is a
 * fixed label, so the map stays as small as the code.
 */
export function logError(place: string, error: unknown, detail?: string) {
  const now = Date.now();
  const last = places.get(place);
  if (last && now - last.at < EVERY_MS) {
    last.skipped++;
    return;
  }
  places.set(place, { at: now, skipped: 0 });
  const more = last?.skipped ? ` (and ${last.skipped} more since the line before)` : "";
  console.error(`${place}${detail ? ` ${detail}` : ""}${more}:`, error);
}
