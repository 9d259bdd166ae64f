import { useEffect, useState } from "preact/hooks";
import type { Me } from "../app";
import { focusReply, isTyping, moveInList, press } from "./actions";
import "./shortcuts.css";

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? "⌘" : "Ctrl";
const ALT = isMac ? "⌥" : "Alt";

/** Every shortcut as the help overlay lists it. */
export const SHORTCUTS: { keys: string[][]; what: string }[] = [
  { keys: [["j"], [ALT, "↓"]], what: "Next conversation" },
  { keys: [["k"], [ALT, "↑"]], what: "Previous conversation" },
  { keys: [["r"], ["/"]], what: "Focus the reply box" },
  { keys: [[MOD, "Enter"]], what: "Send the reply" },
  { keys: [[ALT, "C"]], what: "Close the conversation" },
  { keys: [[ALT, "/"]], what: "Open canned replies" },
  { keys: [["?"]], what: "Show or hide this help" },
  { keys: [["Esc"]], what: "Close this help" },
];

/**
 * The dashboard's keyboard (D13). Single keys work only when no text field
 * has the focus; the chords (Alt+…, Ctrl/⌘+Enter) work everywhere, since
 * typing never produces them. A key another component already handled
 * (defaultPrevented) is left alone.
 */
export function Shortcuts(_props: { me: Me }) {
  const [help, setHelp] = useState(false);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing) return;
      const handled = chord(event) ?? (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey ? false : single(event));
      if (handled) event.preventDefault();
    }

    /** Alt+… and Ctrl/⌘+Enter; undefined when the event is no chord of ours. */
    function chord(event: KeyboardEvent): boolean | undefined {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key === "Enter") return press("reply-send");
      if (!event.altKey || event.ctrlKey || event.metaKey) return undefined;
      // `code`, not `key`: on a Mac, Alt+C types "ç".
      if (event.key === "ArrowDown") return moveInList(1), true;
      if (event.key === "ArrowUp") return moveInList(-1), true;
      if (event.code === "KeyC") return press("close");
      if (event.code === "Slash") return press("canned-open");
      return undefined;
    }

    function single(event: KeyboardEvent): boolean {
      if (event.key === "?") return setHelp((open) => !open), true;
      if (event.key === "Escape" && help) return setHelp(false), true;
      if (help) return false;
      if (event.key === "j") return moveInList(1), true;
      if (event.key === "k") return moveInList(-1), true;
      if (event.key === "r" || event.key === "/") return focusReply();
      return false;
    }

    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [help]);

  if (!help) return null;
  return (
    <div class="shortcuts-backdrop" onClick={() => setHelp(false)}>
      <section class="shortcuts" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcuts-help" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.what}>
                <td>
                  {s.keys.map((combo, i) => (
                    <span key={i}>
                      {i > 0 && <span class="muted"> or </span>}
                      {combo.map((k, j) => (
                        <span key={j}>
                          {j > 0 && "+"}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </span>
                  ))}
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="muted">Single keys work when no text field has the focus.</p>
      </section>
    </div>
  );
}
