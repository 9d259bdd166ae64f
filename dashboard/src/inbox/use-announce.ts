import type { ConversationSummary } from "@tandem/protocol";
import { useEffect, useRef } from "preact/hooks";

/**
 * New work announces itself (D2): a conversation that enters the queue or
 * is assigned to me plays a short tone and, if allowed, shows a desktop
 * notification. The tab title's count is the workspace's. The first
 * snapshot announces nothing: only what changes while the dashboard is open.
 */
export function useAnnounce(conversations: Map<string, ConversationSummary>, meId: string, loaded: boolean) {
  const seen = useRef<Map<string, string> | null>(null);

  useEffect(askOnceFromAGesture, []);

  useEffect(() => {
    const state = (c: ConversationSummary) => (c.status === "queued" ? "queued" : c.status === "assigned" && c.assignee?.id === meId ? "mine" : "other");
    // Until the first snapshot there is nothing to compare with; that snapshot is the baseline, not news.
    if (!loaded) return;
    const before = seen.current;
    seen.current = new Map([...conversations].map(([id, c]) => [id, state(c)]));
    if (!before) return;
    const fresh = [...conversations.values()].filter((c) => {
      const now = state(c);
      return now !== "other" && before.get(c.id) !== now;
    });
    if (fresh.length === 0) return;
    beep();
    const first = fresh[0];
    notify(first.status === "queued" ? "A customer is waiting" : "A conversation is yours", first.preview ?? "", first.id);
  }, [conversations, meId, loaded]);
}

/**
 * Browsers grant notifications only from a click or key press: ask at the
 * first one, once. Notification is not touched before it: reading its
 * permission sets up its binding, a few ms of the page load.
 */
function askOnceFromAGesture() {
  const ask = () => {
    remove();
    if (typeof Notification !== "undefined" && Notification.permission === "default") void Notification.requestPermission().catch(() => undefined);
  };
  const remove = () => {
    document.removeEventListener("pointerdown", ask);
    document.removeEventListener("keydown", ask);
  };
  document.addEventListener("pointerdown", ask, { once: true });
  document.addEventListener("keydown", ask, { once: true });
  return remove;
}

let audio: AudioContext | undefined;

/** A short two-note tone, made on the spot: no sound file to download. */
function beep() {
  try {
    audio ??= new AudioContext();
    const at = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, at + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + i * 0.12 + 0.11);
      osc.connect(gain).connect(audio.destination);
      osc.start(at + i * 0.12);
      osc.stop(at + i * 0.12 + 0.12);
    }
    // Counted so the browser tests can tell a tone was played.
    (window as { __tandemBeeps?: number }).__tandemBeeps = ((window as { __tandemBeeps?: number }).__tandemBeeps ?? 0) + 1;
  } catch {
    // No audio (autoplay rules before any gesture): the title and the notification still say it.
  }
}

function notify(title: string, body: string, id: string) {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  try {
    const note = new Notification(title, { body: body.slice(0, 140), tag: `tandem-${id}` });
    note.onclick = () => {
      window.focus();
      location.hash = `#/c/${id}`;
      note.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; the tone and the title remain.
  }
}
