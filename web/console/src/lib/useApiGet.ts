import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';

/**
 * Loads one GET endpoint into state whenever path changes, with a loading flag,
 * the last error (for the page to show) and reload(); answers to superseded
 * requests are dropped.
 */
export function useApiGet<T>(path: string, enabled = true) {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<unknown>(null);
  const reqId = useRef(0);

  const reload = useCallback(async () => {
    const id = ++reqId.current;
    setLoading(true);
    setError(null);
    try {
      const res = await api.get<T>(path);
      if (id === reqId.current) setData(res);
    } catch (err) {
      if (id === reqId.current) setError(err);
    } finally {
      if (id === reqId.current) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    if (enabled) void reload();
  }, [reload, enabled]);

  return { data, loading, error, reload };
}
