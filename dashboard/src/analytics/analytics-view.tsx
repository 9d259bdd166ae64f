import { ANALYTICS_VIEWS, type AnalyticsAnswer, type AnalyticsSettings, type AnalyticsView as ViewName, type Automation, type Load, type Satisfaction, type Speed, type Teams, type Topics } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../app";
import { clock } from "../format";
import { can } from "../roles";
import { AutomationView } from "./automation-view";
import { readOptions, readSettings, type FilterOptions } from "./client";
import { presetRange } from "./dates";
import { DrillContext, type DrillTarget } from "./drill";
import { DrillDialog } from "./drill-dialog";
import { apiQuery, readFilters, searchOf, writeFilters, type ApiQuery, type Filters } from "./filters";
import { FiltersBar } from "./filters-bar";
import { LoadView } from "./load-view";
import { SatisfactionView } from "./satisfaction-view";
import { SettingsForm } from "./settings-form";
import { SpeedView } from "./speed-view";
import { TeamsView } from "./teams-view";
import { TopicsView } from "./topics-view";
import { useAnswer, useLiveTick } from "./use-analytics";
import { useCloseOutside } from "./use-close-outside";

/**
 * The stylesheet of analytics.css, built beside this chunk (scripts/build.ts);
 * the view waits for it, so it never draws unstyled.
 */
export const styled: Promise<void> = new Promise((resolve) => {
  const href = new URL("analytics.css", import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return resolve();
  const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
  link.onload = link.onerror = () => resolve();
  document.head.append(link);
});

const TITLES: Record<ViewName, string> = {
  speed: "Speed",
  load: "Load",
  teams: "Teams",
  automation: "Automation",
  satisfaction: "Satisfaction",
  topics: "Topics",
};

export type AnalyticsProps = { me: Me; tab: string; query: string };

/** Writes the filters into the address without a history entry per click; the route follows. */
function replaceFilters(view: ViewName, filters: Filters) {
  const query = writeFilters(filters);
  history.replaceState(history.state, "", `#/analytics/${view}${query ? `?${query}` : ""}`);
  dispatchEvent(new HashChangeEvent("hashchange"));
}

/** Analytics (issue 16, A1–A8): one view at a time under one filters bar, live. Supervisors and above (the workspace checks). */
export function AnalyticsView(props: AnalyticsProps) {
  const view = ANALYTICS_VIEWS.find((v) => v === props.tab) ?? "speed";
  const filters = readFilters(props.query);
  const [settings, setSettings] = useState<AnalyticsSettings | null>(null);
  const [options, setOptions] = useState<FilterOptions | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const tick = useLiveTick();
  const exportMenu = useCloseOutside();

  useEffect(() => {
    readSettings().then(setSettings, (error: Error) => setProblem(error.message));
    readOptions().then(setOptions, () => undefined);
  }, []);

  const query = settings ? apiQuery(filters, settings.timeZone) : null;
  const loaded = useAnswer<unknown>(view, query, tick);
  const [updated, setUpdated] = useState<number | null>(null);
  useEffect(() => {
    if (loaded.answer) setUpdated(Date.now());
  }, [loaded.answer]);

  const search = writeFilters(filters);
  const period = query ? { from: query.from, to: query.to } : presetRange("today", "UTC");

  return (
    <DrillContext.Provider value={setDrill}>
      <div class="analytics" data-testid="analytics" data-view={view}>
        <header class="an-head">
          <h1>Analytics</h1>
          <nav class="an-tabs" aria-label="Analytics views">
            {ANALYTICS_VIEWS.map((v) => (
              <a href={`#/analytics/${v}${search ? `?${search}` : ""}`} aria-current={v === view ? "page" : undefined} data-testid={`an-tab-${v}`}>
                {TITLES[v]}
              </a>
            ))}
          </nav>
          <div class="an-head-actions">
            <span class="muted an-live" data-testid="an-updated">
              <span class={loaded.loading ? "dot" : "dot online"} /> {updated ? `Live · ${clock(updated)}` : "Loading…"}
            </span>
            {query && (
              <details class="an-menu" data-testid="an-export" ref={exportMenu}>
                <summary>Export</summary>
                <div class="an-menu-list">
                  <a href={`/api/ops/analytics/export/conversations.csv?${searchOf(query)}`} download data-testid="export-conversations">
                    Conversations (CSV, one row each)
                  </a>
                  <a href={`/api/ops/analytics/export/contacts.csv?${searchOf(query)}`} download data-testid="export-contacts">
                    Customer report (CSV, one row per contact)
                  </a>
                </div>
              </details>
            )}
            {settings && can(props.me.role, "administer") && <SettingsForm settings={settings} onSaved={setSettings} />}
          </div>
        </header>
        <FiltersBar filters={filters} period={period} previous={loaded.answer?.previous ?? null} options={options} timeZone={settings?.timeZone ?? ""} onChange={(next) => replaceFilters(view, next)} />
        {(problem ?? loaded.problem) && (
          <p class="form-error an-problem" role="alert" data-testid="an-problem">
            {problem ?? loaded.problem}
          </p>
        )}
        <div class="an-body" data-testid="an-body" aria-busy={loaded.loading}>
          {loaded.answer ? <ViewBody view={view} answer={loaded.answer} me={props.me} query={query!} tick={tick} /> : <p class="muted">Loading…</p>}
        </div>
        {drill && query && settings && <DrillDialog key={drill.drill} target={drill} query={query} timeZone={settings.timeZone} onClose={() => setDrill(null)} />}
      </div>
    </DrillContext.Provider>
  );
}

/** The open view. The server answers each view with its own type (protocol/src/analytics.ts), hence the casts. */
function ViewBody(props: { view: ViewName; answer: AnalyticsAnswer<unknown>; me: Me; query: ApiQuery; tick: number }) {
  const { view, answer } = props;
  if (view === "speed") return <SpeedView answer={answer as AnalyticsAnswer<Speed>} />;
  if (view === "load") return <LoadView answer={answer as AnalyticsAnswer<Load>} />;
  if (view === "teams") return <TeamsView answer={answer as AnalyticsAnswer<Teams>} />;
  if (view === "automation") return <AutomationView answer={answer as AnalyticsAnswer<Automation>} canAdminister={can(props.me.role, "administer")} />;
  if (view === "satisfaction") return <SatisfactionView answer={answer as AnalyticsAnswer<Satisfaction>} query={props.query} tick={props.tick} />;
  return <TopicsView answer={answer as AnalyticsAnswer<Topics>} />;
}
