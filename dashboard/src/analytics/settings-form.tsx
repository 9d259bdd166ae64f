import type { AnalyticsSettings } from "@tandem/protocol";
import { useState } from "preact/hooks";
import { saveSettings } from "./client";
import { useCloseOutside } from "./use-close-outside";

/** The workspace's analytics settings (admin+): its time zone and when hand-offs warn. */
export function SettingsForm(props: { settings: AnalyticsSettings; onSaved: (settings: AnalyticsSettings) => void }) {
  const [timeZone, setTimeZone] = useState(props.settings.timeZone);
  const [points, setPoints] = useState(String(props.settings.handoffWarnPoints));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const details = useCloseOutside();
  const [zones] = useState(() => (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    try {
      props.onSaved(await saveSettings({ timeZone, handoffWarnPoints: Number(points) }));
      setProblem(null);
    } catch (error) {
      setProblem((error as Error).message);
    }
    setBusy(false);
  }

  return (
    <details class="an-settings" data-testid="an-settings" ref={details}>
      <summary>Settings</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Time zone
          <input list="an-zones" value={timeZone} onInput={(e) => setTimeZone(e.currentTarget.value)} required maxLength={64} data-testid="an-time-zone" />
          <datalist id="an-zones">
            {zones.map((zone) => (
              <option value={zone} />
            ))}
          </datalist>
        </label>
        <label>
          Warn when hand-offs rise by more than
          <span>
            <input type="number" min={1} max={100} step={1} value={points} onInput={(e) => setPoints(e.currentTarget.value)} required data-testid="an-warn-points" /> points
          </span>
        </label>
        <button type="submit" class="primary" disabled={busy} data-testid="an-settings-save">
          Save
        </button>
        {problem && (
          <p class="form-error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </details>
  );
}
