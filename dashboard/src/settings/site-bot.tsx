import { BOT_TEXT_KEYS, DEFAULT_TEXTS, KNOWLEDGE_LANGS, weekdays, type BotTexts, type KnowledgeLang, type SiteBot } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import { hoursText, parseHours, type HoursText } from "./sites";
import "./site-bot.css";

type Key = keyof BotTexts;
type Texts = Record<Key, Record<KnowledgeLang, string>>;

/** What each text is for, and the `{name}` it may use. */
const TEXT_LABELS: Record<Key, string> = {
  onTheWay: "Handing over: an operator is on the way",
  greeting: "An operator joins: greeting ({operator} is their name)",
  offlineAsk: "Outside operators' hours: asking for an e-mail or phone",
  offlineThanks: "Outside operators' hours: thanks ({contact})",
  offlineAgain: "Outside operators' hours: not an e-mail or phone",
  invalid: "A collected field does not look right ({field})",
  notHelped: "The same question again: the answer did not help",
  person: "The button that calls a person",
  reminder: "Reminder before the idle close ({minutes})",
  idleClosed: "Closed after silence",
};
const LANG_NAMES: Record<KnowledgeLang, string> = { ru: "Русский", uk: "Українська", en: "English" };

const textsOf = (stored: SiteBot["texts"]): Texts =>
  Object.fromEntries(BOT_TEXT_KEYS.map((key) => [key, Object.fromEntries(KNOWLEDGE_LANGS.map((l) => [l, stored[key]?.[l] ?? ""]))])) as Texts;

/** Only the texts written: an empty one means the built-in default. */
function writtenTexts(texts: Texts) {
  const out: Partial<Record<Key, Partial<Record<KnowledgeLang, string>>>> = {};
  for (const key of BOT_TEXT_KEYS) {
    for (const lang of KNOWLEDGE_LANGS) {
      const text = texts[key][lang].trim();
      if (text) out[key] = { ...out[key], [lang]: text };
    }
  }
  return out;
}

const FIELD_NAMES: Record<string, string> = { hours: "Bot hours", idleCloseMinutes: "Close after silence", reminderMinutes: "Remind before closing" };

/** The server names the field by its path ("Texts.person.uk: a text is empty."); say it as the form does. */
function inWords(message: string) {
  const m = /^(\w+)((?:\.\w+)*): (.*)$/s.exec(message);
  if (!m) return message;
  const [, field, rest, problem] = m;
  const [key, lang] = rest.slice(1).split(".");
  const named = field.toLowerCase() === "texts" && key in TEXT_LABELS ? `${TEXT_LABELS[key as Key]}${lang in LANG_NAMES ? ` (${LANG_NAMES[lang as KnowledgeLang]})` : ""}` : FIELD_NAMES[field.charAt(0).toLowerCase() + field.slice(1)];
  return named ? `${named}: ${problem}` : message;
}

