import { describe, expect, test } from "vitest";
import { buildMatcher, similar, type Feedback, type MatchIntent } from ".";
import { FEEDBACK_MAX_WORDS, FEEDBACK_PER_INTENT, learnFeedback } from "./feedback";

const intents: MatchIntent[] = [
  { id: "pickup", enabled: true, phrasings: [{ lang: "ru", text: "Есть самовывоз?" }, { lang: "uk", text: "Чи є самовивіз?" }] },
  { id: "payment", enabled: true, phrasings: [{ lang: "ru", text: "Как можно оплатить?" }, { lang: "en", text: "How can I pay?" }] },
  { id: "contacts", enabled: true, phrasings: [{ lang: "ru", text: "Как с вами связаться?" }, { lang: "en", text: "How can I contact you?" }] },
  { id: "returns", enabled: true, phrasings: [{ lang: "ru", text: "Как вернуть товар?" }, { lang: "en", text: "How do I return an item?" }] },
];
const conf = (feedback: Feedback[], text: string, id: string) =>
  buildMatcher(intents, feedback).match(text, { limit: 10 }).find((m) => m.intentId === id)?.confidence ?? 0;
const reject = (question: string, intentId: string, at?: number): Feedback => ({ question, intentId, accepted: false, at });
const accept = (question: string, intentId: string, at?: number): Feedback => ({ question, intentId, accepted: true, at });

// Ten thousand different questions that share no word with the ones asked below.
const unrelated = Array.from({ length: 10_000 }, (_, i) => reject(`какая погода будет зимой в посёлке п${i}`, `intent-${i % 100}`));

describe("learned feedback (B6)", () => {
  test("a question is compared only with judged questions that share a word with it, not with every one", () => {
    const learned = learnFeedback([...unrelated, reject("как вернуть заказ", "returns"), reject("куда вернуть посылку", "returns")]);
    expect(learned.size).toBe(10_002);
    const stats = { compared: -1 };
    const shift = learned.shifts("как вернуть товар", stats);
    expect(stats.compared).toBe(2);
    expect(shift.get("returns")).toBeLessThan(0);
    learned.shifts("где мой заказ", stats);
    expect(stats.compared).toBe(1);
    learned.shifts("привет", stats);
    expect(stats.compared).toBe(0);
  });

  test("the same text judged many times is one comparison and counts each time", () => {
    const once = learnFeedback([accept("как оплатить картой", "payment")]).shifts("как оплатить");
    const thrice = learnFeedback(Array.from({ length: 3 }, () => accept("как оплатить картой", "payment")));
    const stats = { compared: 0 };
    const shift = thrice.shifts("как оплатить", stats);
    expect(stats.compared).toBe(1);
    expect(shift.get("payment")).toBeCloseTo(Math.min(0.4, 3 * once.get("payment")!), 6);
  });

  test("judgements apply by the same similarity as similar(), typos and ru/uk word forms included", () => {
    for (const [question, judged] of [
      ["Чи є самовивіз?", "самовывоз есть?"],
      ["чем можно заплатить", "Как можно оплатить?"],
      ["где мой закаазз", "где мой заказ"],
      ["kak vernut tovar", "как вернуть товар"],
    ]) {
      expect(similar(question, judged), question).toBeGreaterThanOrEqual(0.5);
      expect(learnFeedback([reject(judged, "pickup")]).shifts(question).get("pickup"), question).toBeLessThan(0);
    }
    expect(learnFeedback([reject("какая погода завтра", "pickup")]).shifts("есть самовывоз?").size).toBe(0);
  });

  test("sharing only stop words is not being alike: 'how can I contact you' does not move 'how can I reach you'", () => {
    expect(similar("how can i reach you", "How can I contact you?")).toBeGreaterThanOrEqual(0.5);
    const before = conf([], "how can i reach you", "contacts");
    expect(conf([reject("How can I contact you?", "contacts")], "how can i reach you", "contacts")).toBe(before);
    // The same words in a judged question of stop words alone still count for a question of stop words alone.
    expect(learnFeedback([reject("как мне", "contacts")]).shifts("как мне?").get("contacts")).toBeLessThan(0);
  });

  test("only an intent's most recent judgements count", () => {
    const old = reject("как вернуть товар", "returns", 1);
    const newer = Array.from({ length: FEEDBACK_PER_INTENT }, (_, i) => accept(`куда пропал заказ номер ${i}`, "returns", 10 + i));
    const before = conf([], "как вернуть товар", "returns");
    expect(conf([old], "как вернуть товар", "returns")).toBeLessThan(before);
    expect(conf([old, ...newer], "как вернуть товар", "returns")).toBe(before);
    // By time when given, not by the order of the list; other intents keep theirs.
    expect(conf([...newer, old], "как вернуть товар", "returns")).toBe(before);
    expect(conf([...newer.slice(1), old], "как вернуть товар", "returns")).toBeLessThan(before);
    expect(conf([reject("как вернуть товар", "contacts", 1), ...newer], "как вернуть товар", "contacts")).toBe(0);
  });

  test("a judged text longer than FEEDBACK_MAX_WORDS is not learned from", () => {
    const long = Array.from({ length: FEEDBACK_MAX_WORDS + 1 }, (_, i) => `слово${i}`).join(" ") + " как вернуть товар";
    expect(learnFeedback([reject(long, "returns")]).size).toBe(0);
    const fits = Array.from({ length: FEEDBACK_MAX_WORDS - 3 }, (_, i) => `слово${i}`).join(" ") + " как вернуть товар";
    expect(learnFeedback([reject(fits, "returns")]).shifts(fits).get("returns")).toBeLessThan(0);
  });
});
