import type { Load, Speed, Teams } from "@tandem/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { addGroup } from "../../../e2e/routing-kit";
import { createTenant, signIn } from "../../../scripts/test-kit/clients";
import { Customer, EMPTY, MIN, NO_CSAT, OFFICE, one, Script, teamRow } from "./golden-kit";

// The golden table, part 2: people at work (A1, A3): transfers, returns to
// the queue, reopens, customers who leave, reply time, working hours and the
// filters. Workspaces without a bot: the first message queues the
// conversation at once, so the hand-off is the start. Kyiv time, UTC+2.
// Histogram bins: 0 ≤30 s, 1 ≤1 min, 2 ≤2 min, 3 ≤5 min, 4 ≤10 min,
// 5 ≤30 min, 6 ≤1 h, 7 ≤4 h, 8 ≤24 h, 9 above.

const THU = { from: "2026-11-05", to: "2026-11-05" };

describe("G15 transfer to an operator", () => {
  // Thu 2026-11-05 09:00 the owner comes online (a transfer needs its target not offline).
  // 10:00 the customer writes; 10:04 the agent claims; 10:05 answers; 10:10 transfers to the owner;
  // 10:12 the customer writes; 10:15 the owner answers; 10:30 the owner closes.
  let s: Script;
  beforeAll(async () => {
    s = await Script.open("G15");
    const c = s.customer();
    await s.at("2026-11-05T09:00+02:00", () => s.presence(s.owner, "online"));
    await s.at("2026-11-05T10:00+02:00", () => c.start("Здравствуйте, нужна помощь", "queued"));
    await s.at("2026-11-05T10:04+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-05T10:05+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-05T10:10+02:00", () => s.transfer(s.agent, c, { operatorId: s.owner.id }));
    await s.at("2026-11-05T10:12+02:00", () => c.says("ну что там?"));
    await s.at("2026-11-05T10:15+02:00", () => s.reply(s.owner, c, "Я здесь, смотрю."));
    await s.at("2026-11-05T10:30+02:00", () => s.close(s.owner, c));
    await s.retime();
  });

  it("speed: a transfer between operators is no queue wait", async () => {
    const v = (await s.get<Speed>("speed", THU)).current;
    expect.soft(v.firstResponse).toEqual(one(5 * MIN, 3)); // 10:00 → 10:05
    expect.soft(v.queueWait).toEqual(one(4 * MIN, 3)); // 10:00 → 10:04 only
    expect.soft(v.replyTime).toEqual(one(3 * MIN, 3)); // 10:12 → 10:15
    expect.soft(v.lifetime).toEqual(one(30 * MIN, 5));
  });

  it("teams: the agent answered first and transferred it away; the owner handled it", async () => {
    const t = (await s.get<Teams>("teams", THU)).current;
    expect.soft(teamRow(t.operators, s.agent.id)).toEqual({ handled: 0, firstResponse: { n: 1, p50: 5 * MIN, p90: 5 * MIN }, lifetimeP50: null, transfers: 1, csat: NO_CSAT });
    expect.soft(teamRow(t.operators, s.owner.id)).toEqual({ handled: 1, firstResponse: { n: 0, p50: null, p90: null }, lifetimeP50: 30 * MIN, transfers: 0, csat: NO_CSAT });
  });

  it("filters: an operator filter keeps the conversations they have now", async () => {
    expect.soft((await s.get<Speed>("speed", { ...THU, operator: s.agent.id })).current.firstResponse).toEqual(EMPTY);
    expect.soft((await s.get<Speed>("speed", { ...THU, operator: s.owner.id })).current.firstResponse).toEqual(one(5 * MIN, 3));
  });
});

