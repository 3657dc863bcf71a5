import { useEffect, useState } from 'react';

/** The current time in ms, refreshed every intervalMs, for live "waiting 5 minutes" texts. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}
