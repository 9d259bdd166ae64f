// The Analytics API (issue 16: A1–A8): its query, and what each view answers.
// Every duration is in milliseconds; every date is a day in the workspace's time zone.
import * as v from "valibot";

const Id = v.pipe(v.string(), v.regex(/^[0-9A-Z]{26}$/, "id is not valid"));
const Day = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, "dates are YYYY-MM-DD"),
  v.check((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, "not a calendar date"),
);

/** The longest range one request may cover. */
export const MAX_RANGE_DAYS = 731;

export const ANALYTICS_VIEWS = ["speed", "load", "teams", "automation", "satisfaction", "topics"] as const;
export type AnalyticsView = (typeof ANALYTICS_VIEWS)[number];
export const AnalyticsViewName = v.picklist(ANALYTICS_VIEWS, `unknown metric: the views are ${ANALYTICS_VIEWS.join(", ")}`);

export const CHANNELS = ["web", "email", "telegram", "whatsapp", "viber", "messenger", "instagram", "api"] as const;

/** A comma-separated list in a query string ("a,b"), read as an array; up to 50 items. */
const listOf = <T extends v.GenericSchema<string, string>>(item: T) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => (s === "" ? [] : s.split(","))),
      v.array(item),
      v.maxLength(50, "at most 50 items in a filter"),
    ),
    "",
  );

/**
 * The filters every view takes, as a query string:
 * `?from=2026-11-01&to=2026-11-30&groupBy=day&compare=1&hours=working&site=ID,ID&channel=web&group=…&operator=…&tag=…`.
 * `from` and `to` are days in the workspace's time zone, both included.
 */
