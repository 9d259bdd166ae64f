// Chat shorthand → the word a knowledge base would use. General chat slang in
// the three languages, not a list of any one knowledge base's synonyms.
export const SLANG: Record<string, string> = {
  // ru
  спс: "спасибо", спасибки: "спасибо", пасиб: "спасибо", пасиба: "спасибо", сенкс: "спасибо", благодарочка: "спасибо",
  здрасте: "здравствуйте", здрасьте: "здравствуйте", здрасти: "здравствуйте", драсте: "здравствуйте", драсьте: "здравствуйте",
  прив: "привет", приветик: "привет", приветики: "привет", хай: "привет", хелло: "привет",
  скока: "сколько", скоко: "сколько", скок: "сколько", почем: "стоит", щас: "сейчас", че: "что", чо: "что", шо: "что",
  плиз: "пожалуйста", пжл: "пожалуйста", пж: "пожалуйста", пжлст: "пожалуйста",
  промик: "промокод", промо: "промокод", нал: "наличные", налик: "наличные", наличка: "наличка", тел: "телефон",
  акк: "аккаунт", инфа: "информация", мб: "может", оч: "очень", норм: "нормально", пока: "пока",
  // uk
  дякс: "дякую", дяки: "дякую", дяк: "дякую", пасіба: "дякую", спасибі: "дякую", привітики: "привіт", привітик: "привіт",
  скіки: "скільки", скіко: "скільки", почому: "коштує", шось: "щось", тре: "треба",
  // en
  thx: "thanks", thnx: "thanks", tnx: "thanks", thanx: "thanks", ty: "thanks", tysm: "thanks", thankyou: "thanks",
  u: "you", ur: "your", r: "are", pls: "please", plz: "please", pws: "please",
  hey: "hi", heya: "hi", hiya: "hi", yo: "hi", howdy: "hi", hii: "hi",
  whats: "what", wheres: "where", whens: "when", hows: "how", im: "i", cant: "cannot", dont: "do",
  pw: "password", pwd: "password", acct: "account", addr: "address", info: "information", asap: "soon",
  bye: "bye", cya: "bye", byebye: "bye",
};
