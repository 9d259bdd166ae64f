import type { ConversationSummary } from "@tandem/protocol";
import type { Me } from "../app";

// PLACEHOLDER (issue 4): transfer, reopen and reassign for one conversation; the routing helper fills it in.
export function RoutingActions(_props: { me: Me; conversation: ConversationSummary }) {
  return null;
}
