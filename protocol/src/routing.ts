// Schemas for the routing API (issue 4: D2, D3, D7, D8, D11).
import * as v from "valibot";
import { ConversationSummary } from "./conversation";

export const PRESENCES = ["online", "away", "offline"] as const;
export const Presence = v.picklist(PRESENCES, "presence must be online, away or offline");
export type Presence = v.InferOutput<typeof Presence>;

const Id = v.pipe(v.string(), v.regex(/^[0-9A-Z]{26}$/, "id is not valid"));

export const PresenceBody = v.object({ presence: Presence });

/** Hand a conversation to one operator or to a group's queue, with a note only operators see. */
export const TransferBody = v.pipe(
  v.object({
    groupId: v.optional(Id),
    operatorId: v.optional(Id),
    note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000, "note is longer than 2000 characters"))),
  }),
  v.check((body) => (body.groupId === undefined) !== (body.operatorId === undefined), "give either groupId or operatorId"),
);
export type TransferBody = v.InferOutput<typeof TransferBody>;

/** One operator as routing sees them: presence and load (open assigned chats of max). */
export const OperatorLoad = v.object({
  id: v.string(),
  name: v.string(),
  role: v.string(),
  presence: Presence,
  presenceAt: v.nullable(v.number()),
  load: v.number(),
  maxChats: v.number(),
  groupIds: v.array(v.string()),
});
export type OperatorLoad = v.InferOutput<typeof OperatorLoad>;

export const GroupInfo = v.object({ id: v.string(), name: v.string(), routingMode: v.string() });
export type GroupInfo = v.InferOutput<typeof GroupInfo>;

/** Who a conversation can go to: GET /api/ops/routing/targets. */
export const RoutingTargets = v.object({ groups: v.array(GroupInfo), operators: v.array(OperatorLoad) });
export type RoutingTargets = v.InferOutput<typeof RoutingTargets>;

/** The supervisor's view (D11): every live conversation with its group, and every operator's presence and load. */
export const RoutingOverview = v.object({
  groups: v.array(GroupInfo),
  operators: v.array(OperatorLoad),
  conversations: v.array(ConversationSummary),
});
export type RoutingOverview = v.InferOutput<typeof RoutingOverview>;

/** Why a conversation is where it is: the latest routing decision. */
export const RoutingDecision = v.object({
  reason: v.string(),
  operatorId: v.nullable(v.string()),
  groupId: v.nullable(v.string()),
  at: v.number(),
});
export type RoutingDecision = v.InferOutput<typeof RoutingDecision>;
