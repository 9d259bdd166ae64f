import { render } from "preact";
import { Chat } from "./chat";
import { styles } from "./styles";
import { Widget } from "./widget";

export type MountOptions = {
  /** The loader's shadow root, where the launcher already is. */
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  siteKey: string;
  /** The URL the loader came from, ending in /widget/. */
  base: string;
  /** localStorage key that says a conversation is open, so the next page loads the chat at once. */
  activeKey: string;
};

/** Called by the loader on the customer's first sign of intent. */
export function mount(options: MountOptions) {
  const chat = new Chat(options);
  const style = document.createElement("style");
  style.textContent = styles;
  const container = document.createElement("div");
  options.root.append(style, container);

  let open = false;
  const draw = () => render(<Widget chat={chat} open={open} onClose={() => setOpen(false)} />, container);
  const setOpen = (value: boolean) => {
    open = value;
    options.launcher.setAttribute("aria-expanded", String(value));
    draw();
    if (value) requestAnimationFrame(() => options.root.querySelector("textarea")?.focus());
    else options.launcher.focus();
  };
  draw();
  void chat.start();

  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
  };
}