describe("G16 transfer to a group: a second queue wait", () => {
  // Groups First line (agent) and Second line (owner), both picked by hand. Thu 2026-11-05
  // 10:00 the customer (topic "First line") writes → queued in First line; 10:03 the agent claims; 10:04 answers;
  // 10:10 transfers to Second line; 10:11 the customer writes; 10:25 the owner claims; 10:26 answers; 10:40 closes.
  let s: Script;
  let first: string;
  let second: string;
  beforeAll(async () => {
    s = await Script.open("G16");
    [first, second] = await s.setup(async () => [await s.group("First line", [s.agent]), await s.group("Second line", [s.owner])]);
    const c = s.customer();
    await s.at("2026-11-05T10:00+02:00", () => c.start("нужна помощь", "queued", { topic: "First line" }));
    await s.at("2026-11-05T10:03+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-05T10:04+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-05T10:10+02:00", () => s.transfer(s.agent, c, { groupId: second }));
    await s.at("2026-11-05T10:11+02:00", () => c.says("алло?"));
    await s.at("2026-11-05T10:25+02:00", () => s.claim(s.owner, c));
    await s.at("2026-11-05T10:26+02:00", () => s.reply(s.owner, c));
    await s.at("2026-11-05T10:40+02:00", () => s.close(s.owner, c));
    expect(await s.stored(c)).toMatchObject({ groupId: second, assigneeId: s.owner.id });
    await s.retime();
  });

  it("speed: two queue stints", async () => {
    const v = (await s.get<Speed>("speed", THU)).current;
    // 10:00 → 10:03 = 180 000 (≤5 min) and 10:10 → 10:25 = 900 000 (≤30 min):
    // p50 = rank ⌈0.5·2⌉ = 1 → 180 000; p90 = rank ⌈1.8⌉ = 2 → 900 000; mean 540 000.
    expect.soft(v.queueWait).toEqual({ n: 2, min: 180_000, p50: 180_000, mean: 540_000, p90: 900_000, max: 900_000, histogram: [0, 0, 0, 1, 0, 1, 0, 0, 0, 0] });
    expect.soft(v.firstResponse).toEqual(one(4 * MIN, 3));
    expect.soft(v.replyTime).toEqual(one(15 * MIN, 5)); // 10:11 → 10:26
    expect.soft(v.lifetime).toEqual(one(40 * MIN, 6));
  });

  it("teams: the transfer counts on the group and operator it left", async () => {
    const t = (await s.get<Teams>("teams", THU)).current;
    // The first response was First line's (its member answered while it had the conversation).
    expect.soft(teamRow(t.groups, first)).toEqual({ handled: 0, firstResponse: { n: 1, p50: 4 * MIN, p90: 4 * MIN }, lifetimeP50: null, transfers: 1, csat: NO_CSAT });
    expect.soft(teamRow(t.groups, second)).toEqual({ handled: 1, firstResponse: { n: 0, p50: null, p90: null }, lifetimeP50: 40 * MIN, transfers: 0, csat: NO_CSAT });
    expect.soft(teamRow(t.operators, s.agent.id)).toMatchObject({ handled: 0, transfers: 1, firstResponse: { n: 1, p50: 4 * MIN, p90: 4 * MIN } });
    expect.soft(teamRow(t.operators, s.owner.id)).toMatchObject({ handled: 1, transfers: 0, lifetimeP50: 40 * MIN });
  });

  it("filters: by the group it is in now", async () => {
    expect.soft((await s.get<Speed>("speed", { ...THU, group: second })).current.queueWait.n).toBe(2);
    expect.soft((await s.get<Speed>("speed", { ...THU, group: first })).current.queueWait).toEqual(EMPTY);
  });
});

describe("G17 routed, then back to the queue when the operator goes offline", () => {
  // Group Support (least busy; agent and owner, both offline). Thu 2026-11-05
  // 10:00 the customer (topic Support) writes → queued; 10:02 the agent comes online → routing gives it to them;
  // 10:03 the agent answers; 10:20 the agent goes offline → back in the queue; 10:32 the owner claims;
  // 10:33 the owner writes; 10:45 the owner closes.
  let s: Script;
  beforeAll(async () => {
    s = await Script.open("G17");
    await s.setup(() => s.group("Support", [s.agent, s.owner], "least_busy"));
    const c = s.customer();
    await s.at("2026-11-05T10:00+02:00", () => c.start("помогите", "queued", { topic: "Support" }));
    await s.at("2026-11-05T10:02+02:00", () => s.presence(s.agent, "online"));
    expect(await s.stored(c)).toMatchObject({ status: "assigned", assigneeId: s.agent.id });
    await s.at("2026-11-05T10:03+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-05T10:20+02:00", () => s.presence(s.agent, "offline"));
    expect(await s.stored(c)).toMatchObject({ status: "queued", assigneeId: null });
    await s.at("2026-11-05T10:32+02:00", () => s.claim(s.owner, c));
    await s.at("2026-11-05T10:33+02:00", () => s.reply(s.owner, c, "Продолжу я."));
    await s.at("2026-11-05T10:45+02:00", () => s.close(s.owner, c));
    await s.retime();
  });

  it("speed: the return to the queue is a second wait", async () => {
    const v = (await s.get<Speed>("speed", THU)).current;
    // 10:00 → 10:02 routed = 120 000 (≤2 min); 10:20 → 10:32 = 720 000 (≤30 min); mean 420 000.
    expect.soft(v.queueWait).toEqual({ n: 2, min: 120_000, p50: 120_000, mean: 420_000, p90: 720_000, max: 720_000, histogram: [0, 0, 1, 0, 0, 1, 0, 0, 0, 0] });
    expect.soft(v.firstResponse).toEqual(one(3 * MIN, 3));
    expect.soft(v.replyTime).toEqual(EMPTY); // no customer message after the first reply
    expect.soft(v.lifetime).toEqual(one(45 * MIN, 6));
  });

  it("teams: going offline is not a transfer", async () => {
    const t = (await s.get<Teams>("teams", THU)).current;
    expect.soft(teamRow(t.operators, s.agent.id)).toMatchObject({ handled: 0, transfers: 0, firstResponse: { n: 1, p50: 3 * MIN, p90: 3 * MIN } });
    expect.soft(teamRow(t.operators, s.owner.id)).toMatchObject({ handled: 1, transfers: 0, lifetimeP50: 45 * MIN });
  });

  it("load: the agent's 18 minutes online", async () => {
    const l = (await s.get<Load>("load", THU)).current;
    const agent = l.operators.find((o) => o.id === s.agent.id);
    // Offline before 10:02 (nothing earlier), online 10:02 → 10:20 = 1 080 000, offline after: 86 400 000 − 1 080 000.
    expect.soft(agent).toMatchObject({ days: [{ day: "2026-11-05", online: 1_080_000, away: 0, offline: 85_320_000 }], online: 1_080_000, away: 0, handled: 0, perOnlineHour: 0 });
    const owner = l.operators.find((o) => o.id === s.owner.id);
    expect.soft(owner).toMatchObject({ days: [{ day: "2026-11-05", online: 0, away: 0, offline: 86_400_000 }], online: 0, handled: 1, perOnlineHour: null });
  });
});

