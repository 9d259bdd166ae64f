import type { ConversationState, Message, ServerFrame } from "@tandem/protocol";
import type { Actor } from "../../../worker/src/auth/actor";
import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import type { Db } from "../../../worker/src/db/client";
import type { Env } from "../../../worker/src/env";
import type { createIdleTimer } from "../idle-timer";
import type { createPendingMarks } from "../pending-marks";

export type Refusal = { ok: false; status: 400 | 403 | 404 | 409; code: string; message: string };

/** What the Worker's API gets back from a room call. */
export type RoomResult<T = { conversation: ConversationState }> = ({ ok: true } & T) | Refusal;

/** Where a transfer sends a conversation (checked by the API to be in the workspace). */
export type TransferTarget = { kind: "operator" | "group"; id: string; name: string };

export const SYSTEM = (workspaceId: string): Actor => ({ kind: "system", id: null, workspaceId });

/**
 * What the conversation's domain modules get of their room: its store, its
 * cached conversation, its sockets and its queue. They run inside the room's
 * task (its single sequencer), so what they read and write here is in order.
 */
export interface Room {
  readonly env: Env;
  readonly db: Db;
  /** The conversation's id. */
  readonly name: string;
  /** The conversation as this room last read it; undefined until read, and after a failed task. */
  readonly record: ConversationRecord | undefined;
  /** The highest seq this room has broadcast: a duplicate at or below it was told already. */
  readonly broadcastSeq: number | undefined;
  /** Closing after the customer's silence (see idle-timer.ts). */
  readonly idle: ReturnType<typeof createIdleTimer>;
  /** Read marks told to everyone and not stored yet (see pending-marks.ts). */
  readonly marks: ReturnType<typeof createPendingMarks>;
  /** Reads the conversation again into `record`. */
  reload(): Promise<ConversationRecord | undefined>;
  /** After a transition: reads it again, tells everyone here and the workspace's Inbox. */
  changed(): Promise<ConversationState>;
  /** A frame to every live connection here (but `except`, and only `only`'s kind when given). */
  broadcast(frame: ServerFrame, except?: string, only?: Actor["kind"]): void;
  /** A committed message to every live connection here (but `except`). */
  broadcastMessage(message: Message, except?: string): void;
  /** Runs work in the room's order, after what is queued now. */
  task<T>(work: () => Promise<T>): Promise<T>;
  /** Keeps the room alive until work outside its queue is done. */
  waitUntil(work: Promise<unknown>): void;
}
