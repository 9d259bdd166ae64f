import { presetRange, PRESETS, type Preset } from "./dates";

export const LISTS = ["site", "channel", "group", "operator", "tag"] as const;
export type ListFilter = (typeof LISTS)[number];

/** The filters of every view, as the address keeps them (`#/analytics/speed?range=30&compare=1…`). */
export type Filters = {
  /** A preset is kept as such, so "last 7 days" is still the last 7 days after a reload tomorrow. */
  range: Preset;
  /** Only for a custom range. */
  from: string;
  to: string;
  groupBy: "day" | "week" | "month";
  compare: boolean;
  hours: "all" | "working";
} & Record<ListFilter, string[]>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Filters from the address's query; anything unknown falls back to the defaults (the server checks the rest). */
export function readFilters(query: string): Filters {
  const params = new URLSearchParams(query);
  const one = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = params.get(name);
    return allowed.find((a) => a === value) ?? fallback;
  };
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const custom = DAY.test(from) && DAY.test(to);
  const list = (name: ListFilter) => (params.get(name) ?? "").split(",").filter(Boolean);
  return {
    range: custom ? "custom" : one("range", PRESETS.filter((p) => p !== "custom"), "30"),
    from: custom ? from : "",
    to: custom ? to : "",
    groupBy: one("groupBy", ["day", "week", "month"], "day"),
    compare: params.get("compare") === "1",
    hours: one("hours", ["all", "working"], "all"),
    site: list("site"),
    channel: list("channel"),
    group: list("group"),
    operator: list("operator"),
    tag: list("tag"),
  };
}

/** The address's query for these filters, defaults left out. */
export function writeFilters(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.range === "custom") {
    params.set("from", filters.from);
    params.set("to", filters.to);
  } else if (filters.range !== "30") params.set("range", filters.range);
  if (filters.groupBy !== "day") params.set("groupBy", filters.groupBy);
  if (filters.compare) params.set("compare", "1");
  if (filters.hours !== "all") params.set("hours", filters.hours);
  for (const name of LISTS) if (filters[name].length) params.set(name, filters[name].join(","));
  return params.toString().replaceAll("%2C", ",");
}

/** The analytics API's query (AnalyticsQuery of the protocol), as strings. */
export type ApiQuery = { from: string; to: string; groupBy: Filters["groupBy"]; compare: "0" | "1"; hours: Filters["hours"] } & Partial<Record<ListFilter, string>>;

/** The API's query for these filters: the preset turned into days of the workspace's time zone. */
export function apiQuery(filters: Filters, timeZone: string, now = Date.now()): ApiQuery {
  const { from, to } = filters.range === "custom" ? filters : presetRange(filters.range, timeZone, now);
  const query: ApiQuery = { from, to, groupBy: filters.groupBy, compare: filters.compare ? "1" : "0", hours: filters.hours };
  for (const name of LISTS) if (filters[name].length) query[name] = filters[name].join(",");
  return query;
}

/** A query as a URL's search part, for links (the exports). */
export const searchOf = (query: ApiQuery) => new URLSearchParams(query).toString().replaceAll("%2C", ",");