describe("G18 reopen by the customer within the window, a new conversation after it, a reopen by hand", () => {
  // Thu 2026-11-05: 10:00 the customer writes; 10:05 the agent answers from the queue; 10:20 closes;
  // 10:40 the customer writes again (within the site's reopen window) → reopened, queued; 10:50 the agent answers; 11:00 closes.
  // Fri 2026-11-06: the reopen window is set to 0; 09:00 the same customer writes → a new conversation;
  // 09:03 the agent answers; 09:10 closes; 09:30 the agent reopens it by hand; 09:45 closes.
  let s: Script;
  const FRI = { from: "2026-11-06", to: "2026-11-06" };
  beforeAll(async () => {
    s = await Script.open("G18");
    const c = s.customer();
    await s.at("2026-11-05T10:00+02:00", () => c.start("вопрос по заказу", "queued"));
    await s.at("2026-11-05T10:05+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-05T10:20+02:00", () => s.close(s.agent, c));
    await s.at("2026-11-05T10:40+02:00", () => c.says("ещё вопрос", "queued"));
    await s.at("2026-11-05T10:50+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-05T11:00+02:00", () => s.close(s.agent, c));
    const firstId = c.id;
    await s.at("2026-11-06T09:00+02:00", async () => {
      await s.siteSettings(s.tenant.siteId, { reopenMinutes: 0 });
      await c.start("снова я", "queued");
    });
    expect(c.id).not.toBe(firstId);
    await s.at("2026-11-06T09:03+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-06T09:10+02:00", () => s.close(s.agent, c));
    await s.at("2026-11-06T09:30+02:00", () => s.reopen(s.agent, c));
    await s.at("2026-11-06T09:45+02:00", () => s.close(s.agent, c));
    await s.retime();
  });

  it("Thursday: one first response, two waits, two lifetimes, and the reopen's reply time", async () => {
    const v = (await s.get<Speed>("speed", THU)).current;
    expect.soft(v.firstResponse).toEqual(one(5 * MIN, 3)); // not started again by the reopen
    // 10:00 → 10:05 = 300 000 (≤5 min) and 10:40 → 10:50 = 600 000 (≤10 min).
    expect.soft(v.queueWait).toEqual({ n: 2, min: 300_000, p50: 300_000, mean: 450_000, p90: 600_000, max: 600_000, histogram: [0, 0, 0, 1, 1, 0, 0, 0, 0, 0] });
    // 10:00 → 10:20 and 10:40 → 11:00: two cycles of 1 200 000.
    expect.soft(v.lifetime).toEqual({ n: 2, min: 1_200_000, p50: 1_200_000, mean: 1_200_000, p90: 1_200_000, max: 1_200_000, histogram: [0, 0, 0, 0, 0, 2, 0, 0, 0, 0] });
    expect.soft(v.replyTime).toEqual(one(10 * MIN, 4)); // the 10:40 message, answered 10:50
    expect.soft(v.abandoned).toEqual({ waited: 1, left: 0, share: 0 });
    expect.soft((await s.get<Load>("load", THU)).current).toMatchObject({ started: [1], closed: [2] });
    // Handled counts conversations, not closes: closed twice, handled once.
    expect.soft(teamRow((await s.get<Teams>("teams", THU)).current.operators, s.agent.id)).toMatchObject({ handled: 1, lifetimeP50: 1_200_000 });
  });

  it("Friday: a new conversation, and a reopen by hand is a new cycle without a wait", async () => {
    const v = (await s.get<Speed>("speed", FRI)).current;
    expect.soft(v.firstResponse).toEqual(one(3 * MIN, 3));
    expect.soft(v.queueWait).toEqual(one(3 * MIN, 3));
    // 09:00 → 09:10 = 600 000 (≤10 min) and 09:30 → 09:45 = 900 000 (≤30 min).
    expect.soft(v.lifetime).toEqual({ n: 2, min: 600_000, p50: 600_000, mean: 750_000, p90: 900_000, max: 900_000, histogram: [0, 0, 0, 0, 1, 1, 0, 0, 0, 0] });
    expect.soft((await s.get<Load>("load", FRI)).current).toMatchObject({ started: [1], closed: [2] });
  });

  it("both days", async () => {
    const range = { from: "2026-11-05", to: "2026-11-06" };
    const v = (await s.get<Speed>("speed", range)).current;
    expect.soft(v.firstResponse).toEqual({ n: 2, min: 180_000, p50: 180_000, mean: 240_000, p90: 300_000, max: 300_000, histogram: [0, 0, 0, 2, 0, 0, 0, 0, 0, 0] });
    const t = (await s.get<Teams>("teams", range)).current;
    // Two conversations; lifetimes 600 000, 900 000, 1 200 000, 1 200 000: p50 = rank 2 = 900 000.
    expect.soft(teamRow(t.operators, s.agent.id)).toMatchObject({ handled: 2, lifetimeP50: 900_000, firstResponse: { n: 2, p50: 180_000, p90: 300_000 } });
    expect.soft((await s.get<Load>("load", range)).current).toMatchObject({ buckets: ["2026-11-05", "2026-11-06"], started: [1, 1], closed: [2, 2] });
  });
});

