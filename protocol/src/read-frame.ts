import type { ServerFrame } from "./frames";

export type FrameReading = { ok: true; frame: ServerFrame } | { ok: false; message: string };

/**
 * Reads a frame from Tandem's own server as JSON, without the schema check:
 * for the widget, which ships to every customer's browser and has a 20 KB
 * budget in which valibot would take 3 KB. The rooms build every frame from
 * the same `ServerFrame` type, and the dashboard and the tests check each one
 * against the schema (`parseServerFrame`), so a malformed frame is a bug they
 * catch. Anything that is not an object with a `type` is dropped.
 */
export function readServerFrame(raw: unknown): FrameReading {
  try {
    const frame = typeof raw === "string" && JSON.parse(raw);
    if (frame && typeof frame.type === "string") return { ok: true, frame };
  } catch {
    // Not JSON: dropped below.
  }
  return { ok: false, message: "not a frame" };
}
