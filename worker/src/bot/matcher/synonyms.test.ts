import { describe, expect, test } from "vitest";
import { buildMatcher } from ".";
import { stems } from "./stem";
import { SYNONYMS, synonymsOf } from "./synonyms";
import { normalize } from "./normalize";

describe("the synonym lexicon", () => {
  test("each word is in one group, in normalized form, and no two groups share a stem", () => {
    const owner = new Map<string, number>();
    SYNONYMS.forEach((group, i) => {
      for (const word of group) {
        expect(normalize(word), word).toBe(word);
        for (const s of stems(word)) {
          const other = owner.get(s);
          expect(other === undefined || other === i, `${word} (${s}) in groups ${other} and ${i}`).toBe(true);
          owner.set(s, i);
        }
      }
    });
  });

  test("a stem's synonyms are the other stems of its group, itself left out", () => {
    const cancel = synonymsOf(stems("аннулировать")[0]);
    expect(cancel).toEqual(expect.arrayContaining([...stems("отменить"), ...stems("скасувати"), ...stems("cancel")]));
    expect(cancel).not.toContain(stems("аннулировать")[0]);
    expect(synonymsOf("кофемашин")).toEqual([]);
  });
});

describe("the matcher reads a word the base does not know as its synonyms", () => {
  const matcher = buildMatcher([
    { id: "cancel", enabled: true, phrasings: [{ lang: "ru", text: "как отменить заказ" }, { lang: "en", text: "cancel my order" }] },
    { id: "track", enabled: true, phrasings: [{ lang: "ru", text: "где мой заказ" }, { lang: "en", text: "where is my order" }] },
    { id: "delivery", enabled: true, phrasings: [{ lang: "ru", text: "сколько стоит доставка" }, { lang: "ru", text: "курьер опаздывает" }] },
  ]);
  const top = (text: string) => matcher.match(text)[0];

  test("an unknown word finds the intent of its synonym, trusted a little less than the word itself", () => {
    expect(top("аннулировать заказ")?.intentId).toBe("cancel");
    expect(top("скасувати замовлення")?.intentId).toBe("cancel");
    expect(top("аннулировать заказ")!.confidence).toBeLessThan(top("отменить заказ")!.confidence);
  });

  test("a word the base knows is not read as its synonyms", () => {
    // "курьер" is in the base: it finds the phrasing that says it, not every one that says "доставка".
    expect(matcher.match("курьер").map((m) => m.intentId)).toEqual(["delivery"]);
    const known = buildMatcher([
      { id: "cost", enabled: true, phrasings: [{ lang: "ru", text: "сколько стоит доставка" }] },
      { id: "late", enabled: true, phrasings: [{ lang: "ru", text: "курьер опаздывает" }] },
    ]);
    expect(known.match("курьер").map((m) => m.intentId)).toEqual(["late"]);
    // Where the base lacks it, its synonym answers.
    const unknown = buildMatcher([{ id: "cost", enabled: true, phrasings: [{ lang: "ru", text: "сколько стоит доставка" }] }]);
    expect(unknown.match("курьер").map((m) => m.intentId)).toEqual(["cost"]);
  });
});
