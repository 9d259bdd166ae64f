// The file the script tag loads. Plain TypeScript, no framework: it shows the
// launcher and loads the chat app only on intent, so a page view costs one
// small request and no socket.

type Chat = { open(): void; close(): void; toggle(): void };
type TandemWindow = Window & { Tandem?: ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] } };

const ACTIVE = "tandem:active:";

// --brand is set here so the app's panel shares it, and a site's colour can replace it.
const LAUNCHER_CSS =
  ":host{all:initial;--brand:#2563eb}:host>button{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;" +
  "display:grid;place-items:center;border:0;border-radius:50%;background:var(--brand);cursor:pointer;box-shadow:0 6px 20px #0003}" +
  ":host>button:focus-visible{outline:3px solid var(--brand);outline-offset:3px}" +
  "[aria-expanded=true] .chat,[aria-expanded=false] .down{display:none}";

// A chat bubble while closed, a chevron pointing at the panel while open.
const ICON =
  '<svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="#fff" stroke-width="2">' +
  '<path class="chat" d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/><path class="down" d="m6 9 6 6 6-6"/></svg>';

function boot(script: HTMLScriptElement) {
  const siteKey = script.dataset.site;
  if (!siteKey) return console.error("Tandem: no data-site");
  const base = new URL(".", script.src).href;
  const activeKey = ACTIVE + siteKey;

  const host = document.createElement("tandem-chat");
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `<style>${LAUNCHER_CSS}</style><button data-testid="tandem-launcher" aria-label="Chat" aria-expanded="false">${ICON}</button>`;
  const launcher = root.lastChild as HTMLButtonElement;
  document.body.append(host);

  let chat: Promise<Chat> | undefined;
  const load = (open: boolean) =>
    (chat ??= import(`${base}app.js`).then(
      (app: { mount(options: object): Chat }) => app.mount({ root, launcher, siteKey, base, open, activeKey }),
      // A failed download must not disable the launcher: the next intent tries again.
      (error) => {
        chat = undefined;
        throw error;
      },
    ));
  const show = () => (chat ? chat.then((c) => c.open()) : load(true));

  launcher.onpointerenter = launcher.onfocus = () => load(false);
  launcher.onclick = () => (chat ? chat.then((c) => c.toggle()) : load(true));
  try {
    // A conversation in progress comes back with the page.
    if (localStorage.getItem(activeKey)) load(false);
  } catch {
    // No storage (blocked cookies): nothing can be in progress.
  }

  // Commands queued before this file arrived run now; later ones run as they come.
  const w = window as TandemWindow;
  const queued = w.Tandem?.q ?? [];
  const tandem = (command: unknown) => (command === "open" ? show() : command === "close" && chat?.then((c) => c.close()));
  w.Tandem = tandem;
  for (const args of queued) tandem(args[0]);
}

const current = (document.currentScript ?? document.querySelector("script[data-site]")) as HTMLScriptElement | null;
if (current) {
  if (document.body) boot(current);
  else addEventListener("DOMContentLoaded", () => boot(current));
}
