import type { Automation, Load, Satisfaction, Speed, Teams } from "@tandem/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { csat, Customer, EMPTY, HOUR, localDay, MIN, near, NEVER, NO_CSAT, one, reasonCounts, Script, teamRow } from "./golden-kit";

// The golden table, part 1: the bot and the hand-over (A1, A2, A4, A5).
// Each scenario is built through the widget, the rooms and the operator API
// in its own workspace, re-timed to the timeline in its comment (Kyiv time;
// November is UTC+2), and read back through the analytics API. Every
// expected number is worked out by hand from protocol/src/analytics-definitions.ts.
// Histogram bins (HISTOGRAM_BOUNDS, "up to"): 0 ≤30 s, 1 ≤1 min, 2 ≤2 min,
// 3 ≤5 min, 4 ≤10 min, 5 ≤30 min, 6 ≤1 h, 7 ≤4 h, 8 ≤24 h, 9 above.

const R0 = { asked_for_person: 0, complaint: 0, low_confidence: 0, repeated: 0, off_hours: 0, operator_took_over: 0, other: 0 };
const DELIVERY = "сколько стоит доставка?";

describe("G01 bot alone: answered, closed by the customer, rated 5", () => {
  // Tue 2026-11-03 09:00 asks about delivery, the bot answers; 09:04 the customer closes; 09:05 rates 5, resolved.
  let s: Script;
  const day = { from: "2026-11-03", to: "2026-11-03" };
  beforeAll(async () => {
    s = await Script.open("G01", { bot: {} });
    const c = s.customer();
    await s.at("2026-11-03T09:00+02:00", () => c.start(DELIVERY, "reply"));
    await s.at("2026-11-03T09:04+02:00", () => c.close());
    await s.at("2026-11-03T09:05+02:00", () => c.rate(5, true));
    expect(await s.messageKinds(c)).toEqual(["visitor", "bot", "system"]);
    await s.retime();
  });

  it("automation: resolved alone (closed 34 days before now, never handed over)", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(a).toMatchObject({ withBot: 1, resolvedAlone: 1, handedOff: 0, pending: 0, resolvedAloneShare: 1, handoffShare: 0 });
    expect.soft(reasonCounts(a.reasons)).toEqual(R0);
    // One bot answer, no operator message: 1 / (1 + 0).
    expect.soft(a.messages).toEqual({ bot: 1, human: 0, botShare: 1 });
    expect.soft(a.buckets).toEqual(["2026-11-03"]);
    expect.soft(a.series).toEqual({ withBot: [1], resolvedAlone: [1], handedOff: [0] });
    expect.soft(a.unanswered).toBe(0);
  });

  it("speed: one lifetime of 4 min, nothing handed to people", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.lifetime).toEqual(one(4 * MIN, 3)); // 09:00 → 09:04 = 240 000 ms, ≤5 min
    expect.soft(v.firstResponse).toEqual(EMPTY);
    expect.soft(v.queueWait).toEqual(EMPTY);
    expect.soft(v.replyTime).toEqual(EMPTY);
    expect.soft(v.abandoned).toEqual({ waited: 0, left: 0, share: null });
  });

  it("load: started and closed on Tuesday, 09 h", async () => {
    const l = (await s.get<Load>("load", day)).current;
    expect.soft(l).toMatchObject({ buckets: ["2026-11-03"], started: [1], escalated: [0], closed: [1] });
    expect.soft(l.heatmap[1]![9]).toBe(1); // Tuesday = 1
    expect.soft(l.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("satisfaction: one 5 for the bot alone", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", day)).current;
    expect.soft(v.distribution).toEqual([0, 0, 0, 0, 1]);
    // n = 1, mean 5, share of 4–5 = 1; Wilson(1 of 1) = 1 / (1 + 1.96²) = 0.20654.
    expect.soft(v.csat).toEqual(csat(1, 5, 1, 0.20654));
    expect.soft(v.botAlone).toEqual(csat(1, 5, 1, 0.20654));
    expect.soft(v.withPerson).toEqual(NO_CSAT);
    expect.soft(v).toMatchObject({ responseRate: 1, closed: 1, resolved: { yes: 1, no: 0 } }); // 1 rating / 1 close
  });
});

