import { newId } from "@tandem/protocol";
import { appendMessage, type NewMessage, type PendingMarks } from "../../../worker/src/conversations/append-message";
import { greet } from "./bot-voice";
import type { Room } from "./room";

/** A system line in the conversation ("… joined", "closed"); someone joining is greeted by the bot. */
export async function appendSystem(room: Room, event: string, body: string, name: string | null) {
  await appendSystemOnly(room, event, body, name);
  if (event === "joined" && name) await greet(room, name);
}

async function appendSystemOnly(room: Room, event: string, body: string, name: string | null) {
  const record = room.record!;
  const input: NewMessage & { marks?: PendingMarks } = {
    conversationId: record.id,
    workspaceId: record.workspaceId,
    clientMsgId: newId(),
    authorKind: "system",
    authorId: null,
    authorName: name,
    body,
    kind: "system",
    event,
    marks: room.marks.take(),
  };
  room.broadcastMessage((await appendMessage(room.db, input)).message);
}
