import type { Connection } from "partyserver";

/** Sends one typed frame; a socket that has gone away is not an error worth more than dropping it. */
export function sendFrame<F>(connection: Connection, frame: F): void {
  try {
    connection.send(JSON.stringify(frame));
  } catch {
    // The peer left; it will resume from its last seq when it returns.
  }
}

/** Runs tasks one after another, each after the previous one settled; `depth()` counts those not yet settled. */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  function serial<T>(task: () => Promise<T>): Promise<T> {
    waiting++;
    const run = tail.then(task, task).finally(() => waiting--);
    tail = run.catch(() => undefined);
    return run;
  }
  serial.depth = () => waiting;
  return serial;
}

/**
 * Answers a peer's Close frame that carried no status code (1005). partyserver
 * leaves 1005 unanswered, taking it for a dead transport, but the peer did send
 * a frame and waits for ours (a browser's `socket.close()` does exactly this).
 */
export function completeClose(connection: Connection, code: number): void {
  if (code !== 1005) return;
  try {
    connection.close(1000, "bye");
  } catch {
    // Already closed.
  }
}
