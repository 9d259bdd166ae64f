import { reopenRefusal, type ConversationSummary, type RoutingDecision } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import { can } from "../roles";
import "./routing.css";
import { TransferForm } from "./transfer-form";

/** Why the conversation is where it is; read again whenever it moves. */
function useDecision(conversation: ConversationSummary): RoutingDecision | null {
  const [decision, setDecision] = useState<RoutingDecision | null>(null);
  const { id, status } = conversation;
  const assigneeId = conversation.assignee?.id;
  useEffect(() => {
    let current = true;
    api.routing.conversations[":id"].decision
      .$get({ param: { id } })
      .then(async (r) => r.ok && current && setDecision((await r.json()).decision))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [id, status, assigneeId]);
  return decision;
}

/** Transfer, reopen, and why it went to whom (D3, D7, D8), in the conversation's header. */
export function RoutingActions(props: { me: Me; conversation: ConversationSummary }) {
  const { me, conversation } = props;
  const decision = useDecision(conversation);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const mine = conversation.assignee?.id === me.id;
  const mayTransfer = (conversation.status === "assigned" || conversation.status === "queued") && (mine || can(me.role, "supervise"));

  async function reopen() {
    setProblem(null);
    try {
      const response = await api.routing.conversations[":id"].reopen.$post({ param: { id: conversation.id } });
      if (!response.ok) setProblem(await errorMessage(response));
    } catch {
      setProblem(OFFLINE);
    }
  }

  return (
    <div class="routing">
      {decision && conversation.status !== "closed" && (
        <span class="routing-why" data-testid="routing-reason" title={`Routed: ${decision.reason}`}>
          {decision.reason}
        </span>
      )}
      {problem && (
        <span class="form-error" role="alert">
          {problem}
        </span>
      )}
      {mayTransfer && (
        <button type="button" class="secondary" data-testid="transfer" aria-expanded={open} onClick={() => setOpen(!open)}>
          Transfer
        </button>
      )}
      {conversation.status === "closed" && !reopenRefusal(me, conversation) && (
        <button type="button" class="secondary" data-testid="reopen" onClick={() => void reopen()}>
          Reopen
        </button>
      )}
      {open && mayTransfer && <TransferForm conversation={conversation} onDone={() => setOpen(false)} />}
    </div>
  );
}
