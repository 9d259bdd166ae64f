/** Who is asking: resolved once at the edge (API middleware or room connect), then passed along. */
export type VisitorActor = {
  kind: "visitor";
  id: string;
  workspaceId: string;
  siteId: string;
  contactId: string;
};

export type OperatorActor = {
  kind: "operator";
  id: string;
  workspaceId: string;
  name: string;
  role: "owner" | "admin" | "supervisor" | "operator";
  sessionId: string;
};

export type SystemActor = { kind: "system"; id: null; workspaceId: string };

export type Actor = VisitorActor | OperatorActor | SystemActor;

/** The header the Worker sets on a room connection after authenticating it; clients cannot set it. */
export const ACTOR_HEADER = "x-tandem-actor";

export function encodeActor(actor: Actor): string {
  return encodeURIComponent(JSON.stringify(actor));
}

export function decodeActor(header: string | null): Actor | null {
  if (!header) return null;
  try {
    const actor = JSON.parse(decodeURIComponent(header)) as Actor;
    return actor && typeof actor.workspaceId === "string" ? actor : null;
  } catch {
    return null;
  }
}
