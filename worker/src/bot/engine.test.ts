import { describe, expect, it } from "vitest";
import demo from "./demo/knowledge-base.json";
import { afterModel, botTurn, NEW_STATE, readField, type BotIntent, type BotState, type TurnInput } from "./engine";
import { buildMatcher, type Lang } from "./matcher";

// The bot's rules (B1–B3, B7) on the demo knowledge base, one customer
// message at a time; the rooms' tests drive the same function with storage.

type FileIntent = (typeof demo.intents)[number];
const intents = new Map<string, BotIntent>(
  demo.intents.map((i: FileIntent) => [
    i.key,
    {
      id: i.key,
      key: i.key,
      name: i.name,
      enabled: i.enabled,
      answers: i.answer,
      answer: i.answer.en,
      buttons: i.buttons ?? [],
      collect: ((i as { collect?: BotIntent["collect"] }).collect ?? []) as BotIntent["collect"],
      groupId: i.group ? `group-${i.group}` : null,
    },
  ]),
);
const matcher = buildMatcher(
  demo.intents.map((i: FileIntent) => ({
    id: i.key,
    enabled: i.enabled,
    phrasings: Object.entries(i.phrasings).flatMap(([lang, texts]) => (texts as string[]).map((text) => ({ lang: lang as Lang, text }))),
  })),
);

function turn(text: string, state: BotState = NEW_STATE, options: Partial<TurnInput> = {}) {
  return botTurn({
    text,
    lang: "ru",
    state,
    intents,
    matcher,
    texts: { ru: {}, uk: {}, en: {} },
    operatorsOpen: true,
    contact: { email: null, phone: null, name: null },
    hasModel: false,
    ...options,
  });
}

