import type { Satisfaction, Speed, Teams, Topics } from "@tandem/protocol";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../../../scripts/test-kit/clients";
import { csat, Customer, MIN, NO_CSAT, one, Script, teamRow } from "./golden-kit";

// The golden table, part 4: what customers said (A3, A5, A6): ratings and
// their Wilson ranking, "resolved", keyword sentiment, tags and the bot's
// intents. CSAT: n, mean of 1–5, share of 4–5 ("satisfied"), and the
// Wilson lower bound (z = 1.96) of that share:
// (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), worked out by hand for each case below.

describe("G27 ratings: distribution, mean, share of 4–5, resolved, response rate", () => {
  // Tue 2026-11-10: six customers write at 10:00, 10:10 … 10:50; the agent answers each a minute later
  // and closes it 5 minutes after it started. Ratings: 11:00 A 5 resolved, 11:01 B 4 resolved, 11:02 C 3 not,
  // 11:03 D 1 not; E never rates; F rates 5 resolved on Wed 11-11 09:00.
  let s: Script;
  let a: Customer;
  let rated: string[];
  const TUE = { from: "2026-11-10", to: "2026-11-10" };
  const WED = { from: "2026-11-11", to: "2026-11-11" };
  const BOTH = { from: "2026-11-10", to: "2026-11-11" };
  beforeAll(async () => {
    s = await Script.open("G27");
    const people = ["A", "B", "C", "D", "E", "F"].map(() => s.customer());
    a = people[0]!;
    for (const [i, c] of people.entries()) {
      const t = Date.parse("2026-11-10T10:00+02:00") + i * 10 * MIN;
      await s.at(t, () => c.start("вопрос", "queued"));
      await s.at(t + MIN, () => s.reply(s.agent, c));
      await s.at(t + 5 * MIN, () => s.close(s.agent, c));
    }
    const [, b, c, d, , f] = people;
    await s.at("2026-11-10T11:00+02:00", () => a.rate(5, true));
    await s.at("2026-11-10T11:01+02:00", () => b!.rate(4, true));
    await s.at("2026-11-10T11:02+02:00", () => c!.rate(3, false));
    await s.at("2026-11-10T11:03+02:00", () => d!.rate(1, false));
    await s.at("2026-11-11T09:00+02:00", () => f!.rate(5, true));
    rated = [a, b!, c!, d!].map((p) => p.id).sort();
    await s.retime();
  });

  it("Tuesday", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", TUE)).current;
    expect.soft(v.distribution).toEqual([1, 0, 1, 1, 1]);
    // mean (5+4+3+1)/4 = 3.25; satisfied 2/4; Wilson(p=.5, n=4) = (.5 + .4802 − 1.96·√(.0625 + .060025)) / 1.9604 = 0.15004.
    expect.soft(v.csat).toEqual(csat(4, 3.25, 0.5, 0.15004));
    expect.soft(v.withPerson).toEqual(csat(4, 3.25, 0.5, 0.15004));
    expect.soft(v.botAlone).toEqual(NO_CSAT);
    expect.soft(v).toMatchObject({ responseRate: expect.closeTo(4 / 6, 4), closed: 6, resolved: { yes: 2, no: 2 } });
    expect.soft(await s.drill({ ...TUE, drill: "rating:5" })).toEqual([a.id]);
    expect.soft(await s.drill({ ...TUE, drill: "rated" })).toEqual(rated);
    const t = (await s.get<Teams>("teams", TUE)).current;
    expect.soft(teamRow(t.operators, s.agent.id)).toMatchObject({ handled: 6, csat: csat(4, 3.25, 0.5, 0.15004) });
  });

  it("Wednesday: a rating counts when it was given; no closes, no response rate", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", WED)).current;
    expect.soft(v.distribution).toEqual([0, 0, 0, 0, 1]);
    expect.soft(v.csat).toEqual(csat(1, 5, 1, 0.20654)); // Wilson(1 of 1) = 1 / (1 + 3.8416)
    expect.soft(v).toMatchObject({ responseRate: null, closed: 0, resolved: { yes: 1, no: 0 } });
  });

  it("both days", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", BOTH)).current;
    expect.soft(v.distribution).toEqual([1, 0, 1, 1, 2]);
    // mean 18/5 = 3.6; satisfied 3/5; Wilson(p=.6, n=5) = (.6 + .38416 − 1.96·√(.048 + .038416)) / 1.76832 = 0.23072.
    expect.soft(v.csat).toEqual(csat(5, 3.6, 0.6, 0.23072));
    expect.soft(v).toMatchObject({ responseRate: expect.closeTo(5 / 6, 4), closed: 6, resolved: { yes: 3, no: 2 } });
  });
});

