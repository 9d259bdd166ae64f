import type { AnalyticsAnswer, AnalyticsQuery, AnalyticsSettings, AnalyticsView } from "@tandem/protocol";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { workspaces } from "../db/schema";
import { automation } from "./automation";
import { load } from "./load";
import type { Period } from "./period";
import { satisfaction } from "./satisfaction";
import { foreignFilter, scopeOf, type Scope } from "./scope";
import { speed } from "./speed";
import { teams } from "./teams";
import { topics } from "./topics";

/** The workspace's analytics settings: its time zone and the hand-off warning threshold. */
export async function readAnalyticsSettings(db: Db, workspaceId: string): Promise<AnalyticsSettings> {
  const [row] = await db
    .select({ timeZone: workspaces.timeZone, handoffWarnPoints: workspaces.handoffWarnPoints })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return row ?? { timeZone: "UTC", handoffWarnPoints: 10 };
}

export type Scoped = { ok: true; scope: Scope; settings: AnalyticsSettings } | { ok: false; message: string };

/** The scope of a request, or why not: a filter naming what is not the workspace's own. */
export async function scopeFor(db: Db, workspaceId: string, query: AnalyticsQuery, now = Date.now()): Promise<Scoped> {
  const [settings, foreign] = await Promise.all([readAnalyticsSettings(db, workspaceId), foreignFilter(db, workspaceId, query)]);
  if (foreign) return { ok: false, message: foreign };
  return { ok: true, scope: scopeOf(db, workspaceId, settings.timeZone, query, now), settings };
}

const compute = (view: AnalyticsView, scope: Scope, p: Period, settings: AnalyticsSettings) => {
  switch (view) {
    case "speed":
      return speed(scope, p);
    case "load":
      return load(scope, p);
    case "teams":
      return teams(scope, p);
    case "automation":
      return automation(scope, p, settings.handoffWarnPoints);
    case "satisfaction":
      return satisfaction(scope, p);
    case "topics":
      return topics(scope, p);
  }
};

/** One view over the period, and over the previous one when asked to compare. */
export async function answer(view: AnalyticsView, scope: Scope, settings: AnalyticsSettings): Promise<AnalyticsAnswer<unknown>> {
  const compare = scope.query.compare === "1";
  const [current, before] = await Promise.all([
    compute(view, scope, scope.period, settings),
    compare ? compute(view, scope, scope.previous, settings) : null,
  ]);
  return {
    period: { from: scope.period.from, to: scope.period.to },
    previous: compare ? { from: scope.previous.from, to: scope.previous.to } : null,
    timeZone: scope.period.zone,
    groupBy: scope.query.groupBy,
    hours: scope.query.hours,
    current,
    before,
  };
}
