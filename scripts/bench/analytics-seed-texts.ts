// What the seeded customers, bot and operators say: an online shop's
// everyday questions in Russian, Ukrainian and English.

export type Lang = "ru" | "uk" | "en";
export const LANGS: Lang[] = ["ru", "uk", "en"];
/** How often each language is spoken (ru, uk, en). */
export const LANG_WEIGHTS = [0.45, 0.4, 0.15];

/** The knowledge base: key, name, group (index into GROUPS, or null), a question per language, the answer. */
export const INTENTS: Array<{ key: string; name: string; group: number | null; q: Record<Lang, string>; answer: string }> = [
  { key: "delivery-time", name: "Сроки доставки", group: 0, q: { ru: "Сколько идёт доставка в Львов?", uk: "Скільки йде доставка до Львова?", en: "How long does delivery take?" }, answer: "Доставка по Украине — 1–3 дня." },
  { key: "delivery-cost", name: "Стоимость доставки", group: 0, q: { ru: "Сколько стоит доставка?", uk: "Скільки коштує доставка?", en: "How much is shipping?" }, answer: "Бесплатно от 1500 грн, иначе по тарифу перевозчика." },
  { key: "order-status", name: "Где мой заказ", group: 0, q: { ru: "Где мой заказ 48213?", uk: "Де моє замовлення 48213?", en: "Where is my order 48213?" }, answer: "Статус заказа — в личном кабинете, раздел «Заказы»." },
  { key: "returns", name: "Возврат товара", group: 0, q: { ru: "Как вернуть товар?", uk: "Як повернути товар?", en: "How do I return an item?" }, answer: "Вернуть можно в течение 14 дней в любом отделении." },
  { key: "refund-status", name: "Возврат денег", group: 2, q: { ru: "Когда вернут деньги за возврат?", uk: "Коли повернуть гроші?", en: "When will I get my refund?" }, answer: "Деньги приходят за 3–7 банковских дней." },
  { key: "payment-methods", name: "Способы оплаты", group: 2, q: { ru: "Можно оплатить частями?", uk: "Можна оплатити частинами?", en: "Can I pay in instalments?" }, answer: "Карта, Apple/Google Pay, оплата частями, наложенный платёж." },
  { key: "payment-failed", name: "Оплата не прошла", group: 2, q: { ru: "Не проходит оплата картой", uk: "Не проходить оплата карткою", en: "My card payment failed" }, answer: "Проверьте лимиты карты или попробуйте Google Pay." },
  { key: "invoice", name: "Счёт для юрлица", group: 2, q: { ru: "Нужен счёт на ФОП", uk: "Потрібен рахунок на ФОП", en: "I need an invoice for my company" }, answer: "Счёт пришлём на почту после оформления заказа." },
  { key: "promo-code", name: "Промокод", group: 1, q: { ru: "Промокод не работает", uk: "Промокод не працює", en: "My promo code does not work" }, answer: "Промокод действует на товары без скидки." },
  { key: "discounts", name: "Скидки и акции", group: 1, q: { ru: "Какие сейчас акции?", uk: "Які зараз акції?", en: "Any sales on now?" }, answer: "Актуальные акции — на странице «Акции»." },
  { key: "availability", name: "Наличие товара", group: 1, q: { ru: "Будет ли в наличии размер M?", uk: "Чи буде розмір M?", en: "Will size M be back in stock?" }, answer: "Нажмите «Сообщить о поступлении» на странице товара." },
  { key: "sizes", name: "Размеры", group: 1, q: { ru: "Как подобрать размер?", uk: "Як підібрати розмір?", en: "How do I pick a size?" }, answer: "Таблица размеров — под фото товара." },
  { key: "wholesale", name: "Опт", group: 1, q: { ru: "Вы работаете с оптом?", uk: "Ви працюєте з оптом?", en: "Do you sell wholesale?" }, answer: "Оптовый отдел ответит в течение дня." },
  { key: "warranty", name: "Гарантия", group: 3, q: { ru: "Какая гарантия на наушники?", uk: "Яка гарантія на навушники?", en: "What is the warranty on headphones?" }, answer: "12 месяцев от производителя." },
  { key: "app-bug", name: "Ошибка в приложении", group: 3, q: { ru: "Приложение вылетает при оплате", uk: "Застосунок вилітає при оплаті", en: "The app crashes at checkout" }, answer: "Обновите приложение до последней версии." },
  { key: "account", name: "Личный кабинет", group: 3, q: { ru: "Не могу войти в кабинет", uk: "Не можу увійти в кабінет", en: "I can't log in to my account" }, answer: "Нажмите «Забыли пароль» на странице входа." },
  { key: "change-address", name: "Изменить адрес", group: 0, q: { ru: "Хочу изменить адрес доставки", uk: "Хочу змінити адресу доставки", en: "I want to change my delivery address" }, answer: "Адрес можно изменить до отправки заказа." },
  { key: "cancel-order", name: "Отмена заказа", group: 0, q: { ru: "Как отменить заказ?", uk: "Як скасувати замовлення?", en: "How do I cancel my order?" }, answer: "Отменить можно в кабинете до отправки." },
  { key: "loyalty", name: "Бонусная программа", group: null, q: { ru: "Как потратить бонусы?", uk: "Як витратити бонуси?", en: "How do I use my bonus points?" }, answer: "Бонусами можно оплатить до 30 % заказа." },
  { key: "pickup", name: "Самовывоз", group: null, q: { ru: "Можно забрать самому?", uk: "Можна забрати самому?", en: "Can I pick it up myself?" }, answer: "Самовывоз — из магазина на Хрещатике, 10." },
];
/** How often each intent comes up: a few dominate, as in any shop. */
export const INTENT_WEIGHTS = [14, 6, 16, 9, 6, 5, 5, 2, 5, 4, 5, 4, 1.5, 3, 2.5, 4, 3, 4, 3, 2];