describe("G28 Wilson ranking: three 5s rank below ninety ratings averaging 4.8", () => {
  // Thu 2026-11-12 from 08:00, a conversation every 5 minutes: written, taken and answered by an operator a minute
  // later, closed at +3 min, rated at +4 min. The agent gets three (5, 5, 5); the owner ninety (81 × 5, 9 × 3).
  let s: Script;
  const DAY = { from: "2026-11-12", to: "2026-11-12" };
  beforeAll(async () => {
    s = await Script.open("G28");
    const plan = [
      ...Array.from({ length: 3 }, () => ({ who: s.agent, rating: 5 })),
      ...Array.from({ length: 81 }, () => ({ who: s.owner, rating: 5 })),
      ...Array.from({ length: 9 }, () => ({ who: s.owner, rating: 3 })),
    ];
    const start = Date.parse("2026-11-12T08:00+02:00");
    const build = async ({ who, rating }: (typeof plan)[number], i: number) => {
      const c = s.customer();
      const t = start + i * 5 * MIN;
      await s.atFor(c, t, () => c.start());
      await s.atFor(c, t + MIN, () => s.reply(who, c));
      await s.atFor(c, t + 3 * MIN, () => s.close(who, c));
      await s.atFor(c, t + 4 * MIN, () => c.rate(rating, true));
    };
    // Eight customers at a time; each one's own steps in order.
    for (let i = 0; i < plan.length; i += 8) await Promise.all(plan.slice(i, i + 8).map((p, j) => build(p, i + j)));
    await s.retime();
  }, 300_000);

  it("teams: the owner's 4.8 outranks the agent's perfect three", async () => {
    const t = (await s.get<Teams>("teams", DAY)).current;
    const agent = teamRow(t.operators, s.agent.id);
    const owner = teamRow(t.operators, s.owner.id);
    // Three 5s: p = 1, n = 3: (1 + 0.64027 − 1.96·√(0.10671)) / 2.28053 = 0.43849.
    expect.soft(agent).toMatchObject({ handled: 3, csat: csat(3, 5, 1, 0.43849) });
    // 81 × 5 + 9 × 3: mean 432/90 = 4.8, p = 0.9, n = 90: (0.9 + 0.021342 − 1.96·√(0.001 + 0.00011857)) / 1.042684 = 0.82076.
    expect.soft(owner).toMatchObject({ handled: 90, csat: csat(90, 4.8, 0.9, 0.82076) });
    expect.soft(owner.csat.wilson!).toBeGreaterThan(agent.csat.wilson!);
    expect.soft(agent.csat.mean!).toBeGreaterThan(owner.csat.mean!); // while the mean alone says the opposite
  });

  it("satisfaction: all 93", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", DAY)).current;
    expect.soft(v.distribution).toEqual([0, 0, 9, 0, 84]);
    // mean (84·5 + 9·3)/93 = 447/93 = 4.80645; p = 84/93 = 0.90323; Wilson(84 of 93) = 0.82621.
    expect.soft(v.csat).toEqual(csat(93, 447 / 93, 84 / 93, 0.82621));
    expect.soft(v).toMatchObject({ responseRate: 1, closed: 93, resolved: { yes: 93, no: 0 } });
  });
});

