// Who may act on a conversation. The rooms enforce these rules; the
// dashboard reads the same ones to offer only what the server will take.
import type { ConversationState } from "./conversation";
import type { OperatorRole } from "./team";

const RANK: Record<OperatorRole, number> = { operator: 0, supervisor: 1, admin: 2, owner: 3 };

/** Owner ⊇ admin ⊇ supervisor ⊇ operator: each role may do what the ones below it may. */
export function hasRole(who: { role: OperatorRole }, least: OperatorRole): boolean {
  return RANK[who.role] >= RANK[least];
}

type Operator = { id: string; role: OperatorRole };
type Where = Pick<ConversationState, "status" | "assignee">;

/** Someone else's: assigned (or, once closed, last assigned) to another operator. */
function someoneElses(who: Operator, where: Where): string | null {
  const assignee = where.assignee;
  if (!assignee || assignee.id === who.id || hasRole(who, "supervisor")) return null;
  return assignee.name || "another operator";
}

/**
 * Why this operator may not write to the customer here, or null if they
 * may. Anyone may answer a conversation waiting in the queue or with the
 * bot (and so takes it); an assigned one is its operator's, and a
 * supervisor's to join.
 */
export function replyRefusal(who: Operator, where: Where): string | null {
  if (where.status === "closed") return "This conversation is closed. Replies are off.";
  const owner = where.status === "assigned" ? someoneElses(who, where) : null;
  return owner && `${owner} has this conversation: only they or a supervisor can reply. Ask them or a supervisor for a transfer.`;
}

/** Why this operator may not close the conversation, or null: someone else's needs a supervisor. */
export function closeRefusal(who: Operator, where: Where): string | null {
  if (where.status === "closed") return "The conversation is already closed.";
  const owner = where.status === "assigned" ? someoneElses(who, where) : null;
  return owner && `${owner} has this conversation: closing it needs the supervisor role or higher.`;
}

/** Why this operator may not reopen it, or null: one that was someone else's needs a supervisor. */
export function reopenRefusal(who: Operator, where: Where): string | null {
  if (where.status !== "closed") return `The conversation is ${where.status}, not closed.`;
  const owner = someoneElses(who, where);
  return owner && `${owner} had this conversation: reopening it needs the supervisor role or higher.`;
}
