import { describe, expect, test } from "vitest";
import { ANSWER_THRESHOLD, buildMatcher, detectLang, normalize, sentiment, signals, similar, type MatchIntent } from ".";
import { stem } from "./stem";
import { relayout, tokenize, transliterate } from "./normalize";

const intents: MatchIntent[] = [
  {
    id: "delivery",
    enabled: true,
    phrasings: [
      { lang: "ru", text: "Сколько идёт доставка?" },
      { lang: "uk", text: "Скільки триває доставка?" },
      { lang: "en", text: "How long does delivery take?" },
    ],
  },
  {
    id: "order",
    enabled: true,
    phrasings: [
      { lang: "ru", text: "Где мой заказ?" },
      { lang: "uk", text: "Де моє замовлення?" },
      { lang: "en", text: "Where is my order?" },
    ],
  },
  {
    id: "returns",
    enabled: true,
    phrasings: [
      { lang: "ru", text: "Как вернуть товар?" },
      { lang: "uk", text: "Як повернути товар?" },
      { lang: "en", text: "How do I return an item?" },
    ],
  },
  { id: "hidden", enabled: false, phrasings: [{ lang: "ru", text: "Секретный вопрос про доставку" }] },
];
const matcher = buildMatcher(intents);
const top = (text: string) => matcher.match(text)[0];

describe("normalisation", () => {
  test("case, punctuation, ё and apostrophes", () => {
    expect(normalize("  ЁЛКА,  Привет!!! ")).toBe("елка привет");
    expect(normalize("пам’ятаю п'ять")).toBe(normalize("памʼятаю пять"));
  });
  test("Latin look-alikes inside a Cyrillic word become Cyrillic", () => {
    expect(normalize("зaкaз")).toBe("заказ"); // Latin a twice
    expect(normalize("cкiльки")).toBe("скільки"); // Latin c and i
    expect(normalize("order")).toBe("order"); // a Latin word stays Latin
  });
  test("Cyrillic look-alikes inside a Latin word become Latin", () => {
    expect(normalize("оrder")).toBe("order"); // Cyrillic о
    expect(normalize("whеrе")).toBe("where"); // Cyrillic е twice
    expect(normalize("доставкa")).toBe("доставка"); // mostly Cyrillic: Cyrillic wins
  });
  test("transliteration and the wrong keyboard layout", () => {
    expect(transliterate("dostavka")).toBe("доставка");
    expect(relayout("pfrfp")).toBe("заказ");
    expect(relayout("ljcnfdrf")).toBe("доставка");
  });
  test("Ukrainian transliteration and layout are read too", () => {
    const alts = (text: string) => tokenize(text).flatMap((t) => t.alts);
    expect(alts("pratsiuiete")).toContain("працюєте");
    expect(alts("diakuiu")).toContain("дякую");
    expect(alts("pfvjdktyyz")).toEqual(expect.arrayContaining(["замовлення"]));
    expect(alts("cmjujlys")).toContain("сьогодні"); // s is і on the Ukrainian layout
    expect(alts("'")).toEqual([]); // punctuation alone is no word
  });
});

describe("stemming per language", () => {
  test("Russian forms share a stem", () => {
    expect(new Set(["доставка", "доставки", "доставкой", "доставку"].map((w) => stem(w, "ru"))).size).toBe(1);
  });
  test("Ukrainian forms share a stem", () => {
    expect(new Set(["замовлення", "замовленням", "замовленню"].map((w) => stem(w, "uk"))).size).toBe(1);
    expect(stem("знижки", "uk")).toBe(stem("знижка", "uk"));
  });
  test("English forms share a stem", () => {
    expect(stem("returns", "en")).toBe(stem("returning", "en"));
  });
});