describe("G02 bot alone, pending: a close under 7 days old, and one still with the bot", () => {
  // Relative to now (real time): A 10 days ago asks, bot answers, closed 3 min later → resolved alone.
  // B 50 h ago, same, closed 3 min later → pending (the 7 days are not over). C 49 h ago asks, bot answers, still open → pending.
  let s: Script;
  let range: { from: string; to: string };
  beforeAll(async () => {
    s = await Script.open("G02", { bot: {} });
    const minute = Math.floor(Date.now() / MIN) * MIN;
    const [a, b, c] = [s.customer(), s.customer(), s.customer()];
    const old = minute - 10 * 24 * HOUR;
    const recent = minute - 50 * HOUR;
    await s.at(old, () => a.start(DELIVERY, "reply"));
    await s.at(old + 3 * MIN, () => a.close());
    await s.at(recent, () => b.start(DELIVERY, "reply"));
    await s.at(recent + 3 * MIN, () => b.close());
    await s.at(minute - 49 * HOUR, () => c.start(DELIVERY, "reply"));
    range = { from: localDay(old, s.zone), to: localDay(minute - 49 * HOUR, s.zone) };
    await s.retime();
  });

  it("automation: 1 resolved, 2 pending of 3", async () => {
    const a = (await s.get<Automation>("automation", range)).current;
    // Shares are of the conversations with the bot: 1/3 resolved alone, 0/3 handed off.
    expect.soft(a).toMatchObject({ withBot: 3, resolvedAlone: 1, pending: 2, handedOff: 0, resolvedAloneShare: near(1 / 3), handoffShare: 0 });
  });
});

describe("G03 bot then person: first response counts from the escalation, not the start", () => {
  // Wed 2026-11-04 09:00 asks about delivery (bot answers, intent "delivery-cost", group Sales);
  // 09:03 "позовите оператора" → escalated; 09:10 the agent claims (the bot greets in their name);
  // 09:12 the agent answers; 09:20 the customer asks again; 09:23 the agent answers; 09:30 the agent closes.
  let s: Script;
  let sales: string;
  const day = { from: "2026-11-04", to: "2026-11-04" };
  beforeAll(async () => {
    s = await Script.open("G03", { bot: {} });
    sales = await s.groupId("Sales");
    const c = s.customer();
    await s.at("2026-11-04T09:00+02:00", () => c.start(DELIVERY, "reply"));
    await s.at("2026-11-04T09:03+02:00", () => c.says("позовите оператора", "queued"));
    await s.at("2026-11-04T09:10+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-04T09:12+02:00", () => s.reply(s.agent, c, "Здравствуйте! По Киеву доставка 60 грн."));
    await s.at("2026-11-04T09:20+02:00", () => c.says("а по области?"));
    await s.at("2026-11-04T09:23+02:00", () => s.reply(s.agent, c, "По области 90 грн."));
    await s.at("2026-11-04T09:30+02:00", () => s.close(s.agent, c));
    expect(await s.reasons(c)).toEqual(["asked for a person"]);
    expect(await s.stored(c)).toMatchObject({ groupId: sales, intentId: await s.intentId("delivery-cost") });
    // answer, "an operator is on the way", the greeting: 3 bot messages; 2 operator messages.
    expect(await s.messageKinds(c)).toEqual(["visitor", "bot", "visitor", "bot", "system", "bot", "operator", "visitor", "operator", "system"]);
    await s.retime();
  });

  it("speed", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.firstResponse).toEqual(one(9 * MIN, 4)); // 09:03 → 09:12 = 540 000 (not 12 min from 09:00)
    expect.soft(v.queueWait).toEqual(one(7 * MIN, 4)); // 09:03 → 09:10 = 420 000
    expect.soft(v.lifetime).toEqual(one(30 * MIN, 5)); // 09:00 → 09:30 = 1 800 000, ≤30 min
    expect.soft(v.replyTime).toEqual(one(3 * MIN, 3)); // 09:20 → 09:23 = 180 000
    expect.soft(v.abandoned).toEqual({ waited: 1, left: 0, share: 0 });
  });

  it("automation: handed over because the customer asked", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(a).toMatchObject({ withBot: 1, resolvedAlone: 0, handedOff: 1, pending: 0, resolvedAloneShare: 0, handoffShare: 1 });
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, asked_for_person: 1 });
    expect.soft(a.reasons.find((r) => r.reason === "asked_for_person")?.share).toBe(1);
    expect.soft(a.messages).toEqual({ bot: 3, human: 2, botShare: near(0.6) }); // 3 / 5
  });

  it("load: started, escalated and closed once", async () => {
    expect.soft((await s.get<Load>("load", day)).current).toMatchObject({ started: [1], escalated: [1], closed: [1] });
  });

  it("teams: the agent and Sales handled it", async () => {
    const t = (await s.get<Teams>("teams", day)).current;
    const row = { handled: 1, firstResponse: { n: 1, p50: 9 * MIN, p90: 9 * MIN }, lifetimeP50: 30 * MIN, transfers: 0, csat: NO_CSAT };
    expect.soft(teamRow(t.operators, s.agent.id)).toEqual(row);
    expect.soft(teamRow(t.groups, sales)).toEqual(row);
  });
});

