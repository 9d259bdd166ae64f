import type { Load, Speed } from "@tandem/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { heatCells, localDay, MIN, near, one, Script } from "./golden-kit";

// The golden table, part 3: time itself (A2): days, weeks and months in the
// workspace's zone across daylight-saving changes, the weekday × hour heat
// map, the previous period, and presence per day. Workspaces without a bot.
// Europe/Kyiv: UTC+3 in summer, UTC+2 in winter; 2026-10-25 04:00 → 03:00
// (a 25-hour day), 2026-03-29 03:00 → 04:00 (a 23-hour day).

const H = 3_600_000;

describe("G23 the autumn change: a 25-hour day", () => {
  // Sat 2026-10-24 20:00 the agent comes online. a: Sat 23:30 writes, 23:40 answered, Sun 00:40 closed.
  // b: Sun 00:30. 02:00 the agent goes away. c: Sun 03:30 (the first, summer 03:30) writes, 03:35 answered,
  // closed at 03:10 winter time (40 min later). d: 03:30 winter time (the second 03:30). 12:00 the agent goes offline.
  // e: Sun 23:30. f: Mon 2026-10-26 00:30.
  let s: Script;
  let people: Record<"a" | "b" | "c" | "d" | "e" | "f", string>;
  const range = { from: "2026-10-24", to: "2026-10-26" };
  beforeAll(async () => {
    s = await Script.open("G23");
    const [a, b, c, d, e, f] = [s.customer(), s.customer(), s.customer(), s.customer(), s.customer(), s.customer()];
    await s.at("2026-10-24T20:00+03:00", () => s.presence(s.agent, "online"));
    await s.at("2026-10-24T23:30+03:00", () => a.start("a", "queued"));
    await s.at("2026-10-24T23:40+03:00", () => s.reply(s.agent, a));
    await s.at("2026-10-25T00:30+03:00", () => b.start("b", "queued"));
    await s.at("2026-10-25T00:40+03:00", () => s.close(s.agent, a));
    await s.at("2026-10-25T02:00+03:00", () => s.presence(s.agent, "away"));
    await s.at("2026-10-25T03:30+03:00", () => c.start("c", "queued"));
    await s.at("2026-10-25T03:35+03:00", () => s.reply(s.agent, c));
    await s.at("2026-10-25T03:10+02:00", () => s.close(s.agent, c));
    await s.at("2026-10-25T03:30+02:00", () => d.start("d", "queued"));
    await s.at("2026-10-25T12:00+02:00", () => s.presence(s.agent, "offline"));
    await s.at("2026-10-25T23:30+02:00", () => e.start("e", "queued"));
    await s.at("2026-10-26T00:30+02:00", () => f.start("f", "queued"));
    people = { a: a.id, b: b.id, c: c.id, d: d.id, e: e.id, f: f.id };
    await s.retime();
  });

  it("days and the heat map in local time", async () => {
    const l = (await s.get<Load>("load", range)).current;
    expect.soft(l.buckets).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
    expect.soft(l.started).toEqual([1, 4, 1]); // b, c, d, e on Sunday
    expect.soft(l.closed).toEqual([0, 2, 0]);
    // Sat 23 h: a; Sun 0 h: b; Sun 3 h: c and d (the hour that happened twice); Sun 23 h: e; Mon 0 h: f.
    expect.soft(heatCells(l.heatmap)).toEqual(["0:0=1", "5:23=1", "6:0=1", "6:3=2", "6:23=1"]);
  });

  it("presence over the long day", async () => {
    const l = (await s.get<Load>("load", range)).current;
    // Sat: offline 00:00–20:00 (20 h), online 20:00–24:00 (4 h).
    // Sun (25 h): online 00:00–02:00 (2 h), away 02:00 summer → 12:00 winter (11 h), offline 12:00–24:00 (12 h).
    expect.soft(l.operators.find((o) => o.id === s.agent.id)).toMatchObject({
      days: [
        { day: "2026-10-24", online: 4 * H, away: 0, offline: 20 * H },
        { day: "2026-10-25", online: 2 * H, away: 11 * H, offline: 12 * H },
        { day: "2026-10-26", online: 0, away: 0, offline: 24 * H },
      ],
      online: 6 * H,
      away: 11 * H,
      handled: 2, // a and c, closed on Sunday
      perOnlineHour: near(2 / 6),
    });
    expect.soft(l.operators.find((o) => o.id === s.owner.id)?.days).toEqual([
      { day: "2026-10-24", online: 0, away: 0, offline: 24 * H },
      { day: "2026-10-25", online: 0, away: 0, offline: 25 * H },
      { day: "2026-10-26", online: 0, away: 0, offline: 24 * H },
    ]);
  });

  it("durations across the change are real time", async () => {
    const v = (await s.get<Speed>("speed", range)).current;
    // a: 23:30 → 00:40 = 70 min (≤4 h); c: 03:30 summer → 03:10 winter = 40 min (≤1 h).
    expect.soft(v.lifetime).toEqual({ n: 2, min: 40 * MIN, p50: 40 * MIN, mean: 55 * MIN, p90: 70 * MIN, max: 70 * MIN, histogram: [0, 0, 0, 0, 0, 0, 1, 1, 0, 0] });
    expect.soft(v.firstResponse).toEqual({ n: 2, min: 5 * MIN, p50: 5 * MIN, mean: 7.5 * MIN, p90: 10 * MIN, max: 10 * MIN, histogram: [0, 0, 0, 1, 1, 0, 0, 0, 0, 0] });
    expect.soft((await s.get<Speed>("speed", { from: "2026-10-24", to: "2026-10-24" })).current.firstResponse).toEqual(one(10 * MIN, 4));
  });

  it("the long day alone, and by week", async () => {
    const sunday = (await s.get<Load>("load", { from: "2026-10-25", to: "2026-10-25" })).current;
    expect.soft(sunday.started).toEqual([4]);
    expect.soft(heatCells(sunday.heatmap)).toEqual(["6:0=1", "6:3=2", "6:23=1"]);
    const weeks = (await s.get<Load>("load", { ...range, groupBy: "week" })).current;
    // Sat and Sun are in the week of Mon 10-19; Mon 10-26 starts the next.
    expect.soft(weeks).toMatchObject({ buckets: ["2026-10-19", "2026-10-26"], started: [5, 1], closed: [2, 0] });
  });

  it("drills to the conversations of a day, a week, a heat-map cell and a histogram bin", async () => {
    const { a, b, c, d, e } = people;
    expect.soft(await s.drill({ ...range, drill: "series:started:2026-10-25" })).toEqual([b, c, d, e].sort());
    expect.soft(await s.drill({ ...range, groupBy: "week", drill: "series:started:2026-10-19" })).toEqual([a, b, c, d, e].sort());
    expect.soft(await s.drill({ ...range, drill: "heat:6:3" })).toEqual([c, d].sort());
    expect.soft(await s.drill({ ...range, drill: "hist:lifetime:6" })).toEqual([c]); // 40 min
    expect.soft(await s.drill({ ...range, drill: "hist:lifetime:7" })).toEqual([a]); // 70 min
  });
});

