// The knowledge base's fixed lists, and the filters its lists share (kept in the URL).
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { withQuery } from '../api/client';
import type { KBLocale, KBStatus } from '../api/types';
import { useApiError } from './errors';
import { useApiList } from './useApiList';
import { useRemove } from './useRemove';

export const KB_LOCALES: KBLocale[] = ['zh-CN', 'en'];
export const KB_STATUSES: KBStatus[] = ['published', 'draft'];

/** Shop details an answer may use; the bot fills them in when it answers. */
export const SHOP_VARIABLES = [
  '{{shop.name}}',
  '{{shop.hours}}',
  '{{shop.return_address}}',
  '{{shop.phone}}',
  '{{shop.free_shipping_threshold}}',
];

export const KB_FILTER_KEYS = ['locale', 'intent', 'category', 'status', 'q'] as const;
export type KBFilterKey = (typeof KB_FILTER_KEYS)[number];
export type KBFilters = Record<KBFilterKey, string>;

/** The list filters, read from and written to the page's query string. */
export function useKBFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () => Object.fromEntries(KB_FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as KBFilters,
    [params],
  );
  const set = useCallback(
    (key: KBFilterKey, value: string | undefined) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const reset = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);
  const active = KB_FILTER_KEYS.some((k) => filters[k]);
  return { filters, set, reset, active, search: params.toString() };
}

interface Filterable {
  intent?: string;
  category: string;
  status: KBStatus;
}

/** Keeps the items that pass the filters (all but locale, which the server applies); text gives an item's searchable strings. */
export function applyKBFilters<T extends Filterable>(items: T[], f: KBFilters, text: (item: T) => (string | undefined)[]): T[] {
  const q = f.q.trim().toLowerCase();
  return items.filter(
    (it) =>
      (!f.intent || (it.intent ?? '') === (f.intent === '-' ? '' : f.intent)) &&
      (!f.category || it.category === f.category) &&
      (!f.status || it.status === f.status) &&
      (!q || text(it).some((s) => s?.toLowerCase().includes(q))),
  );
}

/** An FAQ or an article, as far as the lists need. */
export type KBItem = Filterable & { id: string };

/** What useKBList gives a page. */
export type KBList<T extends KBItem> = ReturnType<typeof useKBList<T>>;

/**
 * A knowledge-base list (path: /kb/faqs or /kb/articles) with its URL filters: the items of the chosen
 * locale, those that pass the other filters (shown), their categories, and remove(item, done), which
 * deletes an item, says done and drops its row. text gives an item's searchable strings; keep it stable.
 */
export function useKBList<T extends KBItem>(path: string, text: (item: T) => (string | undefined)[]) {
  const showError = useApiError();
  const kb = useKBFilters();
  const { filters } = kb;
  const { items, setItems, loading, reload } = useApiList<T>(withQuery(path, { locale: filters.locale }), showError);
  const shown = useMemo(() => applyKBFilters(items, filters, text), [items, filters, text]);
  const categories = useMemo(() => categoriesOf(items), [items]);
  const del = useRemove();
  const remove = useCallback(
    (item: T, done: string) => del(`${path}/${encodeURIComponent(item.id)}`, done, () => setItems((prev) => prev.filter((x) => x.id !== item.id))),
    [del, path, setItems],
  );
  return { kb, filters, items, setItems, loading, reload, shown, categories, remove };
}

/** The distinct non-empty categories of items, sorted. */
export function categoriesOf(items: { category: string }[]): string[] {
  return [...new Set(items.map((i) => i.category.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
}

/** A slug from a title's Latin letters and digits ("7-Day Returns" → "7-day-returns"); empty when it has none. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** The locale a customer wrote in, as the server guesses it: Chinese when the text has CJK characters. */
export function guessLocale(text: string): KBLocale {
  return /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(text) ? 'zh-CN' : 'en';
}