describe("G04 asked for a person at once", () => {
  // Thu 2026-11-05 10:00 the first message is "позовите оператора" → escalated (no group);
  // 10:06 the agent answers from the queue (takes it; the bot greets); 10:20 the agent closes.
  let s: Script;
  const day = { from: "2026-11-05", to: "2026-11-05" };
  beforeAll(async () => {
    s = await Script.open("G04", { bot: {} });
    const c = s.customer();
    await s.at("2026-11-05T10:00+02:00", () => c.start("позовите оператора", "queued"));
    await s.at("2026-11-05T10:06+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-05T10:20+02:00", () => s.close(s.agent, c));
    expect(await s.reasons(c)).toEqual(["asked for a person"]);
    expect(await s.messageKinds(c)).toEqual(["visitor", "bot", "system", "bot", "operator", "system"]);
    await s.retime();
  });

  it("speed and automation", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.firstResponse).toEqual(one(6 * MIN, 4)); // 10:00 → 10:06
    expect.soft(v.queueWait).toEqual(one(6 * MIN, 4));
    expect.soft(v.lifetime).toEqual(one(20 * MIN, 5));
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, asked_for_person: 1 });
    expect.soft(a.messages).toEqual({ bot: 2, human: 1, botShare: near(2 / 3) }); // on-the-way + greeting vs one answer
  });
});

describe("G05 complaint, then the customer leaves the queue before anyone answers", () => {
  // Fri 2026-11-06 11:00 "это ужасный сервис, буду жаловаться" → escalated (complaint); 11:08 the customer closes.
  let s: Script;
  let c: Customer;
  const day = { from: "2026-11-06", to: "2026-11-06" };
  beforeAll(async () => {
    s = await Script.open("G05", { bot: {} });
    c = s.customer();
    await s.at("2026-11-06T11:00+02:00", () => c.start("это ужасный сервис, буду жаловаться", "queued"));
    await s.at("2026-11-06T11:08+02:00", () => c.close());
    expect(await s.reasons(c)).toEqual(["complaint"]);
    await s.retime();
  });

  it("speed: one who left; a wait ended by a close is not a queue wait", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.abandoned).toEqual({ waited: 1, left: 1, share: 1 });
    expect.soft(v.queueWait).toEqual(EMPTY);
    expect.soft(v.firstResponse).toEqual(EMPTY);
    expect.soft(v.lifetime).toEqual(one(8 * MIN, 4));
    expect.soft(await s.drill({ ...day, drill: "abandoned" })).toEqual([c.id]);
  });

  it("automation: a complaint", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(a).toMatchObject({ withBot: 1, handedOff: 1, resolvedAlone: 0, pending: 0 });
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, complaint: 1 });
    expect.soft(await s.drill({ ...day, drill: "reason:complaint" })).toEqual([c.id]);
  });

  it("satisfaction: negative, with the word that matched", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", day)).current;
    // "ужасный" is the one sentiment word (−1): −1 / (1 + 0.25) = −0.8 < −0.2 → negative.
    expect.soft(v.sentiment).toEqual({ positive: 0, neutral: 0, negative: 1, words: [{ word: "ужасный", sign: -1, count: 1 }] });
  });
});