export const AnalyticsQuery = v.pipe(
  v.object({
    from: Day,
    to: Day,
    groupBy: v.optional(v.picklist(["day", "week", "month"], "groupBy must be day, week or month"), "day"),
    compare: v.optional(v.picklist(["0", "1"], "compare must be 0 or 1"), "0"),
    /** `working`: durations count only the time inside the site's working hours. */
    hours: v.optional(v.picklist(["all", "working"], "hours must be all or working"), "all"),
    site: listOf(Id),
    channel: listOf(v.picklist(CHANNELS, "unknown channel")),
    group: listOf(Id),
    operator: listOf(Id),
    tag: listOf(Id),
  }),
  v.check((q) => q.from <= q.to, "from must not be after to"),
  v.check(
    (q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_RANGE_DAYS,
    `a range covers at most ${MAX_RANGE_DAYS} days`,
  ),
);
export type AnalyticsQuery = v.InferOutput<typeof AnalyticsQuery>;
export type AnalyticsQueryInput = v.InferInput<typeof AnalyticsQuery>;

/**
 * What a chart's bar, cell or row stands for, to list its conversations:
 * `series:<started|escalated|closed>:<bucket>`, `heat:<weekday 0=Mon>:<hour>`,
 * `hist:<metric>:<bin>`, `metric:<metric>` (all values of one distribution),
 * `abandoned`, `reason:<reason>`, `alone`, `rating:<1-5>`, `rated`,
 * `sentiment:<positive|neutral|negative>`, `tag:<id>`, `intent:<id>`,
 * `operator:<id>`, `group:<id>`, `handed`, `trend:<withBot|resolvedAlone|handedOff>:<bucket>`,
 * `topic:<tag|intent>:<id>:<bucket>`, `resolved:<yes|no>`, `csat:<alone|person>`,
 * `word:<+|-><word>` (a matched sentiment word).
 */
export const Drill = v.pipe(
  v.string(),
  v.maxLength(80),
  v.regex(
    /^(series:(started|escalated|closed):\d{4}-\d{2}-\d{2}|trend:(withBot|resolvedAlone|handedOff):\d{4}-\d{2}-\d{2}|topic:(tag|intent):[0-9A-Z]{26}:\d{4}-\d{2}-\d{2}|heat:[0-6]:([01]?\d|2[0-3])|hist:(firstResponse|queueWait|lifetime|replyTime):\d{1,2}|metric:(firstResponse|queueWait|lifetime|replyTime)|abandoned|alone|handed|rated|resolved:(yes|no)|csat:(alone|person)|reason:[a-z_]+|rating:[1-5]|sentiment:(positive|neutral|negative)|word:[+-][\p{L}\p{N} ]{1,60}|(tag|intent|operator|group):[0-9A-Z]{26})$/u,
    "drill is not one this view knows",
  ),
);

export const DrillQuery = v.object({
  drill: Drill,
  /** The last conversation id of the previous page. */
  after: v.optional(Id),
});

export const DURATION_METRICS = ["firstResponse", "queueWait", "lifetime", "replyTime"] as const;
export type DurationMetric = (typeof DURATION_METRICS)[number];

/** Upper bounds of the histogram's bins, in ms; the last bin has no upper bound. */
export const HISTOGRAM_BOUNDS = [30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 14_400_000, 86_400_000] as const;

/** A distribution of durations. Percentiles are nearest-rank: the value at rank ⌈q·n⌉. All null when n = 0. */
export type Distribution = {
  n: number;
  min: number | null;
  p50: number | null;
  mean: number | null;
  p90: number | null;
  max: number | null;
  /** Counts per bin of HISTOGRAM_BOUNDS, one more than the bounds. */
  histogram: number[];
};

export type Period = { from: string; to: string };

/** Every view's answer: the period, and the previous one of the same length when asked to compare. */
export type AnalyticsAnswer<T> = {
  period: Period;
  previous: Period | null;
  timeZone: string;
  groupBy: "day" | "week" | "month";
  hours: "all" | "working";
  current: T;
  before: T | null;
};

/** A1. */
export type Speed = {
  firstResponse: Distribution;
  queueWait: Distribution;
  lifetime: Distribution;
  replyTime: Distribution;
  /** Customers handed to people who left before any person answered. */
  abandoned: { waited: number; left: number; share: number | null };
};

/** A bucket of a time series: its first day (the Monday of a week, the 1st of a month). */
export type Bucket = string;

/** A2. */
export type Load = {
  buckets: Bucket[];
  started: number[];
  escalated: number[];
  closed: number[];
  /** Conversations started, by weekday (0 = Monday) and hour, in the workspace's time zone. */
  heatmap: number[][];
  /** Conversations the operators handled per hour any of them was online, all together; null with no online time. */
  perOnlineHour: number | null;
  operators: Array<{
    id: string;
    name: string;
    /** Per day of the period: ms online, away and offline. */
    days: Array<{ day: string; online: number; away: number; offline: number }>;
    online: number;
    away: number;
    /** Conversations they handled per online hour; null with no online time. */
    perOnlineHour: number | null;
    handled: number;
  }>;
};

/** CSAT of a set of ratings: n, mean, share of 4–5, and the Wilson lower bound (95 %) of that share. */
export type Csat = { n: number; mean: number | null; satisfied: number | null; wilson: number | null };

export type TeamRow = {
  id: string;
  name: string;
  handled: number;
  firstResponse: { n: number; p50: number | null; p90: number | null };
  lifetimeP50: number | null;
  transfers: number;
  csat: Csat;
};

/** A3. */
export type Teams = { groups: TeamRow[]; operators: TeamRow[] };

export const HANDOFF_REASONS = ["asked_for_person", "complaint", "low_confidence", "repeated", "off_hours", "operator_took_over", "other"] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** A4. */
export type Automation = {
  /** Conversations started in the period that the bot took part in. */
  withBot: number;
  resolvedAlone: number;
  handedOff: number;
  /** Still with the bot, or closed less than 7 days ago and so not yet known to stay closed. */
  pending: number;
  resolvedAloneShare: number | null;
  handoffShare: number | null;
  reasons: Array<{ reason: HandoffReason; count: number; share: number | null }>;
  messages: { bot: number; human: number; botShare: number | null };
  buckets: Bucket[];
  series: { withBot: number[]; resolvedAlone: number[]; handedOff: number[] };
  /** Open bot questions waiting on the Unanswered list. */
  unanswered: number;
  /** Set when the hand-off share rose by more than the workspace's threshold against the previous period. */
  warning: HandoffWarning;
};

/** The hand-off warning: set when the hand-off share rose by more than `thresholdPoints` against the previous period. */
export type HandoffWarning = { risePoints: number; thresholdPoints: number } | null;

/** A5. */
export type Satisfaction = {
  distribution: [number, number, number, number, number];
  csat: Csat;
  /** Rated of closed in the period. */
  responseRate: number | null;
  closed: number;
  resolved: { yes: number; no: number };
  botAlone: Csat;
  withPerson: Csat;
  sentiment: {
    positive: number;
    neutral: number;
    negative: number;
    /** The words that matched, most frequent first (up to 30). */
    words: Array<{ word: string; sign: 1 | -1; count: number }>;
  };
};

export type TopicRow = {
  id: string;
  name: string;
  color: string | null;
  count: number;
  series: number[];
  firstResponseP50: number | null;
  csat: Csat;
};

/** A6. */
export type Topics = { buckets: Bucket[]; tags: TopicRow[]; intents: TopicRow[] };

/** The workspace's analytics settings. */
export const AnalyticsSettingsBody = v.object({
  timeZone: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(64),
      v.check((zone) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, "not a known IANA time zone"),
    ),
  ),
  handoffWarnPoints: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100))),
});
export type AnalyticsSettings = { timeZone: string; handoffWarnPoints: number };

/** One conversation in a drill-down list. */
export type DrillRow = {
  id: string;
  createdAt: number;
  status: string;
  channel: string;
  contact: string | null;
  operator: string | null;
  group: string | null;
  rating: number | null;
  /** The value of the drilled metric, when the drill is a duration. */
  value: number | null;
};
export type DrillPage = { rows: DrillRow[]; next: string | null };
