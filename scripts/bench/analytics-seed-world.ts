// The analytics seed's workspace: sites, skill groups, operators and their
// shifts, tags and the knowledge base, written through the product's own
// workspace code where it hashes passwords and straight into libSQL elsewhere.
import { sql } from "drizzle-orm";
import { createDb } from "../../worker/src/db/client";
import { addOperator, createWorkspace } from "../../worker/src/workspaces/create-workspace";
import { localTime, SEED_TIME_ZONE, type Shift } from "./analytics-seed-calendar";
import type { Bulk } from "./analytics-seed-sql";
import { INTENTS } from "./analytics-seed-texts";

export type GroupMode = "manual" | "least_busy" | "round_robin";

export type World = {
  workspaceId: string;
  /** Who the bench signs in as: a supervisor sees analytics. */
  supervisor: { id: string; email: string; password: string };
  sites: Array<{ id: string; name: string; host: string; defaultGroup: number; share: number }>;
  groups: Array<{ id: string; name: string; mode: GroupMode; members: number[] }>;
  operators: Array<{ id: string; name: string; shift: Shift }>;
  tags: Array<{ id: string; name: string }>;
  intents: Array<{ id: string; name: string; group: number | null }>;
};

const GROUPS: Array<{ name: string; mode: GroupMode }> = [
  { name: "Support", mode: "least_busy" },
  { name: "Sales", mode: "round_robin" },
  { name: "Billing", mode: "manual" },
  { name: "Tech", mode: "manual" },
];

const WEEK = [0, 1, 2, 3, 4];
const LATE_WEEK = [2, 3, 4, 5, 6];
/** Twelve operators in three weekday shifts and a Wednesday-to-Sunday one; everyone in one to three groups. */
const OPERATORS: Array<{ name: string; groups: number[]; shift: Shift }> = [
  { name: "Олена Коваль", groups: [0, 2], shift: { weekdays: WEEK, start: 8 * 60, end: 17 * 60 } },
  { name: "Taras Melnyk", groups: [0], shift: { weekdays: WEEK, start: 8 * 60, end: 17 * 60 } },
  { name: "Ірина Бондар", groups: [2], shift: { weekdays: WEEK, start: 8 * 60, end: 17 * 60 } },
  { name: "Andrii Savchenko", groups: [0, 1], shift: { weekdays: WEEK, start: 9 * 60, end: 18 * 60 } },
  { name: "Софія Ткач", groups: [0, 3], shift: { weekdays: WEEK, start: 9 * 60, end: 18 * 60 } },
  { name: "Max Rudenko", groups: [3], shift: { weekdays: WEEK, start: 9 * 60, end: 18 * 60 } },
  { name: "Юлія Марченко", groups: [1], shift: { weekdays: WEEK, start: 9 * 60, end: 18 * 60 } },
  { name: "Petro Lysenko", groups: [1, 0], shift: { weekdays: WEEK, start: 11 * 60, end: 20 * 60 } },
  { name: "Oksana Boyko", groups: [1, 3], shift: { weekdays: WEEK, start: 11 * 60, end: 20 * 60 } },
  { name: "Микола Гнатюк", groups: [2, 0], shift: { weekdays: WEEK, start: 11 * 60, end: 20 * 60 } },
  { name: "Anna Petrenko", groups: [0, 3], shift: { weekdays: LATE_WEEK, start: 10 * 60, end: 19 * 60 } },
  { name: "Sam Novak", groups: [0, 1, 2], shift: { weekdays: LATE_WEEK, start: 10 * 60, end: 19 * 60 } },
];

const SITES = [
  { name: "Shop", host: "shop.example", defaultGroup: 0, share: 0.7 },
  { name: "Help center", host: "help.shop.example", defaultGroup: 0, share: 0.2 },
  { name: "Partners", host: "partners.shop.example", defaultGroup: 1, share: 0.1 },
];

const TAGS: Array<[string, string]> = [
  ["refund", "#dc2626"],
  ["delivery-delay", "#ea580c"],
  ["vip", "#7c3aed"],
  ["bug", "#0891b2"],
  ["complaint", "#be123c"],
  ["wholesale", "#16a34a"],
  ["feedback", "#2563eb"],
  ["urgent", "#ca8a04"],
];

/** When operators answer, in the sites' settings (W12): the hours the "working hours" switch measures in. */
export const WORKING_HOURS = {
  timeZone: SEED_TIME_ZONE,
  days: { mon: [["08:00", "20:00"]], tue: [["08:00", "20:00"]], wed: [["08:00", "20:00"]], thu: [["08:00", "20:00"]], fri: [["08:00", "20:00"]], sat: [["10:00", "19:00"]], sun: [["10:00", "19:00"]] },
};

