import { useEffect, useState } from "preact/hooks";

/** The current time, refreshed every `everyMs`, so "5 min" ago does not stay "now" forever. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