describe("G24 the spring change: a 23-hour day", () => {
  // k: Sat 2026-03-28 23:45. Sun 01:00 the agent comes online. g: Sun 02:30 (winter) writes, 02:35 answered,
  // closed 04:10 summer time (40 min later). h: 04:30. 05:00 the agent goes offline. i: Sun 23:30. j: Mon 2026-03-30 00:15.
  let s: Script;
  const range = { from: "2026-03-28", to: "2026-03-30" };
  beforeAll(async () => {
    s = await Script.open("G24");
    const [k, g, h, i, j] = [s.customer(), s.customer(), s.customer(), s.customer(), s.customer()];
    await s.at("2026-03-28T23:45+02:00", () => k.start("k", "queued"));
    await s.at("2026-03-29T01:00+02:00", () => s.presence(s.agent, "online"));
    await s.at("2026-03-29T02:30+02:00", () => g.start("g", "queued"));
    await s.at("2026-03-29T02:35+02:00", () => s.reply(s.agent, g));
    await s.at("2026-03-29T04:10+03:00", () => s.close(s.agent, g));
    await s.at("2026-03-29T04:30+03:00", () => h.start("h", "queued"));
    await s.at("2026-03-29T05:00+03:00", () => s.presence(s.agent, "offline"));
    await s.at("2026-03-29T23:30+03:00", () => i.start("i", "queued"));
    await s.at("2026-03-30T00:15+03:00", () => j.start("j", "queued"));
    await s.retime();
  });

  it("days, the heat map and presence", async () => {
    const l = (await s.get<Load>("load", range)).current;
    expect.soft(l).toMatchObject({ buckets: ["2026-03-28", "2026-03-29", "2026-03-30"], started: [1, 3, 1], closed: [0, 1, 0] });
    expect.soft(heatCells(l.heatmap)).toEqual(["0:0=1", "5:23=1", "6:2=1", "6:4=1", "6:23=1"]);
    // Sun (23 h): offline 00:00–01:00 (1 h), online 01:00 → 05:00 summer (3 h), offline 05:00–24:00 (19 h).
    expect.soft(l.operators.find((o) => o.id === s.agent.id)).toMatchObject({
      days: [
        { day: "2026-03-28", online: 0, away: 0, offline: 24 * H },
        { day: "2026-03-29", online: 3 * H, away: 0, offline: 20 * H },
        { day: "2026-03-30", online: 0, away: 0, offline: 24 * H },
      ],
      online: 3 * H,
      handled: 1,
      perOnlineHour: near(1 / 3),
    });
  });

  it("durations and a month bucket", async () => {
    const v = (await s.get<Speed>("speed", range)).current;
    expect.soft(v.lifetime).toEqual(one(40 * MIN, 6)); // 02:30 winter → 04:10 summer
    expect.soft(v.firstResponse).toEqual(one(5 * MIN, 3));
    expect.soft((await s.get<Load>("load", { ...range, groupBy: "month" })).current).toMatchObject({ buckets: ["2026-03-01"], started: [5] });
  });
});

