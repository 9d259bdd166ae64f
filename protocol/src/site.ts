import * as v from "valibot";

// A site's settings as its owners set them: stored as JSON on the site, read
// by the Worker, shown by the widget. Every field has a default, so an empty
// setting is a working one.

const HttpsUrl = v.pipe(v.string(), v.maxLength(2048), v.url(), v.startsWith("https://", "must be an https URL"));

/** The widget's look (W14). */
export const Look = v.object({
  color: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/i, "color must be #rrggbb"), v.toLowerCase()), "#2563eb"),
  position: v.optional(v.picklist(["left", "right"]), "right"),
  logoUrl: v.optional(v.nullable(HttpsUrl), null),
  greeting: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(300))), null),
  dark: v.optional(v.picklist(["auto", "light", "dark"]), "auto"),
  /** Null follows the page's `lang`, then the browser. */
  language: v.optional(v.nullable(v.picklist(["en", "ru", "uk"])), null),
});
export type Look = v.InferOutput<typeof Look>;

const Time = v.pipe(v.string(), v.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, "times are HH:MM"));
/** One opening on a day; it must end after it starts (no range crosses midnight). */
const Range = v.pipe(
  v.tuple([Time, Time]),
  v.check(([start, end]) => start < end, "a range must end after it starts"),
);
const Day = v.optional(v.pipe(v.array(Range), v.maxLength(8)), []);

export const TimeZone = v.pipe(
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
);

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

/** When operators answer (W12), in the site's time zone. */
export const OpenHours = v.object({
  timeZone: TimeZone,
  days: v.object({ mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day }),
});
export type OpenHours = v.InferOutput<typeof OpenHours>;

/** `{}` means always open. */
export const WorkingHours = v.union([v.strictObject({}), OpenHours]);
export type WorkingHours = v.InferOutput<typeof WorkingHours>;

export const PrechatFieldName = v.picklist(["name", "email", "phone", "topic"]);

/** The pre-chat form (W4); no fields means no form. */
export const PrechatForm = v.object({
  fields: v.optional(
    v.pipe(
      v.array(v.object({ name: PrechatFieldName, required: v.boolean() })),
      v.maxLength(4),
      v.check((fields) => new Set(fields.map((f) => f.name)).size === fields.length, "a field appears twice"),
    ),
    [],
  ),
  topics: v.optional(v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))), v.maxLength(20)), []),
});
export type PrechatForm = v.InferOutput<typeof PrechatForm>;

/**
 * A stored look read field by field: a field that is missing or no longer
 * valid takes its default, so one bad value never hides the others.
 */
export function readLook(stored: unknown): Look {
  const value = isRecord(stored) ? stored : {};
  const look: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(Look.entries)) {
    const parsed = v.safeParse(schema, value[key]);
    look[key] = parsed.success ? parsed.output : v.getDefault(schema);
  }
  return look as Look;
}

/** Stored working hours, or always open when they are empty or not valid. */
export function readWorkingHours(stored: unknown): WorkingHours {
  const parsed = v.safeParse(WorkingHours, stored);
  return parsed.success ? parsed.output : {};
}

/** The stored pre-chat form, or none when it is empty or not valid. */
export function readPrechatForm(stored: unknown): PrechatForm | null {
  const parsed = v.safeParse(PrechatForm, stored);
  return parsed.success && parsed.output.fields.length > 0 ? parsed.output : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
