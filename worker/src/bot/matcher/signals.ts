import { stemSimilarity } from "./fuzzy";
import { tokenize } from "./normalize";
import { words, type Word } from "./terms";

// Explicit asks and complaints (B2) are read from stems (the matcher's Snowball
// stemmers, ru+uk for Cyrillic words, Latin-typed Russian through its
// transliteration) and from words' neighbours: a word like "person", "live",
// "человек" or "развод" alone says nothing — "I live in Kyiv", "на 5 человек"
// — only "a live agent", "позовите человека", "это развод" do. Neighbours are
// counted in content words, so "соедините меня, пожалуйста, с менеджером" stays one ask.

/** Asks for a person on their own, in any form: "оператора", "operators". */
const OPERATOR = lexicon("оператор оператора оператору оператором операторы операторов операторів operator$ operators$");
/** Unless they name a carrier, not our staff: "оператор доставки", "mobile operator". */
const CARRIER_AFTER = lexicon("доставки связи звязку доставлення пошти");
const CARRIER_BEFORE = lexicon(
  "мобильный мобильного мобільний мобільного поштовий почтовый логистический логістичний " +
    // "перейти от своего оператора", "у іншого оператора": a phone carrier a customer leaves or compares.
    "другого другому другой іншого іншому інший своего свого прежнего старого нынешнего теперішнього попереднього " +
    "mobile$ tour$ network$ other$ another$ current$ previous$ old$",
);

/** A person who could take over, when something in the message asks for them. */
const PERSON = lexicon(
  "человек человека человеком люди людей людьми людина людину людиною людини " +
    "менеджер менеджера менеджеру менеджером консультант консультанта консультантом специалист специалиста специалистом " +
    "сотрудник сотрудника сотрудником спеціаліст спеціаліста спеціалістом фахівець фахівця фахівцем працівник працівника працівником " +
    "person$ human$ humans$ agent$ agents$ representative$ rep$ manager$ supervisor$ staff$ specialist$",
);
/** "Someone", which asks only with a verb of talking: "talk to someone", "позовите кого-нибудь". */
const ANYONE = lexicon("кого кем когось кимось someone$ somebody$ anyone$ anybody$");
/** "Live", "real": asks only right before a person: "живой человек", "real person", "live agent". */
const LIVE = lexicon("живой живого живым живому живая живую живий живого живим жива живу живою настоящий настоящего настоящим справжній справжнього справжньою справжня real$ live$ actual$ human$");
const LIVE_SERVICE = lexicon("поддержка поддержку підтримка підтримку support$ chat$");
/** Verbs of reaching a person: the person may stand two content words after, or one before ("менеджера позовите"). */
const CONTACT = lexicon(
  "позовите позвать позови зовите вызовите пригласите соедините соединить соедини переключите переключить подключите свяжите связаться " +
    "поговорить пообщаться общаться переговорить помочь " +
    "покличте поклич покликати зєднайте зєднати переключіть переключити підключіть звяжіть звязатися поговорити спілкуватися поспілкуватися допомогти " +
    "talk$ talking$ speak$ speaking$ chat$ chatting$ connect$ transfer$ escalate$ reach$ help$",
);
/** Wanting or being given one: the person must follow with no content word between ("хочу оператора", "need a human"). */
const WANT = lexicon("хочу хочется нужен нужна нужно надо дайте потрібен потрібна потрібно треба want$ need$ get$ give$");
const QUESTION = lexicon("ли$ чи$");
const NOT = lexicon("не ни нет ні без not$ no$ dont$ never$ without$ cant$");
const BOT = lexicon("бот бота ботом боту роботом робот bot$ bots$ robot$ machine$");
/** Words that may stand beside a bare "человека!" or "human please" without making it something else. */
const FILLER = lexicon("срочно терміново скорее быстрее now$ asap$ urgent$ urgently$ ау эй hello$");

