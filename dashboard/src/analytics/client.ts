import type { AnalyticsAnswer, AnalyticsSettings, AnalyticsView, DrillPage } from "@tandem/protocol";
import { api, errorMessage, OFFLINE } from "../api";
import type { ApiQuery } from "./filters";

/** The answer's JSON, or an Error with the server's message (or the offline one). */
async function read<T>(request: Promise<Response>): Promise<T> {
  let response: Response;
  try {
    response = await request;
  } catch {
    throw new Error(OFFLINE);
  }
  if (!response.ok) throw new Error(await errorMessage(response));
  return (await response.json()) as T;
}

export type FilterOptions = {
  sites: { id: string; name: string }[];
  groups: { id: string; name: string }[];
  operators: { id: string; name: string }[];
  tags: { id: string; name: string; color: string }[];
  channels: string[];
};

export const readOptions = () => read<FilterOptions>(api.analytics.filters.$get());
export const readSettings = () => read<AnalyticsSettings>(api.analytics.settings.$get());
export const saveSettings = (settings: Partial<AnalyticsSettings>) => read<AnalyticsSettings>(api.analytics.settings.$put({ json: settings }));
export const readVersion = () => read<{ version: number }>(api.analytics.version.$get()).then((v) => v.version);
// Each view answers with its own type (protocol/src/analytics.ts); the route's is their union.
export const readView = <T>(view: AnalyticsView, query: ApiQuery) => read<AnalyticsAnswer<T>>(api.analytics[":view"].$get({ param: { view }, query }));
export const readDrill = (query: ApiQuery, drill: string, after: string | null) =>
  read<DrillPage>(api.analytics.drill.$get({ query: { ...query, drill, ...(after ? { after } : {}) } }));