describe("G06 low confidence: a question the bot does not know", () => {
  // Mon 2026-11-09 12:00 "а вы продаёте билеты на Марс?" → escalated (low confidence), on the Unanswered list;
  // 12:05 the agent claims (a wait of exactly 5 min); 12:05:30 answers; 12:30 closes.
  let s: Script;
  const day = { from: "2026-11-09", to: "2026-11-09" };
  beforeAll(async () => {
    s = await Script.open("G06", { bot: {} });
    const c = s.customer();
    await s.at("2026-11-09T12:00+02:00", () => c.start("а вы продаёте билеты на Марс?", "queued"));
    await s.at("2026-11-09T12:05+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-09T12:05:30+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-09T12:30+02:00", () => s.close(s.agent, c));
    expect((await s.reasons(c))[0]).toMatch(/^low confidence/);
    await s.retime();
  });

  it("speed: bin edges are inclusive ('up to')", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.queueWait).toEqual(one(5 * MIN, 3)); // exactly 300 000 → "up to 5 min"
    expect.soft(v.firstResponse).toEqual(one(5.5 * MIN, 4)); // 330 000
    expect.soft(v.lifetime).toEqual(one(30 * MIN, 5)); // exactly 1 800 000 → "up to 30 min"
  });

  it("automation: low confidence, one unanswered question", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, low_confidence: 1 });
    expect.soft(a.unanswered).toBe(1);
  });
});

describe("G07 two failed answers in a row", () => {
  // Tue 2026-11-10 13:00 "какие способы оплаты есть?" (answered); 13:01 "а как можно оплатить?" (same intent: "Жаль, что не помогло");
  // 13:02 "способы оплаты" → escalated "two failed answers in a row" to Sales; 13:04 the agent answers from the queue; 13:10 closes.
  let s: Script;
  const day = { from: "2026-11-10", to: "2026-11-10" };
  beforeAll(async () => {
    s = await Script.open("G07", { bot: {} });
    const c = s.customer();
    await s.at("2026-11-10T13:00+02:00", () => c.start("какие способы оплаты есть?", "reply"));
    await s.at("2026-11-10T13:01+02:00", () => c.says("а как можно оплатить?", "reply"));
    await s.at("2026-11-10T13:02+02:00", () => c.says("способы оплаты", "queued"));
    await s.at("2026-11-10T13:04+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-10T13:10+02:00", () => s.close(s.agent, c));
    expect(await s.reasons(c)).toEqual(["two failed answers in a row"]);
    expect(await s.messageKinds(c)).toEqual(["visitor", "bot", "visitor", "bot", "visitor", "bot", "system", "bot", "operator", "system"]);
    await s.retime();
  });

  it("speed and automation", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.firstResponse).toEqual(one(2 * MIN, 2)); // 13:02 → 13:04, exactly 2 min
    expect.soft(v.queueWait).toEqual(one(2 * MIN, 2));
    expect.soft(v.lifetime).toEqual(one(10 * MIN, 4)); // exactly 10 min
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, repeated: 1 });
    expect.soft(a.messages).toEqual({ bot: 4, human: 1, botShare: near(0.8) }); // 2 answers + on-the-way + greeting = 4 of 5
    expect.soft(a.unanswered).toBe(1); // the question that failed twice waits on the list
  });
});

