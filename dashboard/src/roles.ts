/** What each role may do in the dashboard; the server enforces the same rules on every route and room. */
const RANK = { operator: 0, supervisor: 1, admin: 2, owner: 3 } as const;

const NEEDS = {
  /** See every live conversation, join any, reassign. */
  supervise: "supervisor",
  /** Sites, operators, groups, workspace-wide canned replies and tags. */
  administer: "admin",
} as const;

export function can(role: string, action: keyof typeof NEEDS): boolean {
  return (RANK[role as keyof typeof RANK] ?? -1) >= RANK[NEEDS[action]];
}