describe("G25 weeks, months and the previous period", () => {
  // One conversation at 12:00 on Wed 11-11, Thu 11-12, Fri 11-20, Mon 11-23, Sun 11-29, Mon 11-30; two on Tue 12-01.
  let s: Script;
  const range = { from: "2026-11-22", to: "2026-12-01" };
  beforeAll(async () => {
    s = await Script.open("G25");
    for (const when of ["2026-11-11", "2026-11-12", "2026-11-20", "2026-11-23", "2026-11-29", "2026-11-30", "2026-12-01"]) {
      await s.at(`${when}T12:00+02:00`, () => s.customer().start("hi", "queued"));
    }
    await s.at("2026-12-01T12:30+02:00", () => s.customer().start("hi", "queued"));
    await s.retime();
  });

  it("by day, week and month", async () => {
    const days = (await s.get<Load>("load", range)).current;
    expect.soft(days.buckets).toEqual(["2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"]);
    expect.soft(days.started).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 1, 2]);
    // Sun 11-22 is in the week of Mon 11-16; 11-23…11-29; 11-30…
    expect.soft((await s.get<Load>("load", { ...range, groupBy: "week" })).current).toMatchObject({ buckets: ["2026-11-16", "2026-11-23", "2026-11-30"], started: [0, 2, 3] });
    expect.soft((await s.get<Load>("load", { ...range, groupBy: "month" })).current).toMatchObject({ buckets: ["2026-11-01", "2026-12-01"], started: [3, 2] });
  });

  it("compared with the 10 days before", async () => {
    const answer = await s.get<Load>("load", { ...range, compare: "1" });
    expect.soft(answer.previous).toEqual({ from: "2026-11-12", to: "2026-11-21" });
    expect.soft(answer.before?.buckets).toEqual(["2026-11-12", "2026-11-13", "2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"]);
    expect.soft(answer.before?.started).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 0]); // 11-11 is outside both
    expect.soft(answer.current.started).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 1, 2]);
    const weeks = await s.get<Load>("load", { ...range, compare: "1", groupBy: "week" });
    expect.soft(weeks.before).toMatchObject({ buckets: ["2026-11-09", "2026-11-16"], started: [1, 1] });
    const plain = await s.get<Load>("load", range);
    expect.soft({ previous: plain.previous, before: plain.before }).toEqual({ previous: null, before: null });
  });
});

describe("G26 presence: away spells, and the presence carried in from the day before", () => {
  // Wed 2026-11-18 20:00 the agent comes online and stays so overnight. Thu 11-19: 08:00 away, 09:00 online,
  // 12:00 away, 13:00 online, 18:00 offline. Meanwhile four customers write (09:10, 10:00, 14:00, 15:00),
  // each answered 5 min later and closed 20 min after writing.
  let s: Script;
  beforeAll(async () => {
    s = await Script.open("G26");
    const spell = async (start: string) => {
      const c = s.customer();
      const t = Date.parse(`2026-11-19T${start}:00+02:00`);
      await s.at(t, () => c.start("привет", "queued"));
      await s.at(t + 5 * MIN, () => s.reply(s.agent, c));
      await s.at(t + 20 * MIN, () => s.close(s.agent, c));
    };
    await s.at("2026-11-18T20:00+02:00", () => s.presence(s.agent, "online"));
    await s.at("2026-11-19T08:00+02:00", () => s.presence(s.agent, "away"));
    await s.at("2026-11-19T09:00+02:00", () => s.presence(s.agent, "online"));
    await spell("09:10");
    await spell("10:00");
    await s.at("2026-11-19T12:00+02:00", () => s.presence(s.agent, "away"));
    await s.at("2026-11-19T13:00+02:00", () => s.presence(s.agent, "online"));
    await spell("14:00");
    await spell("15:00");
    await s.at("2026-11-19T18:00+02:00", () => s.presence(s.agent, "offline"));
    await s.retime();
  });

  it("one day: it starts online, as the agent was at midnight", async () => {
    const l = (await s.get<Load>("load", { from: "2026-11-19", to: "2026-11-19" })).current;
    // Online 00:00–08:00, 09:00–12:00, 13:00–18:00 = 16 h; away 08–09, 12–13 = 2 h; offline 18:00–24:00 = 6 h.
    expect.soft(l.operators.find((o) => o.id === s.agent.id)).toMatchObject({
      days: [{ day: "2026-11-19", online: 16 * H, away: 2 * H, offline: 6 * H }],
      online: 16 * H,
      away: 2 * H,
      handled: 4,
      perOnlineHour: near(0.25), // 4 / 16 h
    });
  });

  it("two days", async () => {
    const l = (await s.get<Load>("load", { from: "2026-11-18", to: "2026-11-19" })).current;
    expect.soft(l.operators.find((o) => o.id === s.agent.id)).toMatchObject({
      days: [
        { day: "2026-11-18", online: 4 * H, away: 0, offline: 20 * H },
        { day: "2026-11-19", online: 16 * H, away: 2 * H, offline: 6 * H },
      ],
      online: 20 * H,
      away: 2 * H,
      handled: 4,
      perOnlineHour: near(0.2), // 4 / 20 h
    });
    // The team's figure: everyone's handled over everyone's online hours (the agent is the only one online here).
    const others = l.operators.filter((o) => o.id !== s.agent.id);
    expect.soft(others.every((o) => o.online === 0 && o.handled === 0)).toBe(true);
    expect.soft(l.perOnlineHour).toEqual(near(0.2));
  });
});

