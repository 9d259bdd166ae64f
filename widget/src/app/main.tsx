import type { Message } from "@tandem/protocol";
import { render } from "preact";
import { createChat, type ChatState, type Visit } from "./chat";
import { ACTIVE, LOOK } from "../keys";
import { createNotifier } from "./notify";
import { read, write } from "./storage";
import { pickLanguage, useLanguage } from "./strings";
import { styles } from "./styles";
import { Widget } from "./widget";

export type { Visit };

/** A `Tandem(...)` call from the host page, as the loader queued it. */
export type Command = [name: string, ...args: unknown[]];

export type MountOptions = {
  /** The loader's open shadow root; the launcher is its last child. */
  root: ShadowRoot;
  siteKey: string;
  /** The URL the loader came from, ending in /widget/; the API is on its origin. */
  base: string;
  /** Open the panel at once: the customer clicked (or the page asked) before the app was here. */
  open?: boolean;
  /** The page's calls made before the app arrived, oldest first. */
  queue: Command[];
  /** The navigation trail, newest last. */
  trail: () => Visit[];
};

type Listener = (payload?: unknown) => void;

/** Starts the chat inside the loader's shadow root; the loader drives it with what this returns. */
export async function mount(options: MountOptions) {
  const { root } = options;
  const launcher = root.lastChild as HTMLElement;
  const host = root.host as HTMLElement;
  const chat = createChat({ ...options, activeKey: ACTIVE + options.siteKey });
  const style = document.createElement("style");
  style.textContent = styles;
  const container = document.createElement("div");
  root.append(style, container);
  const listeners: Record<string, Listener[]> = { message: [], open: [], close: [] };
  // The host page's handlers: one that throws must not stop the widget.
  const emit = (event: string, payload?: unknown) =>
    listeners[event]!.forEach((fn) => {
      try {
        fn(payload);
      } catch (error) {
        console.error(error);
      }
    });
  const notifier = createNotifier(root, launcher);
  await useLanguage(pickLanguage());

  let open = false;
  let site: ChatState["site"] = null;
  // The newest message seen, per conversation: what arrives after it is news.
  let seen: [string | undefined, number] = [undefined, -1];
  const close = () => setOpen(false);
  const draw = () => render(<Widget chat={chat} state={chat.state} open={open} onClose={close} />, container);

  function setOpen(value: boolean) {
    if (value === open) return draw();
    // Give focus back to the launcher only if it was in the panel: a page calling Tandem('close') keeps its own.
    const hadFocus = !value && root.activeElement && root.activeElement !== launcher;
    open = value;
    launcher.setAttribute("aria-expanded", String(value));
    draw();
    if (hadFocus) launcher.focus();
    emit(value ? "open" : "close");
    markRead();
  }

  /** The customer has the panel open on a visible page: everything in it is read. */
  function markRead() {
    if (!open || document.visibilityState !== "visible") return;
    notifier.clear();
    const seq = chat.state.sync?.messages.at(-1)?.seq;
    if (seq) chat.read(seq);
  }
  document.addEventListener("visibilitychange", markRead);

  async function update(state: ChatState) {
    if (state.site && state.site !== site) {
      site = state.site;
      const { look } = site;
      const css = `--brand:${look.color}${look.position === "left" ? ";--l:20px;--r:auto" : ""}`;
      host.style.cssText = css;
      host.className = `${look.position} ${look.dark}`;
      write(LOOK + options.siteKey, css);
      await useLanguage(pickLanguage(look.language));
    }
    const messages = state.sync?.messages ?? [];
    const id = state.sync?.conversation?.id;
    if (id !== seen[0]) seen = [id, id && !messages.length ? 0 : -1];
    // Messages that arrive now, not the history that came with the page.
    const fresh: Message[] = seen[1] < 0 ? [] : messages.filter((m) => m.seq > seen[1]);
    if (id) seen[1] = Math.max(seen[1], messages.at(-1)?.seq ?? 0);
    for (const message of fresh) emit("message", { author: message.authorKind, body: message.body, at: message.at });
    // Replies count; notices such as "joined" do not.
    const theirs = fresh.filter((m) => m.authorKind !== "visitor" && m.kind === "text");
    if (theirs.length && (!open || document.visibilityState !== "visible")) notifier.notify(theirs.length);
    markRead();
    draw();
  }
  chat.subscribe(update);
  void update(chat.state);

  function command([name, ...args]: Command) {
    if (name === "open") setOpen(true);
    else if (name === "close") close();
    else if (name === "identify") void chat.identify(args[0] as Parameters<typeof chat.identify>[0]);
    else if (name === "setContext") chat.setContext(args[0]);
    else if (name === "logout") {
      // The token as chat.ts stores it, read before the chat forgets it; the chat lets go of its socket
      // first, so the server ending that visitor's sockets is not reported here as a refusal. Then the
      // server signs it out for good, and any copy of it with it (a bare fetch: fewer bytes than the API's).
      const token = read("tandem:token:" + options.siteKey);
      chat.logout();
      if (token) fetch(new URL("/api/widget/logout", options.base), { method: "POST", headers: { authorization: "Bearer " + token } }).catch(() => {});
      notifier.clear();
    } else if (name === "on" && Object.hasOwn(listeners, args[0] as string) && typeof args[1] === "function") {
      listeners[args[0] as string]!.push(args[1] as Listener);
    } else console.error(`Tandem: unknown call ${JSON.stringify(name)}`);
  }

  for (const args of options.queue) command(args);
  setOpen(options.open || open);

  return {
    open: () => setOpen(true),
    close,
    toggle: () => setOpen(!open),
    command,
    page: chat.page,
  };
}

export type Mounted = Awaited<ReturnType<typeof mount>>;