/** Questions the bot cannot place. */
export const UNCLEAR: Record<Lang, string[]> = {
  ru: ["У меня вопрос по заказу, там всё сложно", "Здравствуйте, мне нужна консультация", "А у вас есть подарочная упаковка для корпоратива?"],
  uk: ["У мене питання щодо замовлення, там усе складно", "Добрий день, потрібна консультація", "Чи є у вас подарункове пакування для корпоративу?"],
  en: ["I have a question about my order, it's complicated", "Hello, I need some advice", "Do you do gift wrapping for corporate orders?"],
};

export const ASK_PERSON: Record<Lang, string[]> = {
  ru: ["Позовите оператора", "Хочу поговорить с человеком"],
  uk: ["Покличте оператора", "Хочу поговорити з людиною"],
  en: ["Can I talk to a person?", "I need a human please"],
};

/** Customers' words that carry sentiment (A5): thanks, and complaints. */
export const THANKS: Record<Lang, string[]> = {
  ru: ["Спасибо, всё понятно!", "Отлично, спасибо большое", "Понятно"],
  uk: ["Дякую, все зрозуміло!", "Чудово, дуже дякую", "Зрозуміло"],
  en: ["Thanks, that helps!", "Great, thank you", "Ok"],
};
export const COMPLAINTS: Record<Lang, string[]> = {
  ru: ["Это ужасно, жду заказ уже неделю", "Очень плохой сервис, хочу написать жалобу"],
  uk: ["Це жахливо, чекаю замовлення вже тиждень", "Дуже поганий сервіс, хочу подати скаргу"],
  en: ["This is terrible, I've waited a week", "Awful service, I want to complain"],
};
export const FOLLOW_UPS: Record<Lang, string[]> = {
  ru: ["А номер накладной можно?", "Хорошо, а если не подойдёт?", "Заказ 48213, оплачен вчера", "Сделайте, пожалуйста", "Да, всё верно"],
  uk: ["А номер накладної можна?", "Добре, а якщо не підійде?", "Замовлення 48213, оплачене вчора", "Зробіть, будь ласка", "Так, усе вірно"],
  en: ["Can I have the tracking number?", "And if it doesn't fit?", "Order 48213, paid yesterday", "Please do", "Yes, that's right"],
};
export const WAITING: Record<Lang, string> = { ru: "Ну где вы?", uk: "Ну де ви?", en: "Hello? Anyone there?" };
export const OPERATOR_SAYS: Record<Lang, string[]> = {
  ru: ["Здравствуйте! Сейчас проверю", "Посмотрел: заказ уже у перевозчика, накладная 2045 0012 3456", "Готово, изменил", "Оформил возврат, деньги придут за 3–7 дней", "Передаю коллеге, он подскажет точнее", "Что-нибудь ещё?"],
  uk: ["Вітаю! Зараз перевірю", "Подивилася: замовлення вже у перевізника, накладна 2045 0012 3456", "Готово, змінила", "Оформила повернення, гроші прийдуть за 3–7 днів", "Передаю колезі, він підкаже точніше", "Щось іще?"],
  en: ["Hi! Let me check", "Checked: it's with the courier, tracking 2045 0012 3456", "Done, changed it", "I've filed the refund, 3–7 days", "Passing you to a colleague who knows this best", "Anything else?"],
};
export const COMMENTS: Record<"good" | "bad", string[]> = {
  good: ["Быстро и вежливо", "Дякую, допомогли!", "Quick and helpful", "Всё решили за пять минут", "Супер, дякую"],
  bad: ["Долго ждал ответа", "Бот не понял вопрос", "Ніхто не відповів", "Too slow", "Проблема не решена"],
};
export const TRANSFER_NOTES = ["Клиент просит счёт на ФОП", "Нужен возврат, оплата картой", "Баг в приложении, есть скриншот", null, null];

export const FIRST_NAMES = ["Olena", "Taras", "Anna", "Mykola", "Iryna", "Sam", "Maria", "Petro", "Oksana", "John", "Олена", "Тарас", "Ганна", "Микола", "Ірина", "Юлія", "Андрій", "Софія", "Lena", "Max"];
export const LAST_NAMES = ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Stone", "Miller", "Melnyk", "Boyko", "Koval", "Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник", "Бойко", "Lysenko", "Rudenko", "Savchenko"];

export const PAGES = [
  { path: "/", title: "Головна" },
  { path: "/catalog/headphones", title: "Навушники" },
  { path: "/catalog/dresses", title: "Сукні" },
  { path: "/product/48213", title: "Кросівки Runner 2" },
  { path: "/cart", title: "Кошик" },
  { path: "/checkout", title: "Оформлення замовлення" },
  { path: "/account/orders", title: "Мої замовлення" },
  { path: "/delivery", title: "Доставка та оплата" },
];
export const REFERRERS = ["https://www.google.com/", "https://www.instagram.com/", "", "", "https://t.me/"];