describe("G33 the workspace's time zone decides the days and hours", () => {
  // A Thu 2026-11-05 23:30 Kyiv (21:30 UTC), B Fri 11-06 01:00 Kyiv (Thu 23:00 UTC), C Fri 12:00 Kyiv (10:00 UTC).
  let s: Script;
  const range = { from: "2026-11-05", to: "2026-11-06" };
  beforeAll(async () => {
    s = await Script.open("G33");
    await s.at("2026-11-05T23:30+02:00", () => s.customer().start("A", "queued"));
    await s.at("2026-11-06T01:00+02:00", () => s.customer().start("B", "queued"));
    await s.at("2026-11-06T12:00+02:00", () => s.customer().start("C", "queued"));
    await s.retime();
  });

  const zone = async (timeZone: string) =>
    expect((await s.owner.request("/api/ops/analytics/settings", { method: "PUT", body: JSON.stringify({ timeZone }) })).status).toBe(200);

  it("Kyiv, UTC, New York", async () => {
    let answer = await s.get<Load>("load", range);
    expect.soft(answer.timeZone).toBe("Europe/Kyiv");
    expect.soft(answer.current.started).toEqual([1, 2]);
    expect.soft(heatCells(answer.current.heatmap)).toEqual(["3:23=1", "4:1=1", "4:12=1"]); // Thu 23 h; Fri 1 h, 12 h
    await zone("UTC");
    answer = await s.get<Load>("load", range);
    expect.soft(answer.timeZone).toBe("UTC");
    expect.soft(answer.current.started).toEqual([2, 1]);
    expect.soft(heatCells(answer.current.heatmap)).toEqual(["3:21=1", "3:23=1", "4:10=1"]);
    await zone("America/New_York"); // EST, UTC−5, since 2026-11-01
    answer = await s.get<Load>("load", range);
    expect.soft(answer.current.started).toEqual([2, 1]);
    expect.soft(heatCells(answer.current.heatmap)).toEqual(["3:16=1", "3:18=1", "4:5=1"]);
  });
});

describe("G36 presence today: only the time that has passed", () => {
  // Relative to now: the agent came online two hours ago (or at 00:10 today, if that is later) and still is.
  let s: Script;
  let today: string;
  let midnight: number;
  let since: number;
  let now: number;
  beforeAll(async () => {
    s = await Script.open("G36");
    now = Date.now();
    today = localDay(now, s.zone);
    const offset = new Intl.DateTimeFormat("en", { timeZone: s.zone, timeZoneName: "longOffset" }).formatToParts(now).find((p) => p.type === "timeZoneName")!.value.slice(3);
    midnight = Date.parse(`${today}T00:00${offset || "Z"}`);
    since = Math.max(midnight + 10 * MIN, Math.floor((now - 2 * H) / MIN) * MIN);
    await s.at(since, () => s.presence(s.agent, "online"));
    await s.retime();
  });

  it("online since then, offline before, and nothing for the hours still to come", async () => {
    const l = (await s.get<Load>("load", { from: today, to: today })).current;
    const agent = l.operators.find((o) => o.id === s.agent.id)!;
    const slack = 5 * MIN; // the request comes a moment after `now`
    expect.soft(agent.days).toHaveLength(1);
    const day = agent.days[0]!;
    expect.soft(day.offline).toBe(since - midnight);
    expect.soft(day.away).toBe(0);
    expect.soft(day.online).toBeGreaterThanOrEqual(now - since);
    expect.soft(day.online).toBeLessThan(now - since + slack);
    expect.soft(agent.online).toBe(day.online);
  });
});
