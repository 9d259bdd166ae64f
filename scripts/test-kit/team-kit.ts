// Helpers for the team tests: operators of a chosen role, and raw requests.
import { newId } from "@tandem/protocol";
import { database, signIn, stack, type Tenant } from "./clients";
import { TEST_ADDRESS_HEADER } from "./test-address";
import { addOperator } from "../../worker/src/workspaces/create-workspace";

export const PASSWORD = "correct horse battery staple";

/** A new operator of `role` in the tenant's workspace, signed in. */
export async function member(tenant: Tenant, role: "admin" | "supervisor" | "operator", label: string = role) {
  const email = `${label}-${newId().toLowerCase()}@example.test`;
  await addOperator(database(), tenant.workspaceId, { email, name: `${label} ${id4()}`, password: PASSWORD, role });
  return { ...(await signIn(email, PASSWORD)), email };
}

const id4 = () => newId().slice(-4);

/** A request with no session, as a stranger's browser would send it; `address` is the client address the Worker sees. */
export function anonymous(path: string, init: RequestInit & { json?: unknown; address?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("origin", stack().url);
  if (init.address) headers.set(TEST_ADDRESS_HEADER, init.address);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  return fetch(`${stack().url}${path}`, { ...init, headers, body });
}

/** A JSON body for operator.request. */
export const json = (method: string, body?: unknown): RequestInit => ({
  method,
  body: body === undefined ? undefined : JSON.stringify(body),
});
