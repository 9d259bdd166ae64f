import { weekdays, type PrechatForm, type SiteSettings, type WorkingHours } from "@tandem/protocol";
import { useEffect, useState } from "preact/hooks";
import { api, errorMessage, OFFLINE } from "../api";
import type { Me } from "../app";
import "../account/team.css";
import { SiteBotSettings } from "./site-bot";
import { SiteIdentity } from "./site-identity";
import "./sites.css";

/** Each site of the workspace: what its widget looks like and does, and the tag to paste into its pages. */
export function SitesSettings(_props: { me: Me }) {
  const [sites, setSites] = useState<SiteSettings[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    api.settings.sites
      .$get()
      .then(async (response) => (response.ok ? setSites((await response.json()).sites) : setProblem(await errorMessage(response))))
      .catch(() => setProblem(OFFLINE));
  }, []);

  return (
    <div class="team">
      <h2>Sites</h2>
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      {sites === null ? !problem && <p class="muted">Loading…</p> : sites.map((site) => [
            <SiteCard key={site.id} site={site} />,
            <SiteIdentity key={`${site.id}:identity`} site={site} />,
            <SiteBotSettings key={`${site.id}:bot`} siteId={site.id} />,
          ])}
    </div>
  );
}

const FIELDS: { name: PrechatForm["fields"][number]["name"]; label: string }[] = [
  { name: "name", label: "Name" },
  { name: "email", label: "E-mail" },
  { name: "phone", label: "Phone" },
  { name: "topic", label: "Topic" },
];