describe("G29 keyword sentiment per conversation, and the words that matched", () => {
  // Fri 2026-11-13: A "спасибо, всё круто" (10:00); B "ужасно медленно" (10:10); C "спасибо" (10:20) then "ужасно" (10:21);
  // D "добрый день, есть вопрос" (10:30), no sentiment word at all.
  let s: Script;
  let people: Customer[];
  const DAY = { from: "2026-11-13", to: "2026-11-13" };
  beforeAll(async () => {
    s = await Script.open("G29");
    people = [s.customer(), s.customer(), s.customer(), s.customer()];
    const [a, b, c, d] = people as [Customer, Customer, Customer, Customer];
    await s.at("2026-11-13T10:00+02:00", () => a.start("спасибо, всё круто", "queued"));
    await s.at("2026-11-13T10:10+02:00", () => b.start("ужасно медленно", "queued"));
    await s.at("2026-11-13T10:20+02:00", () => c.start("спасибо", "queued"));
    await s.at("2026-11-13T10:21+02:00", () => c.says("ужасно"));
    await s.at("2026-11-13T10:30+02:00", () => d.start("добрый день, есть вопрос", "queued"));
    // The room's scores, as the scenario needs them: two words of one sign → ±2/2.25; +0.8 and −0.8 → 0; none → null.
    const scores = await Promise.all(
      people.map(async (p) => (await database().all<{ v: number | null }>(sql`SELECT sentiment AS v FROM conversations WHERE id = ${p.id}`))[0]!.v),
    );
    expect(scores).toEqual([expect.closeTo(2 / 2.25, 4), expect.closeTo(-2 / 2.25, 4), expect.closeTo(0, 6), null]);
    await s.retime();
  });

  it("one positive, one neutral, one negative; a conversation without sentiment words is none of them", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", DAY)).current.sentiment;
    // A 0.89 > 0.2; B −0.89 < −0.2; C 0 is between; D has no score.
    expect.soft({ positive: v.positive, neutral: v.neutral, negative: v.negative }).toEqual({ positive: 1, neutral: 1, negative: 1 });
    const byCount = (list: typeof v.words) => [...list].sort((x, y) => y.count - x.count || x.word.localeCompare(y.word));
    expect.soft(byCount(v.words)).toEqual([
      { word: "спасибо", sign: 1, count: 2 },
      { word: "ужасно", sign: -1, count: 2 },
      { word: "круто", sign: 1, count: 1 },
      { word: "медленно", sign: -1, count: 1 },
    ]);
    expect.soft(v.words.map((w) => w.count)).toEqual([2, 2, 1, 1]); // most frequent first
  });

  it("drills to those conversations", async () => {
    const [a, b, c] = people as [Customer, Customer, Customer];
    expect.soft(await s.drill({ ...DAY, drill: "sentiment:positive" })).toEqual([a.id]);
    expect.soft(await s.drill({ ...DAY, drill: "sentiment:negative" })).toEqual([b.id]);
    expect.soft(await s.drill({ ...DAY, drill: "sentiment:neutral" })).toEqual([c.id]);
  });
});

