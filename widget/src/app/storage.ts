import type { OutboxEntry, OutboxStore } from "@tandem/protocol";

// localStorage can be missing or full (private modes, quotas): the chat
// still works for this page, it just forgets on reload.

export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not persisted; see above.
  }
}

/** A list kept as JSON; one that is missing or unreadable is empty. */
export function readList(key: string): unknown[] {
  try {
    const list: unknown = JSON.parse(read(key) ?? "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** An empty list is removed rather than kept. */
export function writeList(key: string, list: unknown[]): void {
  write(key, list.length ? JSON.stringify(list) : null);
}

/** A conversation's unacknowledged messages, kept across page loads. */
export function localOutbox(key: string): OutboxStore {
  return { load: () => readList(key) as OutboxEntry[], save: (entries) => writeList(key, entries) };
}
