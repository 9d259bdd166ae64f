import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import "./routing.css";

import type { Presence } from "@tandem/protocol";
const LABEL: Record<Presence, string> = { online: "Online", away: "Away", offline: "Offline" };

/**
 * The operator's own presence (D3): only online operators get chats;
 * offline also hands back chats of groups that ask for it. The dashboard's
 * connection sets it too (online when it connects, offline after it is gone
 * for a while): it is read again on every (re)connect and when the tab comes
 * back, and follows the Inbox's presence frames in between.
 */
export function PresenceToggle(props: { live?: { presence: Presence; at: number }; connected: boolean }) {
  const [presence, setPresence] = useState<Presence | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (props.live && !busy) setPresence(props.live.presence);
  }, [props.live]);

  useEffect(() => {
    // Connecting is what sets it (online): read it once the Inbox is there, and again on every reconnect.
    if (!props.connected) return;
    const read = () =>
      api.routing.presence
        .$get()
        .then(async (r) => r.ok && setPresence((await r.json()).presence))
        .catch(() => undefined);
    void read();
    const onVisible = () => document.visibilityState === "visible" && void read();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [props.connected]);

  async function choose(next: Presence) {
    const before = presence;
    setPresence(next);
    setBusy(true);
    try {
      const response = await api.routing.presence.$put({ json: { presence: next } });
      if (!response.ok) setPresence(before);
    } catch {
      setPresence(before);
    } finally {
      setBusy(false);
    }
  }

  return (
    <label class={`presence ${presence ?? "offline"}`} title="Only online operators get new chats">
      <span class="presence-dot" />
      <select
        data-testid="presence"
        aria-label="Your presence"
        value={presence ?? ""}
        disabled={busy || !presence}
        onChange={(event) => void choose((event.currentTarget as HTMLSelectElement).value as Presence)}
      >
        {(Object.keys(LABEL) as Presence[]).map((p) => (
          <option value={p}>{LABEL[p]}</option>
        ))}
      </select>
    </label>
  );
}
