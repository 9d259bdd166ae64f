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

/** A conversation's unacknowledged messages, kept across page loads. */
export function localOutbox(key: string): OutboxStore {
  return {
    load() {
      try {
        const entries = JSON.parse(read(key) ?? "[]") as OutboxEntry[];
        return Array.isArray(entries) ? entries : [];
      } catch {
        return [];
      }
    },
    save(entries) {
      write(key, entries.length ? JSON.stringify(entries) : null);
    },
  };
}
