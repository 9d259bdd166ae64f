import type { RoutingTargets } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";

/** The groups and operators a conversation can go to, read when asked for (`when` true). */
export function useTargets(when: boolean): RoutingTargets | null {
  const [targets, setTargets] = useState<RoutingTargets | null>(null);
  useEffect(() => {
    if (!when) return;
    let current = true;
    api.routing.targets
      .$get()
      .then(async (r) => r.ok && current && setTargets(await r.json()))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [when]);
  return targets;
}

/** Hands a conversation on (D7); the server's refusal as a sentence, or null when done. */
export async function transfer(id: string, target: { operatorId: string } | { groupId: string }, note: string): Promise<string | null> {
  try {
    const response = await api.routing.conversations[":id"].transfer.$post({ param: { id }, json: { ...target, note: note || undefined } });
    return response.ok ? null : await errorMessage(response);
  } catch {
    return OFFLINE;
  }
}
