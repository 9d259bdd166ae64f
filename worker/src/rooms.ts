import type { Env } from "./env";

// Room stubs for Durable Object RPC. Our rooms keep no onStart, so there is
// no need for partyserver's setName round trip (getServerByName) per call.

/** The room of one conversation. */
export function conversationRoom(env: Env, conversationId: string) {
  return env.Conversation.get(env.Conversation.idFromName(conversationId));
}

/** The Inbox room of one workspace. */
export function inboxRoom(env: Env, workspaceId: string) {
  return env.Inbox.get(env.Inbox.idFromName(workspaceId));
}