describe("the bot's turn", () => {
  it("answers a routine question in the customer's language, with the intent's buttons", () => {
    const result = turn("сколько идёт доставка в Харьков?");
    expect(result).toMatchObject({ kind: "reply", intentId: "delivery-time" });
    if (result.kind !== "reply") throw new Error("no reply");
    expect(result.body).toBe(intents.get("delivery-time")!.answers.ru);
    const uk = turn("скільки йде доставка?", NEW_STATE, { lang: "uk" });
    expect(uk).toMatchObject({ kind: "reply", intentId: "delivery-time", body: intents.get("delivery-time")!.answers.uk });
  });

  it("takes a tapped button as its intent, whatever the matcher would say", () => {
    const greeting = turn("Здравствуйте");
    if (greeting.kind !== "reply") throw new Error("no reply");
    const button = greeting.buttons.find((b) => b.intent === "order-status")!;
    expect(button.label).toBe("Где мой заказ?");
    const tapped = turn(button.label, greeting.state);
    expect(tapped).toMatchObject({ kind: "reply", intentId: "order-status" });
  });

  it("steps aside on an explicit ask, a complaint, or a question it cannot answer, and says why", () => {
    expect(turn("позовите оператора пожалуйста")).toMatchObject({ kind: "escalate", reason: "asked for a person", body: expect.stringContaining("оператор") });
    expect(turn("хочу поговорить з людиною", NEW_STATE, { lang: "uk" })).toMatchObject({ kind: "escalate", reason: "asked for a person" });
    expect(turn("I want a human")).toMatchObject({ kind: "escalate", reason: "asked for a person" });
    expect(turn("это ужасный сервис, буду жаловаться")).toMatchObject({ kind: "escalate", reason: "complaint" });
    const unknown = turn("какая погода на Марсе завтра?");
    expect(unknown).toMatchObject({ kind: "escalate", unanswered: "low_confidence" });
    if (unknown.kind === "escalate") expect(unknown.reason).toMatch(/^low confidence \(0\.\d\d < 0\.\d+\)$/);
  });

  it("counts the same question twice more after an answer as two failed answers, then hands over", () => {
    const first = turn("где мой заказ?");
    // order-status collects the order number first; take an intent that answers at once.
    const answered = turn("какие способы оплаты есть?");
    expect(answered).toMatchObject({ kind: "reply", intentId: "payment-methods" });
    const again = turn("а как можно оплатить?", answered.state);
    expect(again).toMatchObject({ kind: "reply", intentId: "payment-methods" });
    if (again.kind !== "reply") throw new Error("no reply");
    expect(again.body.startsWith("Жаль, что не помогло.")).toBe(true);
    expect(again.buttons.some((b) => b.operator)).toBe(true);
    const third = turn("способы оплаты", again.state);
    expect(third).toMatchObject({ kind: "escalate", reason: "two failed answers in a row", unanswered: "failed", intentId: "payment-methods" });
    expect(first.kind).toBe("reply");
  });

  it("collects an order number with validation before answering (B7)", () => {
    const asked = turn("где мой заказ?");
    expect(asked).toMatchObject({ kind: "reply", intentId: "order-status", body: expect.stringMatching(/номер/i) });
    const wrong = turn("не помню", asked.state);
    expect(wrong).toMatchObject({ kind: "reply", body: expect.stringContaining("Это не похоже на номер заказа") });
    const right = turn("#A-10423", wrong.state);
    expect(right).toMatchObject({ kind: "reply", intentId: "order-status", collected: { field: "order", value: "A-10423" } });
    expect(right.state.collecting).toBeNull();
  });

  it("outside the operators' hours asks for an e-mail or phone and queues an offline request", () => {
    const asked = turn("позовите оператора", NEW_STATE, { operatorsOpen: false });
    expect(asked).toMatchObject({ kind: "reply", body: expect.stringContaining("Оставьте e-mail или телефон") });
    const bad = turn("завтра", asked.state, { operatorsOpen: false });
    expect(bad).toMatchObject({ kind: "reply", body: expect.stringContaining("не похоже") });
    const given = turn("пишите на Olena@Example.com", bad.state, { operatorsOpen: false });
    expect(given).toMatchObject({ kind: "escalate", reason: "offline request", offline: { email: "olena@example.com" }, body: expect.stringContaining("olena@example.com") });
    // A contact already known needs no asking.
    const known = turn("позовите оператора", NEW_STATE, { operatorsOpen: false, contact: { email: null, phone: "+380 67 123 45 67", name: null } });
    expect(known).toMatchObject({ kind: "escalate", offline: { phone: "+380 67 123 45 67" } });
  });

  it("asks the language model when nothing matched and one is configured, and hands over when it has no answer", () => {
    const input = { hasModel: true };
    const unsure = turn("а вы продаёте билеты на Марс?", NEW_STATE, input);
    expect(unsure.kind).toBe("ask_model");
    if (unsure.kind !== "ask_model") return;
    const base = { text: "", lang: "ru" as const, state: unsure.state, intents, matcher, texts: { ru: {}, uk: {}, en: {} }, operatorsOpen: true, contact: { email: null, phone: null, name: null }, hasModel: true };
    expect(afterModel(base, unsure.state, "Нет, только кофе и кофемолки.", unsure.confidence)).toMatchObject({ kind: "reply", body: "Нет, только кофе и кофемолки." });
    expect(afterModel(base, unsure.state, null, unsure.confidence)).toMatchObject({ kind: "escalate", unanswered: "low_confidence" });
  });

  it("uses the site's own texts over the defaults", () => {
    const result = turn("оператор", NEW_STATE, { texts: { ru: { onTheWay: "Секунду, зову Олю." }, uk: {}, en: {} } });
    expect(result).toMatchObject({ kind: "escalate", body: "Секунду, зову Олю." });
  });
});

describe("reading a field", () => {
  it("takes well-formed values and refuses the rest", () => {
    expect(readField("email", " Olena@Example.COM ")).toBe("olena@example.com");
    expect(readField("email", "olena@")).toBeNull();
    expect(readField("phone", "+380 (67) 123-45-67")).toBe("+380 (67) 123-45-67");
    expect(readField("phone", "12345")).toBeNull();
    expect(readField("order", "#10423")).toBe("10423");
    expect(readField("order", "не помню")).toBeNull();
    expect(readField("name", "Олена")).toBe("Олена");
    expect(readField("name", "x")).toBeNull();
  });
});
