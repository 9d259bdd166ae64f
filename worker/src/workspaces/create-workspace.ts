import { newId } from "@tandem/protocol";
import { hashPassword } from "../auth/password";
import { randomToken } from "../auth/crypto";
import type { Db } from "../db/client";
import { memberships, operators, sites, workspaces } from "../db/schema";

export type NewWorkspace = {
  name: string;
  owner: { email: string; name: string; password: string };
  site: {
    name: string;
    publicKey?: string;
    /** Empty allows any origin (S3). */
    allowedOrigins?: string[];
    /** Signs identify calls (W15); random unless given (the local demo's is fixed and public). */
    identitySecret?: string;
  };
};

/** A tenant with its owner and first site, written in one transaction. */
export async function createWorkspace(db: Db, input: NewWorkspace) {
  const now = Date.now();
  const workspaceId = newId(now);
  const ownerId = newId(now);
  const siteId = newId(now);
  const publicKey = input.site.publicKey ?? `site_${randomToken(12)}`;
  await db.batch([
    db.insert(workspaces).values({ id: workspaceId, name: input.name, createdAt: now }),
    db.insert(operators).values({
      id: ownerId,
      email: input.owner.email.trim().toLowerCase(),
      name: input.owner.name,
      passwordHash: await hashPassword(input.owner.password),
      createdAt: now,
    }),
    db.insert(memberships).values({ workspaceId, operatorId: ownerId, role: "owner", createdAt: now }),
    db.insert(sites).values({
      id: siteId,
      workspaceId,
      name: input.site.name,
      publicKey,
      identitySecret: input.site.identitySecret ?? randomToken(32),
      allowedOrigins: input.site.allowedOrigins ?? [],
      createdAt: now,
    }),
  ]);
  return { workspaceId, ownerId, siteId, publicKey };
}

/** Adds an operator to a workspace. */
export async function addOperator(
  db: Db,
  workspaceId: string,
  input: { email: string; name: string; password: string; role?: "admin" | "supervisor" | "operator" },
) {
  const now = Date.now();
  const id = newId(now);
  await db.batch([
    db.insert(operators).values({
      id,
      email: input.email.trim().toLowerCase(),
      name: input.name,
      passwordHash: await hashPassword(input.password),
      createdAt: now,
    }),
    db.insert(memberships).values({ workspaceId, operatorId: id, role: input.role ?? "operator", createdAt: now }),
  ]);
  return { id };
}
