import { useCallback, useEffect, useRef, useState } from 'react';
import type { ListResponse } from '../api/types';

/**
 * A cursor-paged list: loads the first page whenever fetchPage changes (and on reset()),
 * appends the next page on loadMore(); answers to superseded requests are dropped.
 */
export function useCursorList<T>(
  fetchPage: (cursor?: string) => Promise<ListResponse<T>>,
  onError: (err: unknown) => void,
) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const reqId = useRef(0);

  const load = useCallback(
    async (after?: string) => {
      const id = ++reqId.current;
      if (after) setLoadingMore(true);
      else setLoading(true);
      try {
        const res = await fetchPage(after);
        if (id !== reqId.current) return;
        setItems((prev) => (after ? [...prev, ...(res.items ?? [])] : (res.items ?? [])));
        setCursor(res.next_cursor || undefined);
      } catch (err) {
        if (id === reqId.current) onError(err);
      } finally {
        if (id === reqId.current) {
          setLoading(false);
          setLoadingMore(false);
        }
      }
    },
    [fetchPage, onError],
  );

  const reset = useCallback(() => load(), [load]);
  const loadMore = useCallback(() => load(cursor), [load, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  return { items, setItems, cursor, loading, loadingMore, loadMore, reset };
}
