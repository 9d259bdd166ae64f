import { render } from "preact";
import { createChat } from "./chat";
import { styles } from "./styles";
import { Widget } from "./widget";

export type MountOptions = {
  /** The loader's open shadow root, where the launcher already is. */
  root: ShadowRoot;
  launcher: HTMLElement;
  siteKey: string;
  /** The URL the loader came from, ending in /widget/; the API is on its origin. */
  base: string;
  /** Open the panel at once: the customer clicked (or the page asked) before the app was here. */
  open: boolean;
  /** localStorage key that tells the loader a conversation is open, so the next page loads the chat at once. */
  activeKey: string;
};

/** Starts the chat inside the loader's shadow root; the loader drives the panel with what it returns. */
export function mount(options: MountOptions) {
  const { root, launcher } = options;
  const chat = createChat(options);
  const style = document.createElement("style");
  style.textContent = styles;
  const container = document.createElement("div");
  root.append(style, container);

  let open = false;
  const close = () => setOpen(false);
  const draw = () => render(<Widget chat={chat} state={chat.state} open={open} onClose={close} />, container);
  function setOpen(value: boolean) {
    // Give focus back to the launcher only if it was in the panel: a page calling Tandem('close') keeps its own.
    const hadFocus = !value && root.activeElement && root.activeElement !== launcher;
    open = value;
    launcher.setAttribute("aria-expanded", String(value));
    draw();
    if (hadFocus) launcher.focus();
  }
  chat.subscribe(draw);
  setOpen(options.open);

  return {
    open: () => setOpen(true),
    close,
    toggle: () => setOpen(!open),
  };
}