describe("G08 off hours: offline requests while the operators are away", () => {
  // Site hours: never open. Fri 2026-11-13 22:00 a customer whose e-mail the pre-chat form has asks for a person →
  // escalated "asked for a person; offline request". 22:10 another asks for a human, is asked for an e-mail,
  // 22:11 gives it → "offline request". Mon 2026-11-16 09:30 the agent answers the first; 09:40 closes it.
  let s: Script;
  const range = { from: "2026-11-13", to: "2026-11-16" };
  beforeAll(async () => {
    s = await Script.open("G08", { bot: {} });
    await s.setup(() => s.siteSettings(s.tenant.siteId, { workingHours: NEVER }));
    const [a, b] = [s.customer(), s.customer()];
    await s.at("2026-11-13T22:00+02:00", async () => {
      await a.contact("early.bird@example.com");
      await a.start("позовите оператора", "queued");
    });
    await s.at("2026-11-13T22:10+02:00", () => b.start("I want to talk to a human", "reply"));
    await s.at("2026-11-13T22:11+02:00", () => b.says("night.owl@example.com", "queued"));
    await s.at("2026-11-16T09:30+02:00", () => s.reply(s.agent, a));
    await s.at("2026-11-16T09:40+02:00", () => s.close(s.agent, a));
    expect(await s.reasons(a)).toEqual(["asked for a person; offline request"]);
    expect(await s.reasons(b)).toEqual(["offline request"]);
    await s.retime();
  });

  it("automation: both are off-hours hand-offs", async () => {
    const a = (await s.get<Automation>("automation", range)).current;
    expect.soft(a).toMatchObject({ withBot: 2, handedOff: 2, resolvedAlone: 0, pending: 0 });
    // An offline request is the off-hours outcome whatever the customer said first: the contact being known
    // beforehand must not move the first one to "asked for a person" while the second counts as off hours.
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, off_hours: 2 });
  });

  it("speed: the night's wait in full", async () => {
    const v = (await s.get<Speed>("speed", range)).current;
    // Fri 22:00 → Mon 09:30 = 2 d 11 h 30 min = 59.5 h = 214 200 000 ms, above 24 h.
    expect.soft(v.firstResponse).toEqual(one(214_200_000, 9));
  });
});

describe("G09 the bot's own hours are over: straight to a person", () => {
  // The bot's hours: never; the operators' hours: always. Tue 2026-11-17 10:00 a question → escalated "bot off hours";
  // 10:02 the agent answers from the queue; 10:10 closes.
  let s: Script;
  const day = { from: "2026-11-17", to: "2026-11-17" };
  beforeAll(async () => {
    s = await Script.open("G09", { bot: { hours: NEVER } });
    const c = s.customer();
    await s.at("2026-11-17T10:00+02:00", () => c.start(DELIVERY, "queued"));
    await s.at("2026-11-17T10:02+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-17T10:10+02:00", () => s.close(s.agent, c));
    expect(await s.reasons(c)).toEqual(["bot off hours"]);
    await s.retime();
  });

  it("automation: off hours", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(a).toMatchObject({ withBot: 1, handedOff: 1 });
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, off_hours: 1 });
    expect.soft((await s.get<Speed>("speed", day)).current.firstResponse).toEqual(one(2 * MIN, 2));
  });
});

describe("G10 an operator takes over from the bot", () => {
  // Wed 2026-11-18 14:00 asks about delivery, the bot answers; 14:02 the agent claims while the bot has it
  // (no escalation); 14:03 answers; 14:15 closes.
  let s: Script;
  const day = { from: "2026-11-18", to: "2026-11-18" };
  beforeAll(async () => {
    s = await Script.open("G10", { bot: {} });
    const c = s.customer();
    await s.at("2026-11-18T14:00+02:00", () => c.start(DELIVERY, "reply"));
    await s.at("2026-11-18T14:02+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-18T14:03+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-18T14:15+02:00", () => s.close(s.agent, c));
    expect(await s.reasons(c)).toEqual([]);
    await s.retime();
  });

  it("speed: first response from the take-over; never queued", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.firstResponse).toEqual(one(1 * MIN, 1)); // 14:02 → 14:03, exactly 1 min
    expect.soft(v.queueWait).toEqual(EMPTY);
    expect.soft(v.lifetime).toEqual(one(15 * MIN, 5));
    expect.soft(v.abandoned).toEqual({ waited: 1, left: 0, share: 0 });
  });

  it("automation and load: a take-over is a hand-off and counts as escalated", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(a).toMatchObject({ withBot: 1, handedOff: 1, resolvedAlone: 0 });
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, operator_took_over: 1 });
    expect.soft((await s.get<Load>("load", day)).current).toMatchObject({ started: [1], escalated: [1], closed: [1] });
  });
});

