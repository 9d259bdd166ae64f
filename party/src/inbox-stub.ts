import type { Env } from "../../worker/src/env";

/** The Inbox room of a workspace, for RPC. Its methods need no onStart, so no setName round trip. */
export function inboxOf(env: Env, workspaceId: string) {
  return env.Inbox.get(env.Inbox.idFromName(workspaceId));
}
