// What each shortcut does to the page. The inbox and the conversation are
// other components; these reach them through their stable test ids, the
// same handles the browser tests use, so they stay decoupled.

const rows = () => [...document.querySelectorAll<HTMLElement>("[data-testid=conversation-row]")];

/** Opens the conversation `step` rows below (or above) the open one; from none, the first (or last). */
export function moveInList(step: 1 | -1) {
  const list = rows();
  if (!list.length) return;
  const open = /^#\/c\/([^/?]+)/.exec(location.hash)?.[1];
  const at = list.findIndex((row) => row.dataset.id === open);
  const next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
  list[next].click();
  list[next].scrollIntoView({ block: "nearest" });
}

/** Clicks the element with this test id when it is there and enabled; false when it is not. */
export function press(testId: string): boolean {
  const element = document.querySelector<HTMLButtonElement>(`[data-testid=${testId}]`);
  if (!element || element.disabled) return false;
  element.click();
  return true;
}

export function focusReply(): boolean {
  const input = document.querySelector<HTMLTextAreaElement>("[data-testid=reply-input]");
  if (!input || input.disabled) return false;
  input.focus();
  // The caret after what is already typed, not before it.
  input.setSelectionRange(input.value.length, input.value.length);
  return true;
}

/** True while the person is typing somewhere: single-key shortcuts must leave those keys alone. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // Checkboxes and buttons take no text.
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset", "range", "color"].includes(target.type);
}