describe("G11 the bot closed it alone, the customer came back within 7 days", () => {
  // Thu 2026-11-19 10:00 asks about delivery, the bot answers; 10:05 the customer closes (the bot alone).
  // Mon 2026-11-23 11:00 the customer writes again in the same chat → reopened, waits for a person;
  // 11:10 the agent claims; 11:12 answers; 11:20 closes.
  let s: Script;
  const range = { from: "2026-11-19", to: "2026-11-23" };
  beforeAll(async () => {
    s = await Script.open("G11", { bot: {} });
    const c = s.customer();
    await s.at("2026-11-19T10:00+02:00", () => c.start(DELIVERY, "reply"));
    await s.at("2026-11-19T10:05+02:00", () => c.close());
    await s.at("2026-11-23T11:00+02:00", () => c.says("а в Одессу доставляете?", "queued"));
    await s.at("2026-11-23T11:10+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-23T11:12+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-23T11:20+02:00", () => s.close(s.agent, c));
    expect((await s.timeline(c)).map(([type]) => type).filter((t) => t !== "routed")).toEqual(["created", "closed", "reopened", "claimed", "first_reply", "closed"]);
    await s.retime();
  });

  it("automation: not resolved alone (reopened 4 days after the close), handed to people", async () => {
    const a = (await s.get<Automation>("automation", range)).current;
    expect.soft(a).toMatchObject({ withBot: 1, resolvedAlone: 0, handedOff: 1, pending: 0 });
    // No escalation and no take-over from the bot: the customer's return put it in the queue.
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, other: 1 });
  });

  it("speed: the first response counts from the reopen that handed it to people", async () => {
    const v = (await s.get<Speed>("speed", range)).current;
    // The hand-off to people is the reopen at 11:00 (it queued the conversation for a person): 11:00 → 11:12 = 720 000.
    expect.soft(v.firstResponse).toEqual(one(12 * MIN, 5));
    expect.soft(v.queueWait).toEqual(one(10 * MIN, 4)); // 11:00 → 11:10
    // Two cycles: 10:00 → 10:05 and 11:00 → 11:20.
    expect.soft(v.lifetime).toEqual({ n: 2, min: 5 * MIN, p50: 5 * MIN, mean: 12.5 * MIN, p90: 20 * MIN, max: 20 * MIN, histogram: [0, 0, 0, 1, 0, 1, 0, 0, 0, 0] });
    expect.soft(v.replyTime).toEqual(EMPTY); // the 11:00 message came before the first human reply
  });
});

describe("G12 idle close: the customer went quiet after the bot, and after the operator", () => {
  // Idle close after 3 s of real silence (scripted: 30 min). Fri 2026-11-20
  // A: 15:00 asks about delivery, the bot answers; 15:30 the bot closes it for silence.
  // B: 16:00 "позовите оператора" → escalated; 16:05 the agent answers from the queue; 16:35 closed for silence.
  let s: Script;
  const day = { from: "2026-11-20", to: "2026-11-20" };
  beforeAll(async () => {
    s = await Script.open("G12", { bot: { idleCloseMinutes: 0.05, reminderMinutes: 0 } });
    const [a, b] = [s.customer(), s.customer()];
    await s.at("2026-11-20T15:00+02:00", () => a.start(DELIVERY, "reply"));
    await s.at("2026-11-20T15:30+02:00", () => a.closedByTimer());
    await s.at("2026-11-20T16:00+02:00", () => b.start("позовите оператора", "queued"));
    await s.at("2026-11-20T16:05+02:00", () => s.reply(s.agent, b));
    await s.at("2026-11-20T16:35+02:00", () => b.closedByTimer());
    expect(await s.messageKinds(a)).toEqual(["visitor", "bot", "bot", "system"]);
    expect(await s.messageKinds(b)).toEqual(["visitor", "bot", "system", "bot", "operator", "bot", "system"]);
    expect((await s.timeline(a)).find(([type]) => type === "closed")?.[1]).toBe(Date.parse("2026-11-20T15:30+02:00"));
    expect((await s.timeline(b)).find(([type]) => type === "closed")?.[1]).toBe(Date.parse("2026-11-20T16:35+02:00"));
    await s.retime();
  });

  it("speed: two lifetimes", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    // 30 min (≤30 min) and 35 min (≤1 h): p50 = rank ⌈0.5·2⌉ = 1st, p90 = rank 2, mean 32.5 min.
    expect.soft(v.lifetime).toEqual({ n: 2, min: 30 * MIN, p50: 30 * MIN, mean: 32.5 * MIN, p90: 35 * MIN, max: 35 * MIN, histogram: [0, 0, 0, 0, 0, 1, 1, 0, 0, 0] });
    expect.soft(v.firstResponse).toEqual(one(5 * MIN, 3));
    expect.soft(v.abandoned).toEqual({ waited: 1, left: 0, share: 0 });
  });

  it("automation, load and teams", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(a).toMatchObject({ withBot: 2, resolvedAlone: 1, handedOff: 1, pending: 0, resolvedAloneShare: 0.5, handoffShare: 0.5 });
    // Bot: A's answer and close notice (2), B's on-the-way, greeting and close notice (3); operator: 1.
    expect.soft(a.messages).toEqual({ bot: 5, human: 1, botShare: near(5 / 6) });
    expect.soft((await s.get<Load>("load", day)).current).toMatchObject({ started: [2], escalated: [1], closed: [2] });
    const t = (await s.get<Teams>("teams", day)).current;
    expect.soft(teamRow(t.operators, s.agent.id)).toMatchObject({ handled: 1, lifetimeP50: 35 * MIN });
  });
});