describe("G19 customers who leave the queue, counted on the day their wait ended", () => {
  // Mon 2026-11-09: A 10:00, B 10:01, C 10:03, D 10:04 write; the agent answers A at 10:02 and B at 10:05;
  // C closes at 10:09 unanswered; the agent closes A at 10:10; D waits on. E writes at 23:50 and closes Tue 00:20 unanswered.
  let s: Script;
  let left: Customer;
  const MON = { from: "2026-11-09", to: "2026-11-09" };
  const TUE = { from: "2026-11-10", to: "2026-11-10" };
  beforeAll(async () => {
    s = await Script.open("G19");
    const [a, b, c, d, e] = [s.customer(), s.customer(), s.customer(), s.customer(), s.customer()];
    left = c;
    await s.at("2026-11-09T10:00+02:00", () => a.start("A", "queued"));
    await s.at("2026-11-09T10:01+02:00", () => b.start("B", "queued"));
    await s.at("2026-11-09T10:02+02:00", () => s.reply(s.agent, a));
    await s.at("2026-11-09T10:03+02:00", () => c.start("C", "queued"));
    await s.at("2026-11-09T10:04+02:00", () => d.start("D", "queued"));
    await s.at("2026-11-09T10:05+02:00", () => s.reply(s.agent, b));
    await s.at("2026-11-09T10:09+02:00", () => c.close());
    await s.at("2026-11-09T10:10+02:00", () => s.close(s.agent, a));
    await s.at("2026-11-09T23:50+02:00", () => e.start("E", "queued"));
    await s.at("2026-11-10T00:20+02:00", () => e.close());
    await s.retime();
  });

  it("Monday: 1 of 3 whose wait ended left", async () => {
    const v = (await s.get<Speed>("speed", MON)).current;
    expect.soft(v.abandoned).toEqual({ waited: 3, left: 1, share: expect.closeTo(1 / 3, 4) }); // A, B answered; C left; D still waits
    // A 2 min (≤2 min), B 4 min (≤5 min).
    const answered = { n: 2, min: 120_000, p50: 120_000, mean: 180_000, p90: 240_000, max: 240_000, histogram: [0, 0, 1, 1, 0, 0, 0, 0, 0, 0] };
    expect.soft(v.firstResponse).toEqual(answered);
    expect.soft(v.queueWait).toEqual(answered);
    expect.soft(await s.drill({ ...MON, drill: "abandoned" })).toEqual([left.id]);
    expect.soft((await s.get<Load>("load", MON)).current).toMatchObject({ started: [5], closed: [2] });
  });

  it("Tuesday: E's wait ended with the close after midnight", async () => {
    const v = (await s.get<Speed>("speed", TUE)).current;
    expect.soft(v.abandoned).toEqual({ waited: 1, left: 1, share: 1 });
    expect.soft(v.lifetime).toEqual(one(30 * MIN, 5)); // 23:50 → 00:20, counted on the day it closed
    expect.soft((await s.get<Load>("load", TUE)).current).toMatchObject({ started: [0], closed: [1] });
  });

  it("both days", async () => {
    const v = (await s.get<Speed>("speed", { from: "2026-11-09", to: "2026-11-10" })).current;
    expect.soft(v.abandoned).toEqual({ waited: 4, left: 2, share: 0.5 });
  });

  it("Tuesday compared with Monday", async () => {
    const answer = await s.get<Speed>("speed", { ...TUE, compare: "1" });
    expect.soft(answer.previous).toEqual(MON);
    expect.soft(answer.current.abandoned).toEqual({ waited: 1, left: 1, share: 1 });
    expect.soft(answer.before?.abandoned).toEqual({ waited: 3, left: 1, share: expect.closeTo(1 / 3, 4) });
    expect.soft(answer.before?.firstResponse.n).toBe(2);
  });
});

