// The file the script tag loads. Plain TypeScript, no framework: it shows the
// launcher and loads the chat app only on intent, so a page view costs one
// small request and no socket.

type Chat = { open(): void; close(): void; toggle(): void };
type Queue = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };
type TandemWindow = Window & { Tandem?: Queue };

const ACTIVE = "tandem:active:";

const LAUNCHER_CSS =
  ":host{all:initial}.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;" +
  "border:0;border-radius:50%;background:#2563eb;color:#fff;cursor:pointer;box-shadow:0 6px 20px #0003}" +
  ".launcher:focus-visible{outline:3px solid #93c5fd;outline-offset:3px}";

const CHAT_ICON =
  '<svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';

function boot(script: HTMLScriptElement) {
  const siteKey = script.dataset.site;
  if (!siteKey) return console.error("Tandem: the script tag needs a data-site attribute with your site key.");
  const base = new URL(".", script.src).href;

  const host = document.createElement("tandem-chat");
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `<style>${LAUNCHER_CSS}</style><button type="button" class="launcher" data-testid="tandem-launcher" aria-label="Open chat" aria-expanded="false">${CHAT_ICON}</button>`;
  const launcher = root.querySelector("button")!;
  document.body.appendChild(host);

  let chat: Promise<Chat> | undefined;
  const load = () =>
    (chat ??= import(`${base}app.js`).then((app: { mount(o: object): Chat }) =>
      app.mount({ root, launcher, siteKey, base, activeKey: ACTIVE + siteKey }),
    ));

  launcher.addEventListener("pointerenter", load, { once: true });
  launcher.addEventListener("focus", load, { once: true });
  launcher.addEventListener("click", () => load().then((c) => c.toggle()));
  // A conversation in progress comes back with the page.
  if (localStorage.getItem(ACTIVE + siteKey)) load();

  // Commands queued before this file arrived run now; later ones run as they come.
  const w = window as TandemWindow;
  const queued = w.Tandem?.q ?? [];
  w.Tandem = (command: unknown) => {
    if (command === "open") load().then((c) => c.open());
    else if (command === "close") chat?.then((c) => c.close());
  };
  for (const args of Array.from(queued)) w.Tandem(...Array.from(args));
}

const current = (document.currentScript ?? document.querySelector("script[data-site]")) as HTMLScriptElement | null;
if (current) {
  if (document.body) boot(current);
  else document.addEventListener("DOMContentLoaded", () => boot(current));
}
