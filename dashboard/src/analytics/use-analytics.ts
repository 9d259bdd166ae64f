import type { AnalyticsAnswer, AnalyticsView } from "@tandem/protocol";
import { useEffect, useRef, useState } from "preact/hooks";
import { readVersion, readView } from "./client";
import type { ApiQuery } from "./filters";

/** Often enough that a new event shows within 5 s (issue 16), and one small read each time. */
const POLL_MS = 2_500;

/**
 * Live: reads the workspace's latest event id every few seconds while the page
 * is visible; the number returned goes up each time that id changed.
 */
export function useLiveTick(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let last: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      clearTimeout(timer);
      if (document.visibilityState === "visible") {
        try {
          const version = await readVersion();
          if (last !== null && version !== last) setTick((t) => t + 1);
          last = version;
        } catch {
          // Offline for a moment: the next poll tries again, and the view keeps what it shows.
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    // Back on the tab: at once, not up to a poll later.
    const onVisible = () => document.visibilityState === "visible" && void poll();
    document.addEventListener("visibilitychange", onVisible);
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
  return tick;
}

export type Loaded<T> = { answer: AnalyticsAnswer<T> | null; problem: string | null; loading: boolean };

/**
 * One view's answer for the query, read again when the query changes or `tick`
 * says there is news. What is shown stays until the new answer is in, so a
 * live update does not flash; an answer to an older query is dropped. News
 * that comes while a read is under way waits for it, then reads once: a view
 * slower than the poll still shows each answer, and asks no more than one at
 * a time.
 */
export function useAnswer<T>(view: AnalyticsView, query: ApiQuery | null, tick: number): Loaded<T> {
  const [state, setState] = useState<{ key: string; answer: AnalyticsAnswer<T> | null; problem: string | null; loading: boolean }>({
    key: "",
    answer: null,
    problem: null,
    loading: true,
  });
  const latest = useRef(0);
  const busy = useRef<{ key: string; again: boolean } | null>(null);
  const key = query ? `${view}?${new URLSearchParams(query)}` : "";
  useEffect(() => {
    if (!query) return;
    // Only news, for the query being read: read again when this read is done.
    if (busy.current?.key === key) {
      busy.current.again = true;
      return;
    }
    const read = () => {
      const request = ++latest.current;
      busy.current = { key, again: false };
      setState((s) => ({ ...s, loading: true }));
      const done = () => {
        if (request !== latest.current) return;
        const again = busy.current?.again;
        busy.current = null;
        if (again) read();
      };
      readView<T>(view, query).then(
        (answer) => {
          if (request === latest.current) setState({ key, answer, problem: null, loading: false });
          done();
        },
        (error: Error) => {
          if (request === latest.current) setState((s) => ({ ...s, key, problem: error.message, loading: false }));
          done();
        },
      );
    };
    read();
  }, [key, tick]);
  // Another view's answer is another type: never shown in this one.
  const sameView = state.key.startsWith(`${view}?`);
  return { answer: sameView ? state.answer : null, problem: state.problem, loading: state.loading };
}
