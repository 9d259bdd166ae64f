// Schemas for the team API (D1): invites, operators, groups, passwords.
import * as v from "valibot";

export const OPERATOR_ROLES = ["owner", "admin", "supervisor", "operator"] as const;
export const OperatorRole = v.picklist(OPERATOR_ROLES, "role must be owner, admin, supervisor or operator");
export type OperatorRole = v.InferOutput<typeof OperatorRole>;

export const GROUP_ROUTING_MODES = ["manual", "least_busy", "round_robin"] as const;
export const GroupRoutingMode = v.picklist(GROUP_ROUTING_MODES, "routing mode must be manual, least_busy or round_robin");

const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email("email is not valid"));
const PersonName = v.pipe(v.string(), v.trim(), v.minLength(1, "name is empty"), v.maxLength(200));
const Id = v.pipe(v.string(), v.regex(/^[0-9A-Z]{26}$/, "id is not valid"));
/** A new password: long enough to resist guessing, short enough to hash quickly. */
export const NewPassword = v.pipe(
  v.string(),
  v.minLength(10, "password must have at least 10 characters"),
  v.maxLength(1024, "password is too long"),
);

export const InviteBody = v.object({
  email: Email,
  name: PersonName,
  role: OperatorRole,
  groupIds: v.optional(v.pipe(v.array(Id), v.maxLength(20, "at most 20 groups")), []),
});

export const AcceptInviteBody = v.object({ password: NewPassword });

export const OperatorChangeBody = v.pipe(
  v.object({
    role: v.optional(OperatorRole),
    maxChats: v.optional(v.pipe(v.number(), v.integer("maxChats must be a whole number"), v.minValue(0), v.maxValue(100))),
  }),
  v.check((body) => body.role !== undefined || body.maxChats !== undefined, "give a role or maxChats"),
);

const GroupName = v.pipe(v.string(), v.trim(), v.minLength(1, "name is empty"), v.maxLength(100));

export const GroupBody = v.object({
  name: GroupName,
  routingMode: v.optional(GroupRoutingMode, "manual"),
  returnOnOffline: v.optional(v.boolean(), true),
});

export const GroupChangeBody = v.pipe(
  v.object({ name: v.optional(GroupName), routingMode: v.optional(GroupRoutingMode), returnOnOffline: v.optional(v.boolean()) }),
  v.check((body) => Object.values(body).some((value) => value !== undefined), "give a name, routingMode or returnOnOffline"),
);

export const DefaultGroupBody = v.object({ groupId: v.nullable(Id) });

export const PasswordChangeBody = v.object({
  current: v.pipe(v.string(), v.minLength(1, "current password is required"), v.maxLength(1024)),
  next: NewPassword,
});

/** One operator of the workspace, as the Operators tab and the transfer pickers show them. */
export type TeamMember = {
  id: string;
  name: string;
  email: string;
  role: OperatorRole;
  presence: "online" | "away" | "offline";
  maxChats: number;
  groupIds: string[];
  deactivated: boolean;
};

export type TeamGroup = {
  id: string;
  name: string;
  routingMode: (typeof GROUP_ROUTING_MODES)[number];
  returnOnOffline: boolean;
  memberIds: string[];
};

export type PendingInvite = { id: string; email: string; name: string; role: OperatorRole; createdAt: number; expiresAt: number };