describe("G30 topics: tags and the bot's intents", () => {
  // Mon 2026-11-16, a workspace with the demo knowledge base.
  // A 10:00 asks about delivery (intent delivery-cost), the bot answers; 10:01 tagged Billing; 10:02 closes; 10:03 rates 5.
  // B 10:10 asks about payment (payment-methods); 10:11 asks for a person; 10:15 the agent answers; 10:16 tagged Billing and Bug;
  //   10:20 the agent closes; 10:21 B rates 2, not resolved.
  // C 10:30 asks about delivery; 10:31 asks for a person; 10:41 the agent answers; 10:45 closes.
  let s: Script;
  let billing: string;
  let bug: string;
  let delivery: string;
  let payment: string;
  let ids: string[];
  const DAY = { from: "2026-11-16", to: "2026-11-16" };
  beforeAll(async () => {
    s = await Script.open("G30", { bot: {} });
    [delivery, payment] = [await s.intentId("delivery-cost"), await s.intentId("payment-methods")];
    const [a, b, c] = [s.customer(), s.customer(), s.customer()];
    await s.at("2026-11-16T10:00+02:00", () => a.start("сколько стоит доставка?", "reply"));
    billing = await s.at("2026-11-16T10:01+02:00", () => s.tag(s.agent, a, "Billing"));
    await s.at("2026-11-16T10:02+02:00", () => a.close());
    await s.at("2026-11-16T10:03+02:00", () => a.rate(5, true));
    await s.at("2026-11-16T10:10+02:00", () => b.start("какие способы оплаты есть?", "reply"));
    await s.at("2026-11-16T10:11+02:00", () => b.says("позовите оператора", "queued"));
    await s.at("2026-11-16T10:15+02:00", () => s.reply(s.agent, b));
    bug = await s.at("2026-11-16T10:16+02:00", async () => {
      await s.tag(s.agent, b, "Billing");
      return s.tag(s.agent, b, "Bug");
    });
    await s.at("2026-11-16T10:20+02:00", () => s.close(s.agent, b));
    await s.at("2026-11-16T10:21+02:00", () => b.rate(2, false));
    await s.at("2026-11-16T10:30+02:00", () => c.start("сколько стоит доставка?", "reply"));
    await s.at("2026-11-16T10:31+02:00", () => c.says("позовите оператора", "queued"));
    await s.at("2026-11-16T10:41+02:00", () => s.reply(s.agent, c));
    await s.at("2026-11-16T10:45+02:00", () => s.close(s.agent, c));
    expect((await s.stored(a)).intentId).toBe(delivery);
    expect((await s.stored(b)).intentId).toBe(payment);
    expect((await s.stored(c)).intentId).toBe(delivery);
    ids = [a.id, b.id, c.id];
    await s.retime();
  });

  it("by tag", async () => {
    const t = (await s.get<Topics>("topics", DAY)).current;
    expect.soft(t.buckets).toEqual(["2026-11-16"]);
    // Billing: A and B; first responses: B's 4 min only (A never went to a person); ratings 5 and 2.
    // Wilson(1 of 2) = (.5 + .9604 − 1.96·√(.125 + .240100)) / 2.9208 = 0.09453.
    expect.soft(t.tags.find((r) => r.id === billing)).toMatchObject({ name: "Billing", count: 2, series: [2], firstResponseP50: 4 * MIN, csat: csat(2, 3.5, 0.5, 0.09453) });
    // Bug: B alone; rating 2: share 0, Wilson 0.
    expect.soft(t.tags.find((r) => r.id === bug)).toMatchObject({ name: "Bug", count: 1, series: [1], firstResponseP50: 4 * MIN, csat: csat(1, 2, 0, 0) });
  });

  it("by the bot's intent", async () => {
    const t = (await s.get<Topics>("topics", DAY)).current;
    // Delivery cost: A and C; first response C's 10 min (10:31 → 10:41); rating A's 5.
    expect.soft(t.intents.find((r) => r.id === delivery)).toMatchObject({ name: "Delivery cost", count: 2, series: [2], firstResponseP50: 10 * MIN, csat: csat(1, 5, 1, 0.20654) });
    expect.soft(t.intents.find((r) => r.id === payment)).toMatchObject({ name: "Payment methods", count: 1, series: [1], firstResponseP50: 4 * MIN, csat: csat(1, 2, 0, 0) });
  });

  it("satisfaction split: the bot alone and with a person", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", DAY)).current;
    expect.soft(v.botAlone).toEqual(csat(1, 5, 1, 0.20654));
    expect.soft(v.withPerson).toEqual(csat(1, 2, 0, 0));
    expect.soft(v.csat).toEqual(csat(2, 3.5, 0.5, 0.09453));
  });

  it("tag filter, drills", async () => {
    expect.soft((await s.get<Speed>("speed", { ...DAY, tag: billing })).current.firstResponse).toEqual(one(4 * MIN, 3));
    // B has both tags: still one conversation.
    expect.soft((await s.get<Speed>("speed", { ...DAY, tag: `${billing},${bug}` })).current.firstResponse).toEqual(one(4 * MIN, 3));
    expect.soft((await s.get<Speed>("speed", DAY)).current.firstResponse.n).toBe(2);
    expect.soft(await s.drill({ ...DAY, drill: `tag:${bug}` })).toEqual([ids[1]]);
    expect.soft(await s.drill({ ...DAY, drill: `intent:${delivery}` })).toEqual([ids[0], ids[2]].sort());
  });
});

describe("G35 sentiment: words that cancel out, and a capital letter", () => {
  // Tue 2026-11-17: A "спасибо, но это ужасно" (10:00) — one word each way, a score of 0; B "Спасибо!" (10:10).
  let s: Script;
  let a: Customer;
  let b: Customer;
  const DAY = { from: "2026-11-17", to: "2026-11-17" };
  beforeAll(async () => {
    s = await Script.open("G35");
    [a, b] = [s.customer(), s.customer()];
    await s.at("2026-11-17T10:00+02:00", () => a.start("спасибо, но это ужасно", "queued"));
    await s.at("2026-11-17T10:10+02:00", () => b.start("Спасибо!", "queued"));
    await s.retime();
  });

  it("A matched two words and scores 0: neutral; both words are listed, the capital one with its lower-case form", async () => {
    const v = (await s.get<Satisfaction>("satisfaction", DAY)).current.sentiment;
    // A: (+1 − 1) / 2.25 = 0, between −0.2 and 0.2; B: +1 / 1.25 = 0.8.
    expect.soft({ positive: v.positive, neutral: v.neutral, negative: v.negative }).toEqual({ positive: 1, neutral: 1, negative: 0 });
    expect.soft(v.words).toEqual([
      { word: "спасибо", sign: 1, count: 2 },
      { word: "ужасно", sign: -1, count: 1 },
    ]);
    expect.soft(await s.drill({ ...DAY, drill: "sentiment:neutral" })).toEqual([a.id]);
    expect.soft(await s.drill({ ...DAY, drill: "sentiment:positive" })).toEqual([b.id]);
  });
});
