import * as v from "valibot";

/**
 * Reads a WebSocket frame as JSON and checks it against `schema`. A refusal
 * comes with a message that names the field, for an error frame or a log.
 */
export function parseFrame<S extends v.GenericSchema>(
  schema: S,
  raw: unknown,
): { ok: true; frame: v.InferOutput<S> } | { ok: false; message: string } {
  if (typeof raw !== "string") return { ok: false, message: "frames must be JSON text" };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, message: "frame is not valid JSON" };
  }
  const result = v.safeParse(schema, data);
  if (result.success) return { ok: true, frame: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => p.key).join(".");
  return { ok: false, message: path ? `${path}: ${issue.message}` : issue.message };
}
