import { newId } from "@tandem/protocol";
import type { Actor } from "../auth/actor";
import { appendStep, type PendingMarks } from "../conversations/append-message";
import type { ConversationRecord } from "../conversations/load-conversation";
import { escalateStep } from "../conversations/transitions";
import type { Db } from "../db/client";
import { commit } from "../db/commit";
import { collectedStep, offlineContactStep, readContact, turnStep } from "./bot-store";
import type { Action } from "./engine";
import type { Lang } from "./matcher";

/**
 * Commits a bot's turn in one write request (DESIGN's write budget): its
 * state and what it could not answer, a field it collected, its words, and,
 * when it hands over, the escalation. Nobody hears of any of it before the
 * commit; then the room broadcasts the message and, if the hand-over
 * happened, the new state.
 */
export async function commitTurn(
  db: Db,
  record: ConversationRecord,
  turn: Action,
  question: { text: string; seq: number; lang: Lang } | null,
  marks?: PendingMarks,
) {
  const collected = turn.kind === "reply" ? turn.collected : undefined;
  const offline = turn.kind === "escalate" ? turn.offline : undefined;
  const contact = collected || offline ? await readContact(db, record) : null;
  const system: Actor = { kind: "system", id: null, workspaceId: record.workspaceId };
  const buttons = turn.kind === "reply" && turn.buttons?.length ? turn.buttons : undefined;
  const [, , stored, escalated] = await commit(
    db,
    turnStep(db, record, turn, question),
    contact && collected ? collectedStep(db, record, contact.id, collected) : contact && offline ? offlineContactStep(db, record, contact.id, offline) : { statements: [], read: () => undefined },
    appendStep(db, { conversationId: record.id, workspaceId: record.workspaceId, clientMsgId: newId(), authorKind: "bot", authorId: null, body: turn.body, buttons, marks }),
    turn.kind === "escalate" ? escalateStep(db, record, system, turn.reason) : { statements: [], read: () => false },
  );
  return { ...stored, escalated };
}
