import { tokenize } from "./normalize";

// Word beginnings, so that inflected forms match too ("оператора", "людиною", "agents").
// A trailing "$" means the whole word.
const OPERATOR = prefixes(
  "оператор менеджер консультант специалист сотрудник человек людин людьм живого$ живой$ жива$ живий$ працівник фахівц " +
    "operator human agent person representative rep$ manager staff someone$ somebody$ live$",
);
// Two-word asks where each word alone means little: "живой человек", "real person", "не бот".
const OPERATOR_PHRASES = [/\bне бот/, /\bне з ботом/, /\bне с ботом/, /\breal (person|human|people)/, /\bnot a bot/, /\bno bot/];

const COMPLAINT = prefixes(
  "жалоб пожалуюсь претенз ужасн отвратител безобраз обман мошенн развод$ кошмар хамств хамит хамск разочаров недовол позор издевател суд$ судом$ роспотребнадзор возмутит " +
    "скарг поскаржус претензі жахлив огидн шахра ошук незадовол розчаров ганьб знущан обурлив " +
    "complain complaint terribl awful horribl scam fraud disgust unacceptabl worst ridiculous lawsuit sue$ furious outrage disappoint useless rude",
);

export function signals(text: string): { operator: boolean; complaint: boolean } {
  const words = tokenize(text).map((t) => t.word);
  const joined = words.join(" ");
  return {
    operator: words.some((w) => OPERATOR(w)) || OPERATOR_PHRASES.some((re) => re.test(joined)),
    complaint: words.some((w) => COMPLAINT(w)),
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
  const words = tokenize(text).map((t) => t.word.replace(/'/g, ""));
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
    if (sign !== 0) {
      sum += flip ? -sign * 0.8 : sign;
      hits++;
      negated = -1;
    } else if (flip && INTENSIFIER.has(w) && !(POSITIVE(words[i + 1] ?? "") || NEGATIVE(words[i + 1] ?? ""))) {
      // "не очень" on its own: "so-so", leaning negative.
      sum -= 0.5;
      hits++;
      negated = -1;
    }
  }
  if (hits === 0) return 0;
  // Average, pulled towards 0 when only one word spoke.
  return Math.max(-1, Math.min(1, sum / (hits + 0.25)));
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
