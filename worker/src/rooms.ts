import type { Env } from "./env";
import type { KickReason } from "./embeddings/embedder";

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

/** The embedder of one workspace (its phrasing vectors). */
export function embedderOf(env: Env, workspaceId: string) {
  return env.Embedder.get(env.Embedder.idFromName(workspaceId));
}

/**
 * Tells a workspace's embedder to look for work (`reason`: embeddings/embedder.ts). Never fails its caller: a
 * kick lost here is made again by the next change, the settings page, or
 * the bot noticing its vectors are behind.
 */
export async function kickEmbedder(env: Env, workspaceId: string, reason: KickReason = "change"): Promise<void> {
  try {
    await embedderOf(env, workspaceId).kick(workspaceId, reason);
  } catch (error) {
    console.warn(`embedder not kicked: ${String(error)}`);
  }
}