describe("G13 the hand-off warning against the previous period", () => {
  // Mon 2026-11-23: two customers ask about delivery, the bot answers, each closes 3 min later.
  // Tue 2026-11-24: one the same; another asks for a person and waits.
  // Hand-off share 0/2 → 1/2: a rise of 50 points.
  let s: Script;
  const day = { from: "2026-11-24", to: "2026-11-24", compare: "1" };
  beforeAll(async () => {
    s = await Script.open("G13", { bot: {} });
    const [a, b, c, d] = [s.customer(), s.customer(), s.customer(), s.customer()];
    await s.at("2026-11-23T10:00+02:00", () => a.start(DELIVERY, "reply"));
    await s.at("2026-11-23T10:03+02:00", () => a.close());
    await s.at("2026-11-23T10:10+02:00", () => b.start(DELIVERY, "reply"));
    await s.at("2026-11-23T10:13+02:00", () => b.close());
    await s.at("2026-11-24T10:00+02:00", () => c.start(DELIVERY, "reply"));
    await s.at("2026-11-24T10:03+02:00", () => c.close());
    await s.at("2026-11-24T10:10+02:00", () => d.start("позовите оператора", "queued"));
    await s.retime();
  });

  const threshold = async (points: number) =>
    expect((await s.owner.request("/api/ops/analytics/settings", { method: "PUT", body: JSON.stringify({ handoffWarnPoints: points }) })).status).toBe(200);

  it("compares with the day before and warns above the threshold (10 points by default)", async () => {
    const answer = await s.get<Automation>("automation", day);
    expect.soft(answer.previous).toEqual({ from: "2026-11-23", to: "2026-11-23" });
    expect.soft(answer.current).toMatchObject({ withBot: 2, resolvedAlone: 1, handedOff: 1, handoffShare: 0.5 });
    expect.soft(answer.before).toMatchObject({ withBot: 2, resolvedAlone: 2, handedOff: 0, handoffShare: 0 });
    expect.soft(answer.current.warning).toEqual({ risePoints: near(50), thresholdPoints: 10 });
  });

  it("warns only on a rise of more than the threshold", async () => {
    await threshold(49);
    expect.soft((await s.get<Automation>("automation", day)).current.warning).toEqual({ risePoints: near(50), thresholdPoints: 49 });
    await threshold(50); // 50 is not more than 50
    expect.soft((await s.get<Automation>("automation", day)).current.warning).toBeNull();
    await threshold(60);
    expect.soft((await s.get<Automation>("automation", day)).current.warning).toBeNull();
  });
});