describe("matching", () => {
  test("inflection and word order", () => {
    expect(top("доставка сколько идет")?.intentId).toBe("delivery");
    expect(top("заказ мой где")?.intentId).toBe("order");
    expect(top("де замовлення моє")?.intentId).toBe("order");
  });
  test("exact phrasings answer with high confidence", () => {
    const m = top("Где мой заказ?")!;
    expect(m.intentId).toBe("order");
    expect(m.confidence).toBeGreaterThan(0.9);
  });
  test("typos on longer words", () => {
    expect(top("где мой закаазз")?.intentId).toBe("order");
    expect(top("скільки тирває доствка")?.intentId).toBe("delivery");
    expect(top("where is my ordr")?.intentId).toBe("order");
  });
  test("mixed scripts, transliteration and wrong layout", () => {
    expect(top("гдe мoй зaкaз")?.intentId).toBe("order");
    expect(top("kak vernut tovar")?.intentId).toBe("returns");
    expect(top("ult vjq pfrfp")?.intentId).toBe("order");
  });
  test("a Latin word the base knows as it is is not also read as Cyrillic", () => {
    const m = buildMatcher([
      { id: "pay", enabled: true, phrasings: [{ lang: "en", text: "can I pay by card" }] },
      { id: "shares", enabled: true, phrasings: [{ lang: "ru", text: "паи фонда" }] },
    ]);
    expect(m.match("pay").map((x) => x.intentId)).toEqual(["pay"]);
  });
  test("'почём' asks what something costs, though Snowball stems it like 'почему'", () => {
    const m = buildMatcher([
      { id: "cost", enabled: true, phrasings: [{ lang: "ru", text: "сколько стоит доставка" }, { lang: "uk", text: "скільки коштує доставка" }] },
      { id: "late", enabled: true, phrasings: [{ lang: "ru", text: "почему не пришла доставка" }, { lang: "uk", text: "чому не прийшла доставка" }] },
    ]);
    expect(m.match("почём доставка?")[0].intentId).toBe("cost");
    expect(m.match("почому доставка?")[0].intentId).toBe("cost");
    expect(m.match("почему доставка?")[0].intentId).toBe("late");
  });
  test("a long message's words the base never saw count a little against it, even when it meets a phrasing well", () => {
    const m = buildMatcher([
      { id: "hours", enabled: true, phrasings: [{ lang: "en", text: "what time do you open" }, { lang: "en", text: "when do you close today" }] },
      { id: "pickup", enabled: true, phrasings: [{ lang: "en", text: "can I pick up my order myself" }] },
    ]);
    const hours = (text: string) => m.match(text).find((x) => x.intentId === "hours")?.confidence ?? 0;
    expect(hours("the app crashes every time I open the catalog on my android phone")).toBeLessThan(ANSWER_THRESHOLD);
    expect(hours("what time do you open on sunday, I want to come by after work")).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });
  test("a word said twice counts once", () => {
    const m = buildMatcher([
      { id: "track", enabled: true, phrasings: [{ lang: "en", text: "where is my order" }] },
      { id: "cancel", enabled: true, phrasings: [{ lang: "en", text: "cancel my order" }] },
    ]);
    const track = (text: string) => m.match(text).find((x) => x.intentId === "track")!.confidence;
    expect(track("order order order cancel")).toBe(track("order cancel"));
  });
  test("unrelated questions stay below the threshold", () => {
    const m = top("какая завтра погода");
    expect(m === undefined || m.confidence < ANSWER_THRESHOLD).toBe(true);
    expect(matcher.match("")).toEqual([]);
  });
  test("disabled intents are never returned; limit and order hold", () => {
    expect(matcher.match("секретный вопрос про доставку").map((m) => m.intentId)).not.toContain("hidden");
    const all = matcher.match("как вернуть товар где заказ", { limit: 2 });
    expect(all.length).toBeLessThanOrEqual(2);
    expect(all[0].confidence).toBeGreaterThanOrEqual(all[1]?.confidence ?? 0);
  });
});

