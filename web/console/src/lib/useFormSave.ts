import { useCallback, useState } from 'react';
import type { FormInstance } from 'antd';
import { useApiError } from './errors';

/**
 * The saving flag of a form and two ways to save it: run(save) sets the flag
 * while save runs and reports its error on the form (then calls onError, if
 * given); submit(save) first validates the form, stops if the form shows
 * something missing, and runs save with the validated values.
 */
export function useFormSave<V>(form: FormInstance<V>) {
  const showError = useApiError();
  const [saving, setSaving] = useState(false);

  const run = useCallback(
    async (save: () => Promise<unknown>, onError?: (err: unknown) => void) => {
      setSaving(true);
      try {
        await save();
      } catch (err) {
        showError(err, form);
        onError?.(err);
      } finally {
        setSaving(false);
      }
    },
    [form, showError],
  );

  const submit = useCallback(
    async (save: (values: V) => Promise<unknown>, onError?: (err: unknown) => void) => {
      let values: V;
      try {
        values = await form.validateFields();
      } catch {
        return; // the form shows what is missing
      }
      await run(() => save(values), onError);
    },
    [form, run],
  );

  return { saving, run, submit };
}