describe("G20 reply time: several customer messages in a row count from the first", () => {
  // Thu 2026-11-05 10:00 the customer writes; 10:02 the agent answers (first response);
  // 10:05, 10:06, 10:08 three customer messages; 10:10 the agent answers; 10:11 the agent adds a line;
  // 10:20 the customer writes; 10:21 the agent answers; 10:40 closes.
  let s: Script;
  beforeAll(async () => {
    s = await Script.open("G20");
    const c = s.customer();
    await s.at("2026-11-05T10:00+02:00", () => c.start("добрый день", "queued"));
    await s.at("2026-11-05T10:02+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-05T10:05+02:00", () => c.says("вопрос первый"));
    await s.at("2026-11-05T10:06+02:00", () => c.says("вопрос второй"));
    await s.at("2026-11-05T10:08+02:00", () => c.says("вопрос третий"));
    await s.at("2026-11-05T10:10+02:00", () => s.reply(s.agent, c, "Отвечаю на все три."));
    await s.at("2026-11-05T10:11+02:00", () => s.reply(s.agent, c, "И ещё одно."));
    await s.at("2026-11-05T10:20+02:00", () => c.says("понятно"));
    await s.at("2026-11-05T10:21+02:00", () => s.reply(s.agent, c, "Рад помочь."));
    await s.at("2026-11-05T10:40+02:00", () => s.close(s.agent, c));
    await s.retime();
  });

  it("speed", async () => {
    const v = (await s.get<Speed>("speed", THU)).current;
    // 10:05 → 10:10 = 300 000 (≤5 min) and 10:20 → 10:21 = 60 000 (≤1 min); the 10:11 line answers nobody.
    expect.soft(v.replyTime).toEqual({ n: 2, min: 60_000, p50: 60_000, mean: 180_000, p90: 300_000, max: 300_000, histogram: [0, 1, 0, 1, 0, 0, 0, 0, 0, 0] });
    expect.soft(v.firstResponse).toEqual(one(2 * MIN, 2));
  });
});

describe("G21 within working hours", () => {
  // Site hours Mon–Fri 09:00–18:00 Kyiv. A writes Fri 2026-11-13 17:50; B writes Sat 11-14 10:00,
  // is answered at 10:30 and closed at 10:40; A is answered Mon 11-16 09:05 and closed at 09:20.
  let s: Script;
  const range = { from: "2026-11-13", to: "2026-11-16" };
  beforeAll(async () => {
    s = await Script.open("G21");
    await s.setup(() => s.siteSettings(s.tenant.siteId, { workingHours: OFFICE }));
    const [a, b] = [s.customer(), s.customer()];
    await s.at("2026-11-13T17:50+02:00", () => a.start("ещё успею?", "queued"));
    await s.at("2026-11-14T10:00+02:00", () => b.start("в субботу работаете?", "queued"));
    await s.at("2026-11-14T10:30+02:00", () => s.reply(s.agent, b));
    await s.at("2026-11-14T10:40+02:00", () => s.close(s.agent, b));
    await s.at("2026-11-16T09:05+02:00", () => s.reply(s.agent, a));
    await s.at("2026-11-16T09:20+02:00", () => s.close(s.agent, a));
    await s.retime();
  });

  it("all hours", async () => {
    const answer = await s.get<Speed>("speed", { ...range, hours: "all" });
    expect.soft(answer.hours).toBe("all");
    const v = answer.current;
    // B: 30 min (≤30 min). A: Fri 17:50 → Mon 09:05 = 63 h 15 min = 227 700 000 (above 24 h). Mean 114 750 000.
    const waits = { n: 2, min: 1_800_000, p50: 1_800_000, mean: 114_750_000, p90: 227_700_000, max: 227_700_000, histogram: [0, 0, 0, 0, 0, 1, 0, 0, 0, 1] };
    expect.soft(v.firstResponse).toEqual(waits);
    expect.soft(v.queueWait).toEqual(waits);
    // B: 40 min (≤1 h). A: Fri 17:50 → Mon 09:20 = 63 h 30 min = 228 600 000. Mean 115 500 000.
    expect.soft(v.lifetime).toEqual({ n: 2, min: 2_400_000, p50: 2_400_000, mean: 115_500_000, p90: 228_600_000, max: 228_600_000, histogram: [0, 0, 0, 0, 0, 0, 1, 0, 0, 1] });
  });

  it("within working hours", async () => {
    const answer = await s.get<Speed>("speed", { ...range, hours: "working" });
    expect.soft(answer.hours).toBe("working");
    const v = answer.current;
    // B: all on Saturday → 0 (still a value). A: Fri 17:50–18:00 (10 min) + Mon 09:00–09:05 (5 min) = 900 000.
    const waits = { n: 2, min: 0, p50: 0, mean: 450_000, p90: 900_000, max: 900_000, histogram: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0] };
    expect.soft(v.firstResponse).toEqual(waits);
    expect.soft(v.queueWait).toEqual(waits);
    // B: 0. A: 10 min on Friday + Mon 09:00–09:20 (20 min) = 1 800 000.
    expect.soft(v.lifetime).toEqual({ n: 2, min: 0, p50: 0, mean: 900_000, p90: 1_800_000, max: 1_800_000, histogram: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0] });
  });
});