describe("feedback re-ranking", () => {
  const question = "как вернуть заказ";
  const before = buildMatcher(intents).match(question);
  const rank = (list: { intentId: string }[], id: string) => list.findIndex((m) => m.intentId === id);
  const conf = (list: { intentId: string; confidence: number }[], id: string) => list.find((m) => m.intentId === id)?.confidence ?? 0;

  test("a rejected intent sinks for similar questions", () => {
    const first = before[0].intentId;
    const after = buildMatcher(intents, [{ question: "как мне вернуть заказ?", intentId: first, accepted: false }]).match(question);
    expect(conf(after, first)).toBeLessThan(conf(before, first));
    expect(after[0].intentId).not.toBe(first);
  });
  test("an accepted intent rises for similar questions", () => {
    const second = before[1].intentId;
    const after = buildMatcher(intents, [{ question: "как вернуть мой заказ", intentId: second, accepted: true }]).match(question);
    expect(conf(after, second)).toBeGreaterThan(conf(before, second));
    expect(rank(after, second)).toBeLessThan(rank(before, second));
  });
  test("feedback on an unrelated question changes nothing", () => {
    const after = buildMatcher(intents, [{ question: "какая погода в париже", intentId: before[0].intentId, accepted: false }]).match(question);
    expect(after).toEqual(before);
  });
});

describe("similar", () => {
  test("same question in other words scores high, unrelated low", () => {
    expect(similar("Где мой заказ?", "заказ мой где")).toBe(1);
    expect(similar("где мой заказ", "где мой закас")).toBeGreaterThan(0.7);
    expect(similar("где мой заказ", "какая погода завтра")).toBeLessThan(0.2);
    expect(similar("", "")).toBe(0);
  });
});

describe("detectLang", () => {
  test("letters and words", () => {
    expect(detectLang("Скільки коштує доставка?")).toBe("uk");
    expect(detectLang("Где мой заказ?")).toBe("ru");
    expect(detectLang("як це працює")).toBe("uk");
    expect(detectLang("Where is my order?")).toBe("en");
    expect(detectLang("скiльки")).toBe("uk"); // Latin i inside a Cyrillic word
    expect(detectLang("12345 !!!")).toBe(null);
  });
});

describe("signals", () => {
  test("explicit asks for a human, inflected, in three languages", () => {
    for (const text of ["позовите оператора", "хочу поговорить с живым человеком", "з'єднайте з людиною", "дайте оператора будь ласка", "I want a human", "talk to an agent", "real person please"]) {
      expect(signals(text).operator, text).toBe(true);
    }
    expect(signals("где мой заказ").operator).toBe(false);
  });
  test("complaints", () => {
    for (const text of ["хочу оставить жалобу", "это ужасное обслуживание", "буду скаржитися, це жахливо", "I want to complain", "this is a scam"]) {
      expect(signals(text).complaint, text).toBe(true);
    }
    expect(signals("как оформить возврат").complaint).toBe(false);
  });
});

describe("sentiment", () => {
  test("positive, negative, neutral", () => {
    expect(sentiment("спасибо, всё круто")).toBeGreaterThan(0.5);
    expect(sentiment("ужасный банк")).toBeLessThan(-0.5);
    expect(sentiment("дякую, все чудово")).toBeGreaterThan(0.5);
    expect(sentiment("terrible service")).toBeLessThan(-0.5);
    expect(sentiment("где мой заказ")).toBe(0);
  });
  test("negation flips", () => {
    expect(sentiment("не очень")).toBeLessThan(0);
    expect(sentiment("не очень хорошо")).toBeLessThan(0);
    expect(sentiment("not good")).toBeLessThan(0);
    expect(sentiment("не погано")).toBeGreaterThan(0);
    for (const s of [sentiment("супер супер супер"), sentiment("кошмар кошмар")]) expect(Math.abs(s)).toBeLessThanOrEqual(1);
  });
});
