import { getServerByName } from "partyserver";
import type { Env } from "./env";

/** The Conversation room of one conversation, for RPC from the API. */
export function conversationRoom(env: Env, conversationId: string) {
  return getServerByName(env.Conversation, conversationId);
}