/** Complaint words that tell on their own. */
const COMPLAINT = lexicon(
  "жалоба жалобу жалобы жаловаться пожалуюсь пожаловаться претензия претензию претензии ужасный ужасная ужасное ужасно ужасные " +
    "отвратительный отвратительно отвратительное безобразие обман обманули обманываете обманщики мошенники мошенник мошенничество " +
    "кошмар хамство хамите хамят хамский хамка разочарован разочарована разочарование недоволен недовольна позор издевательство издеваетесь " +
    "роспотребнадзор возмутительно возмутительный засужу лохотрон " +
    "скарга скаргу скарги скаржитися поскаржуся претензію жахливий жахливо жахлива жахливе огидний огидно шахраї шахрай шахрайство " +
    "ошуканці ошукали незадоволений незадоволена розчарований розчарована ганьба знущання обурливо " +
    "complain$ complaining$ complained$ complaint$ complaints$ terrible$ terribly$ awful$ horrible$ scam$ scammed$ scammers$ fraud$ " +
    "disgusting$ unacceptable$ worst$ ridiculous$ lawsuit$ furious$ outrage$ outrageous$ disappointed$ disappointing$ useless$ rude$",
);
/** "Terribly sorry", "worst case": the next word takes the sting out. */
const SOFTENED_BY = lexicon("sorry$ case$");
/** "Развод" is slang for a scam only as "это развод", "развод на деньги". */
const SCAM_SLANG = lexicon("развод разводилово розвод");
const SCAM_SLANG_BEFORE = lexicon("это какой$ полный сплошной очередной просто настоящий це якийсь$ повний");
const SCAM_SLANG_AFTER = lexicon("деньги лохов какой$ гроші якийсь$");
/** Court: "подам в суд", "через суд", "подам до суду". */
const COURT = lexicon("суд суда суду судом");
const COURT_BEFORE = lexicon("подам подать подаю обращусь обратиться пойду через подаду звернуся піду");
const SUE = lexicon("sue$ suing$");
const SUE_BEFORE = lexicon("will$ ill$ gonna$ going$ shall$ would$");
const SUE_AFTER = lexicon("you$ u$ your$ them$");

/** The escalation signals of a customer's message (B2): an explicit ask for a person, a complaint. */
export function signals(text: string): { operator: boolean; complaint: boolean } {
  const ws = words(text);
  // Sentence by sentence for the ask, so a "no" that ends one does not take back the next: "Спасибо, но нет. Дайте человека."
  const sentences = text.split(/(?<=[.!?…])\s+/).filter((part) => part.trim());
  return { operator: sentences.some((part) => asksForPerson(words(part))), complaint: complains(ws) };
}

function asksForPerson(ws: Word[]): boolean {
  // "не нужен оператор", "I don't need a human": a negated want just before the ask takes it back.
  const declined = (at: number) => {
    for (let k = Math.max(0, at - 3); k < at; k++) if (NOT.has(ws[k]) && WANT.has(ws[k + 1])) return true;
    return false;
  };
  // "другого оператора" is a carrier, unless asked for: "переключите на другого оператора".
  const called = (at: number) => ws.slice(Math.max(0, at - 3), at).some((w) => CONTACT.has(w) || WANT.has(w));
  const named = ws.some(
    (w, i) => (OPERATOR.has(w) || OPERATOR.near(w)) && !CARRIER_AFTER.has(ws[i + 1]) && (!CARRIER_BEFORE.has(ws[i - 1]) || called(i)) && !declined(i),
  );
  // "не с ботом", "not a bot", "I don't want to talk to a bot".
  if (named || pairs(ws, NOT, BOT, { gap: 0, skip: [WANT, CONTACT] }).length) return true;
  const asks = [
    ...pairs(ws, LIVE, PERSON, { gap: 0 }),
    ...pairs(ws, LIVE, LIVE_SERVICE, { gap: 0 }),
    ...pairs(ws, CONTACT, PERSON, { gap: 2 }),
    ...pairs(ws, CONTACT, ANYONE, { gap: 2 }),
    ...pairs(ws, PERSON, CONTACT, { gap: 1 }),
    ...pairs(ws, ANYONE, CONTACT, { gap: 1 }),
    // "нужен ли человек при получении?", "чи потрібна людина?" ask whether one is needed, not for one.
    ...pairs(ws, WANT, PERSON, { gap: 0 }).filter(([i, j]) => !ws.slice(Math.max(0, i - 1), j).some((w) => QUESTION.has(w))),
  ];
  if (asks.some(([at]) => !declined(at))) return true;
  // A message of little else than a person: "человека!", "людину будь ласка", "human please".
  const content = ws.filter((w) => !w.stop && !FILLER.has(w));
  return (
    content.length > 0 &&
    content.length <= 3 &&
    !ws.some((w) => NOT.has(w)) &&
    content.some((w) => PERSON.has(w)) &&
    content.every((w) => PERSON.has(w) || LIVE.has(w) || WANT.has(w) || CONTACT.has(w))
  );
}

function complains(ws: Word[]): boolean {
  if (ws.some((w, i) => COMPLAINT.has(w) && !SOFTENED_BY.has(ws[i + 1]))) return true;
  return [
    pairs(ws, SCAM_SLANG_BEFORE, SCAM_SLANG, { gap: 0 }),
    pairs(ws, SCAM_SLANG, SCAM_SLANG_AFTER, { gap: 1 }),
    pairs(ws, COURT_BEFORE, COURT, { gap: 0 }),
    pairs(ws, SUE_BEFORE, SUE, { gap: 0 }),
    pairs(ws, SUE, SUE_AFTER, { gap: 0 }),
  ].some((found) => found.length > 0);
}

/**
 * Positions [i, j], i < j, where a word of `first` is followed by a word of
 * `second` with at most `gap` content words between; stop words and words of
 * `skip` do not count.
 */
