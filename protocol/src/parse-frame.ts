import * as v from "valibot";
import { ClientMsgId } from "./message";
import { wellFormed } from "./well-formed";

export type FrameRefusal = {
  ok: false;
  message: string;
  /** The refused frame's own clientMsgId, when it had a valid one: its sender can tell which message failed. */
  clientMsgId?: string;
};

/**
 * The longest frame a client may send, in characters: a send of the longest
 * body, escaped, fits many times over. A room refuses more before parsing it.
 */
export const MAX_CLIENT_FRAME = 32 * 1024;

/**
 * Reads a WebSocket frame as JSON and checks it against `schema`. A refusal
 * comes with a message that names the field, for an error frame or a log.
 * Rooms pass `maxLength` (MAX_CLIENT_FRAME) for what clients send.
 */
export function parseFrame<S extends v.GenericSchema>(
  schema: S,
  raw: unknown,
  maxLength = Infinity,
): { ok: true; frame: v.InferOutput<S> } | FrameRefusal {
  if (typeof raw !== "string") return { ok: false, message: "frames must be JSON text" };
  if (raw.length > maxLength) return { ok: false, message: `frame is longer than ${maxLength} characters` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, message: "frame is not valid JSON" };
  }
  const result = v.safeParse(wellFormed(schema), data);
  if (result.success) return { ok: true, frame: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => p.key).join(".");
  const id = (data as { clientMsgId?: unknown } | null)?.clientMsgId;
  return { ok: false, message: path ? `${path}: ${issue.message}` : issue.message, ...(v.is(ClientMsgId, id) ? { clientMsgId: id } : {}) };
}
