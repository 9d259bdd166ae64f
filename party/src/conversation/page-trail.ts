import type { ConversationRecord } from "../../../worker/src/conversations/load-conversation";
import { recordPageView } from "../../../worker/src/conversations/page-views";
import type { Room } from "./room";

/** Stores the customer's current page, unless it repeats the last one, and shows it to operators. */
export async function storePage(room: Room, record: ConversationRecord, visitorId: string, url: string, title: string | null) {
  const view = await recordPageView(room.db, {
    workspaceId: record.workspaceId,
    visitorId,
    conversationId: record.id,
    url,
    title,
  });
  if (view) room.broadcast({ type: "page", ...view }, undefined, "operator");
}
