import { hc } from "hono/client";
import type { AppType } from "../../../worker/src/app";

/** The widget's typed client for the Tandem API at `origin`, sending the visitor token once there is one. */
export function createApi(origin: string, token: () => string | null) {
  return hc<AppType>(origin, {
    headers: (): Record<string, string> => {
      const value = token();
      return value ? { authorization: `Bearer ${value}` } : {};
    },
  }).api.widget;
}

export type WidgetApi = ReturnType<typeof createApi>;
