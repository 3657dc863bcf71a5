import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { ListResponse } from '../api/types';

/** Loads a GET list endpoint into state with a loading flag and a reload(); errors go to onError. */
export function useApiList<T>(path: string, onError: (err: unknown) => void, enabled = true) {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(enabled);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const res = await api.get<ListResponse<T>>(path);
      setItems(res.items ?? []);
    } catch (err) {
      onError(err);
    } finally {
      setLoading(false);
    }
  }, [path, onError]);

  useEffect(() => {
    if (enabled) void reload();
  }, [reload, enabled]);

  return { items, setItems, loading, reload };
}