function pairs(ws: Word[], first: Lexicon, second: Lexicon, { gap, skip = [] }: { gap: number; skip?: Lexicon[] }): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 0; i < ws.length; i++) {
    if (!first.has(ws[i])) continue;
    let between = 0;
    for (let j = i + 1; j < ws.length && between <= gap; j++) {
      if (second.has(ws[j])) {
        found.push([i, j]);
        break;
      }
      if (!ws[j].stop && !skip.some((l) => l.has(ws[j]))) between++;
    }
  }
  return found;
}

type Lexicon = { has(w: Word | undefined): boolean; near(w: Word): boolean };

/**
 * A list of word forms, matched by their stems (so other forms of a listed word
 * match too). A form ending in "$" matches only as that word: English stems are
 * too eager for these lists ("operator" and "operating" share "oper").
 */
function lexicon(list: string): Lexicon {
  const stemSet = new Set<string>();
  const exact = new Set<string>();
  for (const item of list.split(/\s+/)) {
    if (!item) continue;
    if (item.endsWith("$")) for (const w of words(item.slice(0, -1))) exact.add(w.text);
    else for (const w of words(item)) for (const s of w.stems) stemSet.add(s);
  }
  const long = [...stemSet, ...exact].filter((s) => s.length >= 6);
  return {
    has: (w) => w !== undefined && (exact.has(w.text) || w.stems.some((s) => stemSet.has(s)) || w.alts.some((s) => stemSet.has(s))),
    // One typo in a long word: "опертора", "operatr".
    near: (w) => [w.text, ...w.stems, ...w.alts].some((s) => s.length >= 6 && long.some((l) => stemSimilarity(s, l) >= 0.85)),
  };
}

// Sentiment lexicon: word beginnings with a sign.
const POSITIVE = prefixes(
  "спасиб благодар круто$ круть классн отличн прекрасн супер$ хорош замечател понрав рад$ рада$ довол любл быстро$ удобн помогл молодц " +
    "дякую дяку чудов класн відмінн гарн супер$ добре$ задоволен подобає сподоба радий рада$ швидко$ зручн допомогл молодц " +
    "thank thanks great awesom excellent perfect love nice good helpful happy amazing wonderful fast$ quick$ fantastic",
);
const NEGATIVE = prefixes(
  "ужасн плох отвратител кошмар медленн долго$ обман мошенн разочаров недовол хам бесит бесполезн худш позор жалоб " +
    "жахлив поган огидн повільн обман шахра розчаров незадовол гірш ганьб скарг марн " +
    "terribl awful horribl bad$ worst slow scam fraud disappoint angry hate useless rude poor broken never$ complain",
);
const NEGATION = new Set("не ни нет ні немає not no never dont don't isnt wasnt doesnt didnt cant won't".split(" "));
const INTENSIFIER = new Set("очень сильно совсем дуже зовсім very really so too".split(" "));

/** Keyword sentiment in −1..1 (A5); a negation flips the next sentiment word, "не очень" alone is mildly negative. */
export function sentiment(text: string): number {
  return sentimentOf(text).score;
}

/**
 * The score, and the words that made it, each with the sign it counted
 * with ("+спасибо", "-ужасный", "+не плохо" — a negation goes with its word).
 */
export function sentimentOf(text: string): { score: number; words: string[] } {
  const words = tokenize(text).map((t) => t.word.replace(/'/g, ""));
  const matched: string[] = [];
  let sum = 0;
  let hits = 0;
  let negated = -1; // index of the last negation word
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (NEGATION.has(w)) {
      negated = i;
      continue;
    }
    const sign = POSITIVE(w) ? 1 : NEGATIVE(w) ? -1 : 0;
    const flip = negated >= 0 && i - negated <= 2;
    const said = flip ? `${words[negated]} ${w}` : w;
    if (sign !== 0) {
      sum += flip ? -sign * 0.8 : sign;
      hits++;
      matched.push(`${(flip ? -sign : sign) > 0 ? "+" : "-"}${said}`);
      negated = -1;
    } else if (flip && INTENSIFIER.has(w) && !(POSITIVE(words[i + 1] ?? "") || NEGATIVE(words[i + 1] ?? ""))) {
      // "не очень" on its own: "so-so", leaning negative.
      sum -= 0.5;
      hits++;
      matched.push(`-${said}`);
      negated = -1;
    }
  }
  if (hits === 0) return { score: 0, words: [] };
  // Average, pulled towards 0 when only one word spoke.
  return { score: Math.max(-1, Math.min(1, sum / (hits + 0.25))), words: matched };
}

function prefixes(list: string) {
  const starts: string[] = [];
  const whole = new Set<string>();
  for (const item of list.split(/\s+/)) {
    if (item.endsWith("$")) whole.add(item.slice(0, -1));
    else if (item) starts.push(item);
  }
  return (word: string) => whole.has(word) || starts.some((s) => word.startsWith(s));
}
