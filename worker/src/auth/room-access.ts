import { CloseCode, type ErrorCode } from "@tandem/protocol";
import { and, eq } from "drizzle-orm";
import { parse } from "hono/utils/cookie";
import type { Lobby } from "partyserver";
import { createDb } from "../db/client";
import { conversations } from "../db/schema";
import type { Env } from "../env";
import { refuseOrigin } from "../sites/allowed-origins";
import { ACTOR_HEADER, encodeActor, type Actor } from "./actor";
import { isSameOrigin } from "./operator";
import { readSession, SESSION_COOKIE } from "./session";
import { loadVisitor } from "./visitor";
import { verifyVisitorToken } from "./visitor-token";

/**
 * Decides who may open a room, before the room hears of it. A visitor (token
 * in `?token=`) reaches only their own conversations; an operator (session
 * cookie, same origin) only their workspace's conversations and its Inbox.
 * A visitor's page must be on one of the site's allowed origins (S3).
 * The room gets the answer in a header no client can set.
 */
export async function authorizeRoomConnection(request: Request, lobby: Lobby<Env>, env: Env): Promise<Request | Response> {
  const actor = await identify(request, env);
  if ("refuse" in actor) return refuse(actor.refuse, actor.message);
  const db = createDb(env);

  if (lobby.className === "Inbox") {
    if (actor.kind !== "operator") return refuse("forbidden", "only operators may open an inbox");
    if (actor.workspaceId !== lobby.name) return refuse("forbidden", "not an operator of this workspace");
  } else if (lobby.className === "Conversation") {
    const [conversation] = await db
      .select({ workspaceId: conversations.workspaceId, visitorId: conversations.visitorId })
      .from(conversations)
      .where(and(eq(conversations.id, lobby.name), eq(conversations.workspaceId, actor.workspaceId)))
      .limit(1);
    // A foreign workspace's conversation answers exactly like a missing one.
    if (!conversation) return refuse("not_found", "no such conversation");
    if (actor.kind === "visitor" && conversation.visitorId !== actor.id) {
      return refuse("not_found", "no such conversation");
    }
  } else {
    return refuse("not_found", "no such room");
  }

  const forwarded = new Request(request);
  forwarded.headers.set(ACTOR_HEADER, encodeActor(actor));
  return forwarded;
}

async function identify(request: Request, env: Env): Promise<Actor | { refuse: ErrorCode; message: string }> {
  const token = new URL(request.url).searchParams.get("token");
  if (token) {
    const signed = await verifyVisitorToken(env.TANDEM_SECRET, token);
    const loaded = signed && (await loadVisitor(createDb(env), signed));
    if (!loaded) return { refuse: "unauthenticated", message: "visitor token is not valid, has expired or was signed out" };
    const refusal = refuseOrigin(loaded.allowedOrigins, request.headers.get("origin"));
    return refusal ? { refuse: "forbidden", message: refusal } : loaded.visitor;
  }
  const cookie = parse(request.headers.get("cookie") ?? "", SESSION_COOKIE)[SESSION_COOKIE];
  if (!cookie) return { refuse: "unauthenticated", message: "sign in or pass a visitor token" };
  if (!isSameOrigin(request)) return { refuse: "forbidden", message: "cross-origin operator connections are refused" };
  const operator = await readSession(createDb(env), cookie);
  return operator ?? { refuse: "unauthenticated", message: "session is not valid" };
}

/**
 * Accepts the upgrade only to say no: an error frame, then a 44xx close. A
 * browser shows neither the status nor the body of a refused upgrade, and a
 * reconnecting client could not tell "go away" from "try again".
 */
export function refuse(code: ErrorCode, message: string): Response {
  const closeCode = {
    unauthenticated: CloseCode.unauthenticated,
    forbidden: CloseCode.forbidden,
    not_found: CloseCode.notFound,
  }[code as "unauthenticated" | "forbidden" | "not_found"] ?? CloseCode.forbidden;
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.send(JSON.stringify({ type: "error", code, message }));
  // A close reason may hold 123 bytes at most; the error frame has the whole message.
  server.close(closeCode, truncateUtf8(message, 123));
  return new Response(null, { status: 101, webSocket: client });
}

function truncateUtf8(text: string, bytes: number): string {
  const encoded = new TextEncoder().encode(text);
  if (encoded.length <= bytes) return text;
  // Cut back to a character boundary: never leave half a multi-byte character.
  let end = bytes;
  while (end > 0 && (encoded[end] & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(encoded.slice(0, end));
}