/** The form keeps text as typed; it becomes settings only on Save, where the server judges it. */
function SiteCard(props: { site: SiteSettings }) {
  const [site, setSite] = useState(props.site);
  const [name, setName] = useState(site.name);
  const [origins, setOrigins] = useState(site.allowedOrigins.join("\n"));
  const [look, setLook] = useState(site.look);
  const [hours, setHours] = useState(() => hoursText(site.workingHours));
  const [fields, setFields] = useState(site.prechatForm.fields);
  const [topics, setTopics] = useState(site.prechatForm.topics.join("\n"));
  const [reopen, setReopen] = useState(String(site.reopenMinutes));
  const [state, setState] = useState<{ problem?: string; saved?: boolean; copied?: boolean }>({});

  const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
  const setField = (name: (typeof FIELDS)[number]["name"], mode: string) => {
    const rest = fields.filter((f) => f.name !== name);
    setFields(mode === "off" ? rest : [...rest, { name, required: mode === "required" }]);
  };

  async function save(event: Event) {
    event.preventDefault();
    const workingHours = parseHours(hours);
    if (typeof workingHours === "string") return setState({ problem: workingHours });
    const json = {
      name,
      allowedOrigins: lines(origins),
      look,
      workingHours,
      prechatForm: { fields: FIELDS.flatMap((f) => fields.filter((x) => x.name === f.name)), topics: lines(topics) },
      reopenMinutes: Number(reopen),
    };
    try {
      const response = await api.settings.sites[":id"].$patch({ param: { id: site.id }, json });
      if (!response.ok) return setState({ problem: await errorMessage(response) });
      const saved = (await response.json()).site;
      setSite(saved);
      setOrigins(saved.allowedOrigins.join("\n"));
      setLook(saved.look);
      setState({ saved: true });
    } catch {
      setState({ problem: OFFLINE });
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(site.embed);
    } catch {
      // No clipboard permission (an http page, an old browser): select it for Ctrl+C.
      (document.querySelector("[data-testid=site-embed]") as HTMLTextAreaElement | null)?.select();
      document.execCommand("copy");
    }
    setState({ copied: true });
  }

  return (
    <form class="group-card site-card" data-testid="site-card" onSubmit={save} onInput={() => setState({})}>
      <section>
        <h3>Embed</h3>
        <p class="muted small">Paste this tag into every page of the site, once. Changes below reach the widget on the next page load.</p>
        <div class="invite-link">
          <textarea readOnly rows={2} value={site.embed} data-testid="site-embed" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy()} data-testid="site-copy">
            {state.copied ? "Copied" : "Copy"}
          </button>
        </div>
      </section>
      <label>
        Name
        <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="site-name" />
      </label>
      <label>
        Allowed origins <span class="muted small">one per line, like https://shop.example; none allows any site</span>
        <textarea rows={3} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} data-testid="site-origins" />
      </label>
      <h3>Look</h3>
      <div class="team-fields">
        <label>
          Colour
          <input type="color" value={look.color} onInput={(e) => setLook({ ...look, color: e.currentTarget.value })} data-testid="site-color" />
        </label>
        <label>
          Side
          <select value={look.position} onChange={(e) => setLook({ ...look, position: e.currentTarget.value as "left" })}>
            <option value="right">Right</option>
            <option value="left">Left</option>
          </select>
        </label>
        <label>
          Theme
          <select value={look.dark} onChange={(e) => setLook({ ...look, dark: e.currentTarget.value as "auto" })}>
            <option value="auto">Follow the device</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label>
          Language
          <select
            value={look.language ?? ""}
            onChange={(e) => setLook({ ...look, language: (e.currentTarget.value || null) as "en" | null })}
            data-testid="site-language"
          >
            <option value="">The page's language</option>
            <option value="en">English</option>
            <option value="ru">Русский</option>
            <option value="uk">Українська</option>
          </select>
        </label>
      </div>
      <label>
        Greeting
        <input maxLength={300} value={look.greeting ?? ""} onInput={(e) => setLook({ ...look, greeting: e.currentTarget.value || null })} />
      </label>
      <label>
        Logo <span class="muted small">an https URL</span>
        <input type="url" value={look.logoUrl ?? ""} onInput={(e) => setLook({ ...look, logoUrl: e.currentTarget.value || null })} />
      </label>
      <h3>Working hours</h3>
      <label class="check">
        <input type="checkbox" checked={hours.always} onInput={(e) => setHours({ ...hours, always: e.currentTarget.checked })} data-testid="site-always-open" />
        Always open
      </label>
      {!hours.always && (
        <div class="site-hours">
          <label>
            Time zone
            <input value={hours.timeZone} onInput={(e) => setHours({ ...hours, timeZone: e.currentTarget.value })} placeholder="Europe/Kyiv" />
          </label>
          {weekdays.map((day) => (
            <label key={day}>
              {day}
              <input
                value={hours.days[day]}
                placeholder="closed"
                onInput={(e) => setHours({ ...hours, days: { ...hours.days, [day]: e.currentTarget.value } })}
                data-testid={`site-hours-${day}`}
              />
            </label>
          ))}
          <p class="muted small">Like 09:00-13:00, 14:00-18:00; empty is closed.</p>
        </div>
      )}
      <h3>Pre-chat form</h3>
      <div class="team-fields">
        {FIELDS.map((f) => {
          const field = fields.find((x) => x.name === f.name);
          return (
            <label key={f.name}>
              {f.label}
              <select value={field ? (field.required ? "required" : "optional") : "off"} onChange={(e) => setField(f.name, e.currentTarget.value)}>
                <option value="off">Not asked</option>
                <option value="optional">Optional</option>
                <option value="required">Required</option>
              </select>
            </label>
          );
        })}
      </div>
      <label>
        Topics <span class="muted small">one per line</span>
        <textarea rows={3} value={topics} onInput={(e) => setTopics(e.currentTarget.value)} />
      </label>
      <label>
        Reopen within <span class="muted small">minutes after a close, a customer who writes again reopens the same conversation</span>
        <input type="number" min={0} step={1} value={reopen} onInput={(e) => setReopen(e.currentTarget.value)} data-testid="site-reopen" />
      </label>
      {state.problem && (
        <p class="form-error" role="alert">
          {state.problem}
        </p>
      )}
      <div class="team-fields">
        <button class="primary" type="submit" data-testid="site-save">
          Save
        </button>
        {state.saved && (
          <span class="muted" data-testid="site-saved">
            Saved. The widget shows it on its next page load.
          </span>
        )}
      </div>
    </form>
  );
}

export type HoursText = { always: boolean; timeZone: string; days: Record<(typeof weekdays)[number], string> };

export function hoursText(hours: WorkingHours): HoursText {
  const open = "timeZone" in hours ? hours : null;
  const days = Object.fromEntries(weekdays.map((d) => [d, (open?.days[d] ?? []).map(([a, b]) => `${a}-${b}`).join(", ")]));
  return { always: !open, timeZone: open?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, days: days as HoursText["days"] };
}

/** Text back into working hours, or what is wrong with it; the server checks the rest. */
export function parseHours(text: HoursText): WorkingHours | string {
  if (text.always) return {};
  const days: Record<string, [string, string][]> = {};
  for (const day of weekdays) {
    const ranges = text.days[day].split(",").map((r) => r.trim()).filter(Boolean);
    days[day] = [];
    for (const range of ranges) {
      const m = /^(\d{1,2}:\d\d)\s*[-–]\s*(\d{1,2}:\d\d)$/.exec(range);
      if (!m) return `Hours on ${day}: write ranges like 09:00-18:00.`;
      days[day].push([m[1].padStart(5, "0"), m[2].padStart(5, "0")]);
    }
  }
  return { timeZone: text.timeZone.trim(), days } as WorkingHours;
}