describe("G22 filters: site, group, operator, tag, channel; alternatives within one, all of them together", () => {
  // Sites S1 (the first) and S2; groups Alpha and Beta; Thu 2026-11-05
  // A (S1, topic Alpha) 10:00, the agent answers 10:01, closes 10:30;
  // B (S2, topic Beta) 10:10, the owner answers 10:13, closes 10:40;
  // C (S1, no group) 10:20, the owner answers 10:27, tags it "vip" at 10:28, closes 10:50.
  let s: Script;
  let s2: { id: string; publicKey: string };
  let alpha: string;
  let beta: string;
  let vip: string;
  beforeAll(async () => {
    s = await Script.open("G22");
    [s2, alpha, beta] = await s.setup(async () => [await s.site("Second shop"), await s.group("Alpha", [s.agent]), await s.group("Beta", [s.owner])] as const);
    const a = s.customer();
    const b = s.customer(s2.publicKey);
    const c = s.customer();
    await s.at("2026-11-05T10:00+02:00", () => a.start("A", "queued", { topic: "Alpha" }));
    await s.at("2026-11-05T10:01+02:00", () => s.reply(s.agent, a));
    await s.at("2026-11-05T10:10+02:00", () => b.start("B", "queued", { topic: "Beta" }));
    await s.at("2026-11-05T10:13+02:00", () => s.reply(s.owner, b));
    await s.at("2026-11-05T10:20+02:00", () => c.start("C", "queued"));
    await s.at("2026-11-05T10:27+02:00", () => s.reply(s.owner, c));
    vip = await s.at("2026-11-05T10:28+02:00", () => s.tag(s.owner, c, "vip"));
    await s.at("2026-11-05T10:30+02:00", () => s.close(s.agent, a));
    await s.at("2026-11-05T10:40+02:00", () => s.close(s.owner, b));
    await s.at("2026-11-05T10:50+02:00", () => s.close(s.owner, c));
    expect(await s.stored(a)).toMatchObject({ groupId: alpha });
    expect(await s.stored(b)).toMatchObject({ groupId: beta });
    expect(await s.stored(c)).toMatchObject({ groupId: null });
    await s.retime();
  });

  const frt = async (filters: Record<string, string>) => (await s.get<Speed>("speed", { ...THU, ...filters })).current.firstResponse;

  it("no filter: 1, 3 and 7 minutes", async () => {
    // p50 = rank ⌈1.5⌉ = 2 → 180 000; p90 = rank ⌈2.7⌉ = 3 → 420 000; mean 660 000 / 3 = 220 000.
    expect.soft(await frt({})).toEqual({ n: 3, min: 60_000, p50: 180_000, mean: 220_000, p90: 420_000, max: 420_000, histogram: [0, 1, 0, 1, 1, 0, 0, 0, 0, 0] });
  });

  it("one filter at a time", async () => {
    expect.soft(await frt({ site: s2.id })).toEqual(one(3 * MIN, 3));
    expect.soft(await frt({ site: s.tenant.siteId })).toEqual({ n: 2, min: 60_000, p50: 60_000, mean: 240_000, p90: 420_000, max: 420_000, histogram: [0, 1, 0, 0, 1, 0, 0, 0, 0, 0] });
    expect.soft(await frt({ group: alpha })).toEqual(one(1 * MIN, 1));
    expect.soft(await frt({ operator: s.owner.id })).toEqual({ n: 2, min: 180_000, p50: 180_000, mean: 300_000, p90: 420_000, max: 420_000, histogram: [0, 0, 0, 1, 1, 0, 0, 0, 0, 0] });
    expect.soft(await frt({ operator: s.agent.id })).toEqual(one(1 * MIN, 1));
    expect.soft(await frt({ tag: vip })).toEqual(one(7 * MIN, 4));
    expect.soft(await frt({ channel: "web" })).toMatchObject({ n: 3 });
    expect.soft(await frt({ channel: "email" })).toEqual(EMPTY);
    expect.soft((await s.get<Load>("load", { ...THU, site: s2.id })).current.started).toEqual([1]);
  });

  it("values of one filter are alternatives; different filters must all hold", async () => {
    expect.soft(await frt({ group: `${alpha},${beta}` })).toEqual({ n: 2, min: 60_000, p50: 60_000, mean: 120_000, p90: 180_000, max: 180_000, histogram: [0, 1, 0, 1, 0, 0, 0, 0, 0, 0] });
    expect.soft(await frt({ site: s.tenant.siteId, operator: s.owner.id })).toEqual(one(7 * MIN, 4));
    expect.soft(await frt({ site: s2.id, group: alpha })).toEqual(EMPTY);
  });

  it("another workspace's group, operator, site or tag: 404 or no data", async () => {
    const other = await createTenant("G22 elsewhere");
    const stranger = await signIn(other.owner.email, other.owner.password);
    const tag = await stranger.request("/api/ops/workbench/tags", { method: "POST", body: JSON.stringify({ name: "vip" }) });
    expect(tag.status).toBe(201);
    const theirTag = ((await tag.json()) as { tag: { id: string } }).tag.id;
    const theirGroup = await addGroup(other.workspaceId, "Theirs", "manual", []);
    for (const filter of [{ group: theirGroup }, { operator: other.ownerId }, { site: other.siteId }, { tag: theirTag }]) {
      const response = await s.raw("/speed", { ...THU, ...filter });
      if (response.status === 200) {
        const v = ((await response.json()) as { current: Speed }).current;
        expect.soft(v.firstResponse, JSON.stringify(filter)).toEqual(EMPTY);
      } else expect.soft(response.status, JSON.stringify(filter)).toBe(404);
    }
  });

  it("who may ask, and what is refused", async () => {
    expect.soft((await s.raw("/speed", THU, s.agent)).status).toBe(403); // a plain operator
    const supervisor = await s.member("supervisor");
    expect.soft((await s.get<Speed>("speed", THU, supervisor)).current.firstResponse.n).toBe(3);
    expect.soft((await s.raw("/speed", { from: "2026-02-30", to: "2026-03-01" })).status).toBe(400);
    expect.soft((await s.raw("/speed", { from: "2026-11-06", to: "2026-11-05" })).status).toBe(400);
    expect.soft((await s.raw("/speed", { from: "2024-11-01", to: "2026-11-05" })).status).toBe(400); // over 731 days
    expect.soft((await s.raw("/nope", THU)).status).toBe(400);
  });
});

