import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { AnalyticsProps } from "./analytics-view";

// The only analytics module in the first load: it fetches the rest (views, charts, their CSS) when the route opens.
let loading: Promise<ComponentType<AnalyticsProps>> | undefined;

function load() {
  loading ??= import("./analytics-view").then(async (chunk) => {
    await chunk.styled;
    return chunk.AnalyticsView;
  });
  // A failed fetch (offline) is tried again on the next visit, not remembered.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The Analytics section, loaded on first use as a chunk of its own. */
export function Analytics(props: AnalyticsProps) {
  const [view, setView] = useState<{ component: ComponentType<AnalyticsProps> } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    load().then(
      (component) => setView({ component }),
      () => setFailed(true),
    );
  }, [failed]);
  if (failed) {
    return (
      <div class="empty">
        <p>Analytics did not load.</p>
        <button type="button" class="secondary" onClick={() => setFailed(false)}>
          Try again
        </button>
      </div>
    );
  }
  return view ? <view.component {...props} /> : <div class="empty muted">Loading analytics…</div>;
}
