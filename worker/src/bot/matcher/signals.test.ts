import { describe, expect, test } from "vitest";
import { signals } from "./signals";

// What a shop's customers write. An escalation signal sends the conversation to
// the queue whatever the matcher thinks, so a false one costs an operator's time
// and the customer an answer the bot had.

const asks = {
  ru: [
    "позовите человека",
    "менеджера позовите пожалуйста",
    "хочу поговорить с живым человеком",
    "нужен живой человек",
    "соедините с менеджером",
    "можно с человеком пообщаться?",
    "переключите на оператора",
    "дайте мне специалиста",
    "не хочу общаться с ботом",
    "человека!",
    "есть тут живой человек?",
    "оператор",
    "pozovite operatora",
    "позовите кого-нибудь",
    "может ли менеджер помочь с выбором?",
  ],
  uk: [
    "покличте людину",
    "з'єднайте з оператором",
    "жива людина є?",
    "хочу поговорити з менеджером",
    "людину будь ласка",
    "потрібен живий оператор",
    "менеджера покличте",
    "не хочу спілкуватися з ботом",
    "дайте фахівця",
    "з'єднайте з кимось",
    "хочу людину",
    "чи може фахівець допомогти з вибором?",
    "оператора будь ласка",
  ],
  en: [
    "live agent please",
    "real person please",
    "talk to someone",
    "can I speak to a manager?",
    "I want a human",
    "HUMAN!!!",
    "connect me with an agent",
    "get me a representative",
    "I don't want to talk to a bot",
    "transfer me to a live person",
    "operator",
    "is there a person I can talk to",
    "Talk to a person",
    "Hi! My order #1042 hasn't arrived yet. Can a person help me?",
    "can someone help me please",
  ],
};

const complaints = {
  ru: [
    "хочу оставить жалобу",
    "это развод какой-то",
    "это просто развод",
    "подам на вас в суд",
    "обслуживание ужасное",
    "вы мошенники",
    "я недовольна качеством",
    "хамство курьера",
    "буду писать претензию",
    "это ужасный сервис, буду жаловаться",
  ],
  uk: ["буду скаржитися", "хочу залишити скаргу", "це жахливо", "ви шахраї", "подам до суду", "я незадоволена обслуговуванням", "це ганьба", "розчарована вашим магазином"],
  en: [
    "I want to complain",
    "this is a scam",
    "worst service ever",
    "I'll sue you",
    "I'm going to sue",
    "the courier was rude",
    "this is unacceptable",
    "I want to file a complaint",
    "totally disappointed",
  ],
};

// Neither an ask nor a complaint: the words that used to trip the old keyword lists, in context.
const neither = {
  ru: [
    "я живу в Москве, сколько идет доставка?",
    "живу в другом городе, есть доставка?",
    "на сколько человек рассчитан этот набор посуды?",
    "можно оформить заказ на другого человека?",
    "сколько человек может пользоваться одним промокодом",
    "менеджер вчера сказал, что заказ уже отправлен, где он?",
    "я после развода, как сменить фамилию в аккаунте?",
    "кто-то другой может забрать мой заказ?",
    "ваш консультант в магазине посоветовал этот размер, он есть в наличии?",
    "есть ли скидка для сотрудников компаний?",
    "хочу подарить менеджеру сертификат, есть такие?",
    "мне не нужен оператор, просто скажите время работы",
    "какой оператор доставки у вас?",
    "сколько стоит доставка посуды",
    "приветик есть кто живой на сайте",
    "нужен ли человек при получении посылки?",
    "консультант помог выбрать размер, а он не подошёл",
  ],
  uk: [
    "я живу у Львові, скільки йде доставка?",
    "живу за містом, чи є доставка?",
    "одна людина може використати промокод двічі?",
    "на скільки людей розрахований набір?",
    "чи можна оформити замовлення на іншу людину?",
    "менеджер сказав, що замовлення вже відправлене",
    "хтось інший може забрати моє замовлення?",
    "ваш консультант порадив цей розмір, він є?",
    "чи є знижка для працівників компаній?",
    "хочу подарувати менеджеру сертифікат",
    "який оператор доставки у вас?",
    "мені не потрібен оператор, просто скажіть графік роботи",
    "скільки людей працює у вашому магазині?",
    "чи потрібна людина вдома при доставці?",
  ],
  en: [
    "I live in Kyiv, how long is delivery?",
    "can someone else pick up my order?",
    "is the price per person or per group?",
    "my manager asked me to order ten of these for the office",
    "hi, this is Sue, where is my order?",
    "worst case, if it doesn't fit, can I return it?",
    "I'm terribly sorry, can I change my delivery address?",
    "your staff in the store was very helpful, thanks",
    "I want to buy a gift for my manager",
    "can my travel agent collect the parcel for me?",
    "do you ship to people outside the EU?",
    "what are your operating hours?",
    "someone left a parcel at my door that isn't mine",
    "I don't need a human, just tell me the delivery cost",
    "do you have live stock updates?",
  ],
};

describe("signals", () => {
  for (const lang of ["ru", "uk", "en"] as const) {
    test(`explicit asks for a person (${lang})`, () => {
      for (const text of asks[lang]) expect(signals(text).operator, text).toBe(true);
    });
    test(`complaints (${lang})`, () => {
      for (const text of complaints[lang]) expect(signals(text).complaint, text).toBe(true);
    });
    test(`no signal from the same words in other senses (${lang})`, () => {
      expect(neither[lang].length).toBeGreaterThanOrEqual(10);
      for (const text of neither[lang]) expect(signals(text), text).toEqual({ operator: false, complaint: false });
    });
  }

  test("a 'no' ends with its sentence; a carrier the customer leaves is no ask (issue 19)", () => {
    expect(signals("Спасибо, но нет. Дайте человека.").operator).toBe(true);
    expect(signals("No thanks! Real person please").operator).toBe(true);
    expect(signals("мне не нужен оператор. где мой заказ?").operator).toBe(false);
    for (const text of ["Я зараз у іншого оператора і плачу 300 грн", "Хочу уйти от своего оператора к вам, номер сохранится?", "can I keep my number if I switch from another operator?"]) {
      expect(signals(text).operator, text).toBe(false);
    }
    expect(signals("переключите на другого оператора, этот не отвечает").operator).toBe(true);
  });

  test("a typo in 'operator' still asks; 'operation' does not", () => {
    expect(signals("позовите опертора").operator).toBe(true);
    expect(signals("операция по карте не прошла").operator).toBe(false);
  });
});