describe("G31 working hours per site: a site without hours is always open", () => {
  // S1 has Mon–Fri 09:00–18:00; S2 has no hours. Sat 2026-11-14: A (S1) writes 10:00, answered 10:30, closed 10:40;
  // B (S2) writes 11:00, answered 11:20, closed 11:30.
  let s: Script;
  let s2: { id: string; publicKey: string };
  const SAT = { from: "2026-11-14", to: "2026-11-14", hours: "working" };
  beforeAll(async () => {
    s = await Script.open("G31");
    s2 = await s.setup(async () => {
      await s.siteSettings(s.tenant.siteId, { workingHours: OFFICE });
      return s.site("Always open");
    });
    const [a, b] = [s.customer(), s.customer(s2.publicKey)];
    await s.at("2026-11-14T10:00+02:00", () => a.start("A", "queued"));
    await s.at("2026-11-14T10:30+02:00", () => s.reply(s.agent, a));
    await s.at("2026-11-14T10:40+02:00", () => s.close(s.agent, a));
    await s.at("2026-11-14T11:00+02:00", () => b.start("B", "queued"));
    await s.at("2026-11-14T11:20+02:00", () => s.reply(s.agent, b));
    await s.at("2026-11-14T11:30+02:00", () => s.close(s.agent, b));
    await s.retime();
  });

  it("each duration by its own site's hours", async () => {
    const v = (await s.get<Speed>("speed", SAT)).current;
    // A: Saturday, closed → 0; B: no hours → all 20 min (≤30 min).
    expect.soft(v.firstResponse).toEqual({ n: 2, min: 0, p50: 0, mean: 600_000, p90: 1_200_000, max: 1_200_000, histogram: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0] });
    expect.soft(v.lifetime).toEqual({ n: 2, min: 0, p50: 0, mean: 900_000, p90: 1_800_000, max: 1_800_000, histogram: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0] });
    expect.soft((await s.get<Speed>("speed", { ...SAT, site: s2.id })).current.firstResponse).toEqual(one(20 * MIN, 5));
  });
});

describe("G32 the edges of a period: started one day, ended the next", () => {
  // Mon 2026-11-09 23:50 A writes; 23:55 B writes. Tue 00:05 the agent claims B (and never writes);
  // 00:10 the agent answers A (taking it); 00:15 B closes; 00:30 the agent closes A.
  let s: Script;
  const MON = { from: "2026-11-09", to: "2026-11-09" };
  const TUE = { from: "2026-11-10", to: "2026-11-10" };
  beforeAll(async () => {
    s = await Script.open("G32");
    const [a, b] = [s.customer(), s.customer()];
    await s.at("2026-11-09T23:50+02:00", () => a.start("A", "queued"));
    await s.at("2026-11-09T23:55+02:00", () => b.start("B", "queued"));
    await s.at("2026-11-10T00:05+02:00", () => s.claim(s.agent, b));
    await s.at("2026-11-10T00:10+02:00", () => s.reply(s.agent, a));
    await s.at("2026-11-10T00:15+02:00", () => b.close());
    await s.at("2026-11-10T00:30+02:00", () => s.close(s.agent, a));
    await s.retime();
  });

  it("Monday: two started, nothing ended", async () => {
    const v = (await s.get<Speed>("speed", MON)).current;
    expect.soft(v).toEqual({ firstResponse: EMPTY, queueWait: EMPTY, lifetime: EMPTY, replyTime: EMPTY, abandoned: { waited: 0, left: 0, share: null } });
    expect.soft((await s.get<Load>("load", MON)).current).toMatchObject({ started: [2], closed: [0] });
  });

  it("Tuesday: every duration ended; B, taken but never answered, left", async () => {
    const v = (await s.get<Speed>("speed", TUE)).current;
    expect.soft(v.firstResponse).toEqual(one(20 * MIN, 5)); // A: 23:50 → 00:10
    // B: 23:55 → 00:05 = 600 000 (≤10 min); A: 23:50 → 00:10 = 1 200 000 (≤30 min).
    expect.soft(v.queueWait).toEqual({ n: 2, min: 600_000, p50: 600_000, mean: 900_000, p90: 1_200_000, max: 1_200_000, histogram: [0, 0, 0, 0, 1, 1, 0, 0, 0, 0] });
    // B: 23:55 → 00:15 = 1 200 000 (≤30 min); A: 23:50 → 00:30 = 2 400 000 (≤1 h).
    expect.soft(v.lifetime).toEqual({ n: 2, min: 1_200_000, p50: 1_200_000, mean: 1_800_000, p90: 2_400_000, max: 2_400_000, histogram: [0, 0, 0, 0, 0, 1, 1, 0, 0, 0] });
    // Both waits for a person ended on Tuesday: A with an answer, B with a close before any answer.
    expect.soft(v.abandoned).toEqual({ waited: 2, left: 1, share: 0.5 });
    expect.soft((await s.get<Load>("load", TUE)).current).toMatchObject({ started: [0], closed: [2] });
  });
});