/** Whether the sites' hours are open at an instant, given its local day and weekday. */
export function withinHours(at: number, day: string, weekday: number): boolean {
  const [open, close] = weekday < 5 ? [8 * 60, 20 * 60] : [10 * 60, 19 * 60];
  return at >= localTime(day, open) && at < localTime(day, close);
}

/** Creates the workspace and everything its conversations refer to; `since` is when it all began. */
export async function createWorld(libsqlUrl: string, bulk: Bulk, id: (at: number) => string, since: number): Promise<World> {
  const db = createDb({ LIBSQL_URL: libsqlUrl });
  const tag = id(Date.now()).slice(-8).toLowerCase();
  const password = "analytics-bench";
  const tenant = await createWorkspace(db, {
    name: "Analytics bench",
    owner: { email: `analytics-owner-${tag}@example.test`, name: "Analytics Owner", password },
    site: { name: SITES[0].name },
  });
  const workspaceId = tenant.workspaceId;
  const supervisorEmail = `analytics-supervisor-${tag}@example.test`;
  const supervisor = await addOperator(db, workspaceId, { email: supervisorEmail, name: "Sasha Supervisor", password, role: "supervisor" });
  // Every seeded operator gets the supervisor's hash: nobody signs in as them, but their rows look real.
  const [{ hash }] = await db.all<{ hash: string }>(sql`SELECT password_hash AS hash FROM operators WHERE id = ${supervisor.id}`);

  const groups = GROUPS.map((g) => ({ ...g, id: id(since), members: [] as number[] }));
  const operators = OPERATORS.map((o, i) => {
    for (const g of o.groups) groups[g].members.push(i);
    return { id: id(since), name: o.name, shift: o.shift };
  });
  const sites = SITES.map((s, i) => ({ ...s, id: i === 0 ? tenant.siteId : id(since) }));
  const tags = TAGS.map(([name]) => ({ id: id(since), name }));
  const intents = INTENTS.map((intent) => ({ id: id(since), name: intent.name, group: intent.group }));

  for (const g of groups) {
    await bulk.add("groups", ["id", "workspace_id", "name", "routing_mode", "line", "return_on_offline", "created_at"], [g.id, workspaceId, g.name, g.mode, 1, true, since]);
  }
  for (const [i, o] of operators.entries()) {
    const email = `${OPERATORS[i].name.split(" ")[0].toLowerCase()}-${i}-${tag}@example.test`;
    await bulk.add("operators", ["id", "email", "name", "password_hash", "created_at"], [o.id, email, o.name, hash, since]);
    await bulk.add("memberships", ["workspace_id", "operator_id", "role", "presence", "max_chats", "created_at"], [workspaceId, o.id, "operator", "offline", 5, since]);
    for (const g of OPERATORS[i].groups) await bulk.add("group_members", ["group_id", "operator_id"], [groups[g].id, o.id]);
  }
  for (const [i, s] of sites.entries()) {
    if (i === 0) continue;
    await bulk.add("sites", ["id", "workspace_id", "name", "public_key", "identity_secret", "allowed_origins", "created_at"], [
      s.id,
      workspaceId,
      s.name,
      `site_${id(since).slice(-16).toLowerCase()}`,
      id(since),
      [`https://${s.host}`],
      since,
    ]);
  }
  for (const [i, t] of tags.entries()) await bulk.add("tags", ["id", "workspace_id", "name", "color", "created_at"], [t.id, workspaceId, t.name, TAGS[i][1], since]);
  for (const [i, intent] of intents.entries()) {
    const source = INTENTS[i];
    await bulk.add("intents", ["id", "workspace_id", "key", "name", "answer", "answers", "group_id", "enabled", "created_at", "updated_at"], [
      intent.id,
      workspaceId,
      source.key,
      source.name,
      source.answer,
      { ru: source.answer },
      intent.group === null ? null : groups[intent.group].id,
      true,
      since,
      since,
    ]);
  }
  await bulk.flush();
  await bulk.client.batch(
    [
      { sql: "UPDATE workspaces SET time_zone = ? WHERE id = ?", args: [SEED_TIME_ZONE, workspaceId] },
      ...sites.map((s) => ({
        sql: "UPDATE sites SET working_hours = ?, default_group_id = ?, prechat_form = ? WHERE id = ?",
        args: [JSON.stringify(WORKING_HOURS), groups[s.defaultGroup].id, JSON.stringify({ fields: [{ name: "name", required: false }, { name: "topic", required: false }], topics: ["Sales", "Support"] }), s.id],
      })),
    ],
    "write",
  );
  return { workspaceId, supervisor: { id: supervisor.id, email: supervisorEmail, password }, sites, groups, operators, tags, intents };
}
