import { useState } from "preact/hooks";
import type { FilterOptions } from "./client";
import { daysIn, rangeLabel, type Preset } from "./dates";
import type { Filters, ListFilter } from "./filters";
import { MultiSelect } from "./multi-select";

const RANGES: { preset: Preset; label: string }[] = [
  { preset: "today", label: "Today" },
  { preset: "7", label: "7 days" },
  { preset: "30", label: "30 days" },
  { preset: "90", label: "90 days" },
  { preset: "custom", label: "Custom" },
];

const days = (p: { from: string; to: string }) => rangeLabel(p.from, p.to);

const CHANNEL_NAMES: Record<string, string> = { web: "Web chat", email: "E-mail", api: "API" };
const channelName = (c: string) => CHANNEL_NAMES[c] ?? c.charAt(0).toUpperCase() + c.slice(1);

type Props = {
  filters: Filters;
  /** The days the range covers now, in the workspace's time zone. */
  period: { from: string; to: string };
  /** The period compared with, once the server said which. */
  previous: { from: string; to: string } | null;
  options: FilterOptions | null;
  timeZone: string;
  onChange: (filters: Filters) => void;
};

/** Every view's filters: the range, grouping, comparison, working hours and who or what to count. */
export function FiltersBar(props: Props) {
  const { filters, options, period } = props;
  const set = (change: Partial<Filters>) => props.onChange({ ...filters, ...change });
  const [custom, setCustom] = useState({ from: filters.from || period.from, to: filters.to || period.to });
  const customProblem = !custom.from || !custom.to ? "Pick both days." : custom.from > custom.to ? "The first day is after the last." : daysIn(custom.from, custom.to) > 731 ? "At most two years." : null;
  const lists: { name: ListFilter; label: string; options: { id: string; name: string; color?: string }[] }[] = [
    { name: "site", label: "Sites", options: options?.sites ?? [] },
    { name: "channel", label: "Channels", options: (options?.channels ?? []).map((c) => ({ id: c, name: channelName(c) })) },
    { name: "group", label: "Groups", options: options?.groups ?? [] },
    { name: "operator", label: "Operators", options: options?.operators ?? [] },
    { name: "tag", label: "Tags", options: options?.tags ?? [] },
  ];
  return (
    <div class="an-filters" data-testid="an-filters">
      <div class="an-filter-row">
        <div class="an-segmented" role="group" aria-label="Date range">
          {RANGES.map((r) => (
            <button
              type="button"
              aria-pressed={filters.range === r.preset}
              data-testid={`range-${r.preset}`}
              onClick={() => (r.preset === "custom" ? set({ range: "custom", ...custom }) : set({ range: r.preset, from: "", to: "" }))}
            >
              {r.label}
            </button>
          ))}
        </div>
        {filters.range === "custom" ? (
          <form
            class="an-custom"
            onSubmit={(e) => {
              e.preventDefault();
              if (!customProblem) set({ range: "custom", ...custom });
            }}
          >
            <label>
              From <input type="date" value={custom.from} max={custom.to} onInput={(e) => setCustom({ ...custom, from: e.currentTarget.value })} data-testid="custom-from" />
            </label>
            <label>
              to <input type="date" value={custom.to} min={custom.from} onInput={(e) => setCustom({ ...custom, to: e.currentTarget.value })} data-testid="custom-to" />
            </label>
            <button type="submit" class="secondary" disabled={!!customProblem} data-testid="custom-apply">
              Apply
            </button>
            {customProblem && <span class="muted">{customProblem}</span>}
          </form>
        ) : null}
        <span class="muted an-period" data-testid="an-period">
          {filters.range === "custom" ? "" : `${days(period)} · `}
          {props.timeZone}
          {filters.compare && props.previous && ` · against ${days(props.previous)}`}
        </span>
        <label class="an-inline">
          Group by
          <select value={filters.groupBy} onChange={(e) => set({ groupBy: e.currentTarget.value as Filters["groupBy"] })} data-testid="group-by">
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
        <label class="an-inline an-switch">
          <input type="checkbox" role="switch" checked={filters.compare} onChange={(e) => set({ compare: e.currentTarget.checked })} data-testid="compare" />
          Compare with previous period
        </label>
      </div>
      <div class="an-filter-row">
        {lists.map((list) => (
          <MultiSelect label={list.label} options={list.options} selected={filters[list.name]} onChange={(ids) => set({ [list.name]: ids })} testid={`filter-${list.name}`} />
        ))}
        <label class="an-inline an-switch an-switches" title="Durations count only the time inside the site's working hours">
          <input type="checkbox" role="switch" checked={filters.hours === "working"} onChange={(e) => set({ hours: e.currentTarget.checked ? "working" : "all" })} data-testid="working-hours" />
          Within working hours
        </label>
      </div>
    </div>
  );
}
