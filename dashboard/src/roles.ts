import { hasRole, type OperatorRole } from "@tandem/protocol";

/** What each role may do in the dashboard; the server enforces the same rules on every route and room. */
const NEEDS = {
  /** See every live conversation, join any, reassign. */
  supervise: "supervisor",
  /** Sites, operators, groups, workspace-wide canned replies and tags. */
  administer: "admin",
} as const;

export function can(role: OperatorRole, action: keyof typeof NEEDS): boolean {
  return hasRole({ role }, NEEDS[action]);
}