/** A site's bot (B2–B4): on or off, its own hours, the idle close with its reminder, and its words per language. */
export function SiteBotSettings(props: { siteId: string }) {
  const [form, setForm] = useState<{ enabled: boolean; hours: HoursText; idle: string; reminder: string; texts: Texts } | null>(null);
  const [state, setState] = useState<{ problem?: string; saved?: boolean }>({});

  function show(bot: SiteBot) {
    setForm({ enabled: bot.enabled, hours: hoursText(bot.hours), idle: String(bot.idleCloseMinutes), reminder: String(bot.reminderMinutes), texts: textsOf(bot.texts) });
  }

  useEffect(() => {
    api.knowledge.sites[":siteId"].bot
      .$get({ param: { siteId: props.siteId } })
      .then(async (response) => (response.ok ? show((await response.json()).bot) : setState({ problem: inWords(await errorMessage(response)) })))
      .catch(() => setState({ problem: OFFLINE }));
  }, [props.siteId]);

  async function save(event: Event) {
    event.preventDefault();
    if (!form) return;
    const hours = parseHours(form.hours);
    if (typeof hours === "string") return setState({ problem: hours });
    const json = { enabled: form.enabled, hours, idleCloseMinutes: Number(form.idle), reminderMinutes: Number(form.reminder), texts: writtenTexts(form.texts) };
    try {
      const response = await api.knowledge.sites[":siteId"].bot.$put({ param: { siteId: props.siteId }, json });
      if (!response.ok) return setState({ problem: inWords(await errorMessage(response)) });
      show((await response.json()).bot);
      setState({ saved: true });
    } catch {
      setState({ problem: OFFLINE });
    }
  }

  if (!form) return state.problem ? <p class="form-error" role="alert">{state.problem}</p> : null;
  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });
  const setText = (key: Key, lang: KnowledgeLang, text: string) => set({ texts: { ...form.texts, [key]: { ...form.texts[key], [lang]: text } } });
  const { hours } = form;

  return (
    <form class="group-card site-card site-bot" data-testid="site-bot" onSubmit={save} onInput={() => setState({})}>
      <h3>Bot</h3>
      <label class="check">
        <input type="checkbox" checked={form.enabled} onInput={(e) => set({ enabled: e.currentTarget.checked })} data-testid="bot-enabled" />
        The bot answers on this site <span class="muted small">off: every conversation goes straight to the queue</span>
      </label>
      <h4>Bot hours</h4>
      <label class="check">
        <input type="checkbox" checked={hours.always} onInput={(e) => set({ hours: { ...hours, always: e.currentTarget.checked } })} data-testid="bot-always" />
        Any time
      </label>
      {!hours.always && (
        <div class="site-hours">
          <label>
            Time zone
            <input value={hours.timeZone} onInput={(e) => set({ hours: { ...hours, timeZone: e.currentTarget.value } })} placeholder="Europe/Kyiv" />
          </label>
          {weekdays.map((day) => (
            <label key={day}>
              {day}
              <input
                value={hours.days[day]}
                placeholder="off"
                onInput={(e) => set({ hours: { ...hours, days: { ...hours.days, [day]: e.currentTarget.value } } })}
                data-testid={`bot-hours-${day}`}
              />
            </label>
          ))}
          <p class="muted small">Like 09:00-13:00, 14:00-18:00; empty is off. Outside these hours the customer goes straight to the queue.</p>
        </div>
      )}
      <div class="team-fields">
        <label>
          Close after silence <span class="muted small">minutes; 0 never</span>
          <input type="number" min={0} step={1} value={form.idle} onInput={(e) => set({ idle: e.currentTarget.value })} data-testid="bot-idle" />
        </label>
        <label>
          Remind before closing <span class="muted small">minutes; 0 no reminder</span>
          <input type="number" min={0} step={1} value={form.reminder} onInput={(e) => set({ reminder: e.currentTarget.value })} data-testid="bot-reminder" />
        </label>
      </div>
      <details class="bot-texts">
        <summary data-testid="bot-texts">Texts</summary>
        <p class="muted small">Each empty field says the built-in text shown in grey.</p>
        <table>
          <thead>
            <tr>
              <th />
              {KNOWLEDGE_LANGS.map((lang) => (
                <th key={lang}>{LANG_NAMES[lang]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {BOT_TEXT_KEYS.map((key) => (
              <tr key={key}>
                <th scope="row">{TEXT_LABELS[key]}</th>
                {KNOWLEDGE_LANGS.map((lang) => (
                  <td key={lang}>
                    <textarea
                      rows={3}
                      maxLength={500}
                      aria-label={`${TEXT_LABELS[key]}, ${LANG_NAMES[lang]}`}
                      placeholder={DEFAULT_TEXTS[lang][key]}
                      value={form.texts[key][lang]}
                      onInput={(e) => setText(key, lang, e.currentTarget.value)}
                      data-testid={`bot-text-${key}-${lang}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {state.problem && (
        <p class="form-error" role="alert">
          {state.problem}
        </p>
      )}
      <div class="team-fields">
        <button class="primary" type="submit" data-testid="bot-save">
          Save bot
        </button>
        {state.saved && (
          <span class="muted" data-testid="bot-saved">
            Saved. New messages follow it at once.
          </span>
        )}
      </div>
    </form>
  );
}