describe("G14 a workspace without a bot", () => {
  // No knowledge base: the first message goes straight to the queue ("no bot"). Sat 2026-11-21 10:00 the customer writes;
  // 10:07 the agent answers from the queue; 10:15 closes.
  let s: Script;
  const day = { from: "2026-11-21", to: "2026-11-21" };
  beforeAll(async () => {
    s = await Script.open("G14");
    const c = s.customer();
    await s.at("2026-11-21T10:00+02:00", () => c.start("Здравствуйте", "queued"));
    await s.at("2026-11-21T10:07+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-21T10:15+02:00", () => s.close(s.agent, c));
    expect(await s.reasons(c)).toEqual(["no bot"]);
    await s.retime();
  });

  it("speed: the first response counts from the start when no bot took part", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    expect.soft(v.firstResponse).toEqual(one(7 * MIN, 4));
    expect.soft(v.queueWait).toEqual(one(7 * MIN, 4));
  });

  it("automation: the bot took no part", async () => {
    const a = (await s.get<Automation>("automation", day)).current;
    // With no bot configured the bot never had the conversation: nothing to automate, nothing handed over.
    expect.soft(a).toMatchObject({ withBot: 0, resolvedAlone: 0, handedOff: 0, pending: 0, resolvedAloneShare: null, handoffShare: null });
    expect.soft(a.messages).toEqual({ bot: 0, human: 1, botShare: 0 });
  });
});

describe("G37 after the hand-off: transfers and returns are not escalations", () => {
  // Wed 2026-11-25 09:00 the owner comes online. 10:00 the customer asks for a person → escalated (no group);
  // 10:02 the agent claims, 10:03 answers; 10:05 transfers to the group Support; 10:07 the owner claims, 10:08 writes;
  // 10:10 the owner goes offline → back in Support's queue; 10:12 the agent claims; 10:20 closes.
  let s: Script;
  let support: string;
  const day = { from: "2026-11-25", to: "2026-11-25" };
  beforeAll(async () => {
    s = await Script.open("G37", { bot: {} });
    support = await s.groupId("Support");
    const c = s.customer();
    await s.at("2026-11-25T09:00+02:00", () => s.presence(s.owner, "online"));
    await s.at("2026-11-25T10:00+02:00", () => c.start("позовите оператора", "queued"));
    await s.at("2026-11-25T10:02+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-25T10:03+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-25T10:05+02:00", () => s.transfer(s.agent, c, { groupId: support }));
    await s.at("2026-11-25T10:07+02:00", () => s.claim(s.owner, c));
    await s.at("2026-11-25T10:08+02:00", () => s.reply(s.owner, c, "Продолжаю я."));
    await s.at("2026-11-25T10:10+02:00", () => s.presence(s.owner, "offline"));
    expect((await s.stored(c)).status).toBe("queued");
    await s.at("2026-11-25T10:12+02:00", () => s.claim(s.agent, c));
    await s.at("2026-11-25T10:20+02:00", () => s.close(s.agent, c));
    await s.retime();
  });

  it("load and automation: one escalation, one hand-off", async () => {
    expect.soft((await s.get<Load>("load", day)).current).toMatchObject({ started: [1], escalated: [1], closed: [1] });
    const a = (await s.get<Automation>("automation", day)).current;
    expect.soft(a).toMatchObject({ withBot: 1, handedOff: 1 });
    expect.soft(reasonCounts(a.reasons)).toEqual({ ...R0, asked_for_person: 1 });
  });

  it("speed: three queue stints of 2 minutes", async () => {
    const v = (await s.get<Speed>("speed", day)).current;
    // 10:00 → 10:02, 10:05 → 10:07, 10:10 → 10:12.
    expect.soft(v.queueWait).toEqual({ n: 3, min: 2 * MIN, p50: 2 * MIN, mean: 2 * MIN, p90: 2 * MIN, max: 2 * MIN, histogram: [0, 0, 3, 0, 0, 0, 0, 0, 0, 0] });
    expect.soft(v.firstResponse).toEqual(one(3 * MIN, 3));
    expect.soft(v.lifetime).toEqual(one(20 * MIN, 5));
  });

  it("teams", async () => {
    const t = (await s.get<Teams>("teams", day)).current;
    expect.soft(teamRow(t.operators, s.agent.id)).toMatchObject({ handled: 1, transfers: 1 });
    expect.soft(teamRow(t.operators, s.owner.id)).toMatchObject({ handled: 0, transfers: 0 }); // the return is not a transfer
    expect.soft(teamRow(t.groups, support)).toMatchObject({ handled: 1, transfers: 0 });
  });
});
