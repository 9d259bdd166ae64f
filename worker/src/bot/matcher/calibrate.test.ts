import { describe, expect, test } from "vitest";
import { ANSWER_THRESHOLD, buildMatcher, calibrate, calibrated, calibrationOf, spread, UNCALIBRATED, type MatchIntent } from ".";

const intents: MatchIntent[] = [
  { id: "hours", enabled: true, phrasings: [{ lang: "en", text: "opening hours" }, { lang: "en", text: "what time do you open" }, { lang: "en", text: "are you open on sunday" }] },
  { id: "cost", enabled: true, phrasings: [{ lang: "en", text: "how much is delivery" }, { lang: "en", text: "delivery cost" }, { lang: "en", text: "is shipping free" }] },
  { id: "track", enabled: true, phrasings: [{ lang: "en", text: "where is my order" }, { lang: "en", text: "track my parcel" }, { lang: "en", text: "order status" }] },
  { id: "pay", enabled: true, phrasings: [{ lang: "en", text: "how can I pay" }, { lang: "en", text: "payment methods" }, { lang: "en", text: "can I pay by card" }] },
  { id: "off", enabled: false, phrasings: [{ lang: "en", text: "secret intent nobody sees" }] },
];

describe("calibration (issue 19)", () => {
  test("the scale maps the base's answer line to ANSWER_THRESHOLD, keeps 0 and 1, and never reorders", () => {
    for (const answerAt of [0.3, 0.42, 0.5, 0.6]) {
      expect(calibrated(answerAt, { answerAt })).toBeCloseTo(ANSWER_THRESHOLD, 10);
      expect(calibrated(0, { answerAt })).toBe(0);
      expect(calibrated(1, { answerAt })).toBe(1);
      let last = -1;
      for (let raw = 0; raw <= 1.0001; raw += 0.01) {
        const c = calibrated(raw, { answerAt });
        expect(c).toBeGreaterThan(last);
        last = c;
      }
    }
    // Uncalibrated is the raw score itself.
    for (const raw of [0.1, 0.37, 0.5, 0.8]) expect(calibrated(raw, UNCALIBRATED)).toBeCloseTo(raw, 10);
  });

  test("the answer line sits at 0.9 × the 90th percentile of the nearest other intent, drawn toward 0.5 when the base is small", () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ own: 0.7, other: i / 1000 }));
    // 90th percentile 0.9 → 0.81, clamped to the highest line.
    expect(calibrationOf(many, 20).answerAt).toBe(0.6);
    const low = Array.from({ length: 1000 }, (_, i) => ({ own: 0.5, other: (i / 1000) * 0.45 }));
    // 0.9 × 0.405 = 0.3645, with ten phrasings' worth of 0.5: 0.3658.
    expect(calibrationOf(low, 20).answerAt).toBeCloseTo((1000 * 0.9 * 0.405 + 10 * 0.5) / 1010, 3);
    // Three held out say little: mostly the default.
    expect(calibrationOf([{ own: 0.5, other: 0.1 }, { own: 0.5, other: 0.1 }, { own: 0.5, other: 0.1 }], 20).answerAt).toBeGreaterThan(0.4);
    // Too few intents for a nearest other one to mean anything, or nothing held out: the default.
    expect(calibrationOf(low, 3)).toEqual(UNCALIBRATED);
    expect(calibrationOf([], 20)).toEqual(UNCALIBRATED);
    // Never under the lowest line, whatever the figures.
    expect(calibrationOf(Array.from({ length: 500 }, () => ({ own: 0.2, other: 0 })), 20).answerAt).toBe(0.25);
  });

  test("spread picks evenly, the same ones each time, all of them under the limit", () => {
    expect(spread(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const picked = spread(100_000, 2000);
    expect(picked.length).toBe(2000);
    expect(new Set(picked).size).toBe(2000);
    expect(picked[0]).toBe(0);
    expect(picked.at(-1)).toBeLessThan(100_000);
    expect(picked[1000]).toBe(50_000);
    expect(spread(100_000, 2000)).toEqual(picked);
  });

  test("a phrasing held out is matched without itself, the enabled intents' phrasings numbered in order", () => {
    const matcher = buildMatcher(intents);
    const all = matcher.heldOut();
    expect(all.length).toBe(12);
    // "opening hours" without itself still finds "open" in its intent's other phrasings.
    expect(all[0].own).toBeGreaterThan(0);
    // A phrasing whose every word is its own: held out, its intent has nothing left to match.
    const lonely = buildMatcher([
      { id: "a", enabled: true, phrasings: [{ lang: "en", text: "zebra" }, { lang: "en", text: "giraffe" }] },
      { id: "b", enabled: true, phrasings: [{ lang: "en", text: "zebra crossing" }] },
    ]);
    const [zebra, giraffe] = lonely.heldOut([0, 1]);
    expect(zebra.own).toBe(0);
    expect(zebra.other).toBeGreaterThan(0);
    expect(giraffe).toEqual({ own: 0, other: 0 });
    // Held out or not, asking a phrasing normally finds it.
    expect(lonely.match("giraffe")[0]).toMatchObject({ intentId: "a", confidence: 1 });
  });

  test("touching finds the phrasings that share a content word, not a stop word", () => {
    const matcher = buildMatcher(intents);
    expect(matcher.touching(["When do you open?"])).toEqual([0, 1, 2]);
    expect(matcher.touching(["the parcel"])).toEqual([7]);
    expect(matcher.touching(["how do I"])).toEqual([]);
  });

  test("a calibrated matcher answers on a small base what the raw score would send to a person, in the same order", () => {
    const calibration = calibrate(intents);
    expect(calibration.answerAt).toBeLessThan(ANSWER_THRESHOLD);
    const raw = buildMatcher(intents);
    const scaled = buildMatcher(intents, [], calibration);
    let answeredNow = 0;
    for (const text of ["when are you open", "tracking number please", "open today?", "do you take visa"]) {
      const before = raw.match(text);
      const after = scaled.match(text);
      if (before[0].confidence < ANSWER_THRESHOLD && after[0].confidence >= ANSWER_THRESHOLD) answeredNow++;
      expect(after.map((m) => m.intentId)).toEqual(before.map((m) => m.intentId));
      expect(after[0].confidence).toBeCloseTo(calibrated(before[0].confidence, calibration), 2);
    }
    expect(answeredNow).toBeGreaterThan(0);
  });

  test("an intent's answer counts as evidence, but less than a phrasing", () => {
    const withAnswer: MatchIntent[] = intents.map((i) => (i.id === "cost" ? { ...i, answers: [{ lang: "en", text: "We ship with Nova Poshta, free over €40." }] } : i));
    expect(buildMatcher(intents).match("nova poshta").find((m) => m.intentId === "cost")).toBeUndefined();
    const [top] = buildMatcher(withAnswer).match("nova poshta");
    expect(top.intentId).toBe("cost");
    // The same words in a phrasing count for more.
    const asPhrasing: MatchIntent[] = intents.map((i) => (i.id === "cost" ? { ...i, phrasings: [...i.phrasings, { lang: "en", text: "We ship with Nova Poshta, free over €40." }] } : i));
    expect(buildMatcher(asPhrasing).match("nova poshta")[0].confidence).toBeGreaterThan(top.confidence);
  });
});