describe("G34 a supervisor hands out chats: from the queue, and away from an operator", () => {
  // Group Desk (agent; picked by hand). Thu 2026-11-05 09:00 the agent and the owner (a supervisor and more) come online.
  // A 10:00 writes (queued in Desk); 10:06 the owner transfers it to the agent; 10:08 the agent answers; 10:20 closes.
  // B 10:30 writes; 10:31 the agent answers (takes it); 10:35 the owner transfers it from the agent to themself;
  // 10:40 the owner writes; 10:50 closes.
  let s: Script;
  let desk: string;
  beforeAll(async () => {
    s = await Script.open("G34");
    desk = await s.setup(() => s.group("Desk", [s.agent]));
    const [a, b] = [s.customer(), s.customer()];
    await s.at("2026-11-05T09:00+02:00", async () => {
      await s.presence(s.agent, "online");
      await s.presence(s.owner, "online");
    });
    await s.at("2026-11-05T10:00+02:00", () => a.start("A", "queued", { topic: "Desk" }));
    await s.at("2026-11-05T10:06+02:00", () => s.transfer(s.owner, a, { operatorId: s.agent.id }));
    await s.at("2026-11-05T10:08+02:00", () => s.reply(s.agent, a));
    await s.at("2026-11-05T10:20+02:00", () => s.close(s.agent, a));
    await s.at("2026-11-05T10:30+02:00", () => b.start("B", "queued", { topic: "Desk" }));
    await s.at("2026-11-05T10:31+02:00", () => s.reply(s.agent, b));
    await s.at("2026-11-05T10:35+02:00", () => s.transfer(s.owner, b, { operatorId: s.owner.id }));
    await s.at("2026-11-05T10:40+02:00", () => s.reply(s.owner, b));
    await s.at("2026-11-05T10:50+02:00", () => s.close(s.owner, b));
    expect(await s.stored(a)).toMatchObject({ groupId: desk, assigneeId: s.agent.id });
    expect(await s.stored(b)).toMatchObject({ groupId: desk, assigneeId: s.owner.id });
    await s.retime();
  });

  it("speed: a transfer to an operator ends the wait", async () => {
    const v = (await s.get<Speed>("speed", THU)).current;
    // A waited 10:00 → 10:06 (transferred to the agent); B 10:30 → 10:31 (answered from the queue).
    expect.soft(v.queueWait).toEqual({ n: 2, min: 60_000, p50: 60_000, mean: 210_000, p90: 360_000, max: 360_000, histogram: [0, 1, 0, 0, 1, 0, 0, 0, 0, 0] });
    // A 10:00 → 10:08 = 480 000; B 10:30 → 10:31 = 60 000.
    expect.soft(v.firstResponse).toEqual({ n: 2, min: 60_000, p50: 60_000, mean: 270_000, p90: 480_000, max: 480_000, histogram: [0, 1, 0, 0, 1, 0, 0, 0, 0, 0] });
  });

  it("teams: a transfer counts on the operator it was taken from, not on who made it; within a group it is not the group's", async () => {
    const t = (await s.get<Teams>("teams", THU)).current;
    expect.soft(teamRow(t.operators, s.agent.id)).toMatchObject({ handled: 1, transfers: 1 }); // B was taken from the agent
    expect.soft(teamRow(t.operators, s.owner.id)).toMatchObject({ handled: 1, transfers: 0 }); // A came from the queue, not from the owner
    expect.soft(teamRow(t.groups, desk)).toMatchObject({ handled: 2, transfers: 0 }); // both stayed in Desk
  });
});
