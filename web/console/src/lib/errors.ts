import { useCallback } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** The text to show for an error: the server's message, else a generic one by code. */
export function errorText(err: unknown, t: (k: string) => string): string {
  if (err instanceof ApiError) {
    if (err.message) return err.message;
    if (err.code === 'network') return t('errors.network');
    const key = `errors.code.${err.code}`;
    const txt = t(key);
    return txt === key ? t('errors.unknown') : txt;
  }
  if (err instanceof Error && err.message) return err.message;
  return t('errors.unknown');
}

/** A server field name such as "weekly.monday[0].start" as a form name path: ['weekly', 'monday', 0, 'start']. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Whether the form's values hold path, or at least its parent (an empty field of an existing row). */
function formHas(values: unknown, path: (string | number)[]): boolean {
  let cur: unknown = values;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return false;
    const next = (cur as Record<string | number, unknown>)[path[i]];
    if (next === undefined) return i === path.length - 1;
    cur = next;
  }
  return true;
}

/**
 * Returns a function that reports an API error: it shows error.message with antd's
 * message, and when the error names a field that the given form has, puts the
 * error on that field as well.
 */
export function useApiError() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (err: unknown, form?: FormInstance, fieldMap?: Record<string, string>) => {
      if (err instanceof Error && err.name === 'AbortError') return;
      const text = errorText(err, t);
      if (form && err instanceof ApiError && err.field) {
        const name = fieldMap?.[err.field] ?? err.field;
        // Only fields the form knows about: setFields on an unknown name is a no-op.
        const known = form.getFieldsValue(true) as Record<string, unknown>;
        if (name in known || fieldMap?.[err.field]) {
          form.setFields([{ name, errors: [text] }]);
          form.scrollToField(name);
        } else if (/[.[]/.test(name) && formHas(known, fieldPath(name))) {
          // A nested field such as "conditions[1].value" or "weekly.monday[0].start".
          const path = fieldPath(name);
          form.setFields([{ name: path, errors: [text] }]);
          form.scrollToField(path);
        }
      }
      if (err instanceof ApiError && err.status === 401 && err.code === 'unauthorized') return; // redirected to login
      message.error(text);
    },
    [message, t],
  );
}
