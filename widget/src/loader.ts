// The file the script tag loads. Plain TypeScript, no framework: it records
// the navigation trail, shows the launcher, queues the page's Tandem(...)
// calls and loads the chat app only on intent, so a page view costs one
// small request and no socket.

import type { Command, Mounted, Visit } from "./app/main";
import { ACTIVE, LOOK, TRAIL } from "./keys";

type TandemWindow = Window & { Tandem?: ((...args: unknown[]) => void) & { q?: unknown[] } };


// --brand is set here so the app's panel shares it, and a site's colour can replace it.
// Keyboard focus shows the browser's own ring, which no page CSS can reach in here. The
// page's rules for the host element itself (even !important ones) lose to :host's !important.
const LAUNCHER_CSS =
  ":host{all:initial!important;--brand:#2563eb}#l{position:fixed;right:var(--r,20px);left:var(--l,auto);bottom:20px;z-index:2147483000;padding:14px;line-height:0;" +
  "border:0;border-radius:50%;background:var(--brand);cursor:pointer;box-shadow:0 6px 20px #0003}";

// A chat bubble; the app adds the chevron it shows while the panel is open.
const ICON =
  '<svg width="28" viewBox="0 0 24 24" fill="none" stroke="#fff" stroke-width="2">' +
  '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';

function boot(script: HTMLScriptElement) {
  const siteKey = script.dataset.site;
  if (!siteKey) return console.error("Tandem: no data-site");
  const base = new URL(".", script.src).href;
  const w = window as TandemWindow;
  // The snippet's queue holds `arguments` objects; those and later arrays read the same way.
  const queue = (w.Tandem?.q || []) as Command[];
  const opened = queue.some((args) => args[0] === "open");
  let chat: Promise<Mounted> | undefined;
  let active;

  const host = document.createElement("tandem-chat");

  // The trail: every page this browser saw on the site, across full loads and SPA routes.
  // It stays on this device; the app strips secret-looking parameters before any of it leaves.
  // Without storage (blocked cookies) the page still works, it just forgets.
  let trail: Visit[] = [];
  try {
    trail = [...JSON.parse(localStorage[TRAIL] || "[]")];
    active = localStorage[ACTIVE + siteKey];
    // The side and colour the app saw last time; it applies the site's current ones when it comes.
    host.style.cssText = localStorage[LOOK + siteKey];
  } catch {}
  const visit = () => {
    const url = location.href;
    if (trail.at(-1)?.url === url) return;
    trail = [...trail, { url, title: document.title, at: Date.now() }].slice(-30); // at most 30 pages
    try {
      localStorage[TRAIL] = JSON.stringify(trail);
    } catch {}
    chat?.then((c) => c.page());
  };
  // SPA routes (pushState, replaceState, popstate, hashchange) all change the address; looking at it
  // twice a second catches every kind without wrapping the page's history, and reads the title the
  // route has set by then.
  setInterval(visit, 500);
  visit();

  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `<style>${LAUNCHER_CSS}</style><button id="l" aria-label="Chat">${ICON}</button>`;
  const launcher = root.lastChild as HTMLButtonElement;
  document.body.append(host);

  const load = (open?: boolean) =>
    (chat ??= import(`${base}app.js`)
      .then((app: typeof import("./app/main")) => app.mount({ root, siteKey, base, open, queue, trail: () => trail }))
      // A failed download must not disable the launcher: the next intent tries again.
      .catch((error) => {
        chat = undefined;
        throw error;
      }));

  launcher.onpointerenter = launcher.onfocus = () => load();
  launcher.onclick = () => (chat ? chat.then((c) => c.toggle()) : load(true));
  // A conversation in progress comes back with the page, and so does a page that asked to open.
  if (active || opened) load(opened);

  // Calls made before the app is here wait in the queue; "open" is intent and fetches it.
  w.Tandem = (...args: unknown[]) =>
    chat ? chat.then((c) => c.command(args as Command)) : (queue.push(args as Command), args[0] === "open" && load(true));
}

const current = document.currentScript as HTMLScriptElement | null;
if (current) {
  if (document.body) boot(current);
  else addEventListener("DOMContentLoaded", () => boot(current));
}
