import { useCallback, useRef } from 'react';
import { Input, Tag, Tooltip } from 'antd';
import type { FormInstance, GetRef } from 'antd';

type TextAreaRef = GetRef<typeof Input.TextArea>;

/** What an edit of a textarea's text does: the new text and where the selection goes. */
export type TextEdit = (value: string, start: number, end: number) => { value: string; start: number; end: number };

/**
 * Edits a form's textarea at the cursor: insert(text) replaces the selection with
 * text and puts the cursor after it; edit(fn) applies any TextEdit. Give the
 * returned ref to the Input.TextArea.
 */
export function useInsertAtCursor(form: FormInstance, field: string) {
  const ref = useRef<TextAreaRef>(null);
  const edit = useCallback(
    (fn: TextEdit) => {
      const el = ref.current?.resizableTextArea?.textArea;
      const cur = (form.getFieldValue(field) as string | undefined) ?? '';
      const r = fn(cur, el ? el.selectionStart : cur.length, el ? el.selectionEnd : cur.length);
      form.setFieldValue(field, r.value);
      requestAnimationFrame(() => {
        el?.focus();
        el?.setSelectionRange(r.start, r.end);
      });
    },
    [form, field],
  );
  const insert = useCallback(
    (text: string) => edit((v, s, e) => ({ value: v.slice(0, s) + text + v.slice(e), start: s + text.length, end: s + text.length })),
    [edit],
  );
  return { ref, insert, edit };
}

/** A row of {{variable}} tags; clicking one inserts it (see useInsertAtCursor). */
export default function VariableTags({
  label,
  variables,
  help,
  onPick,
  testId,
}: {
  label: string;
  variables: string[];
  /** The tooltip of a variable. */
  help: (variable: string) => string;
  onPick: (variable: string) => void;
  testId?: string;
}) {
  return (
    <div className="kf-vars" style={{ margin: '0 0 8px' }}>
      <span>{label}</span>
      {variables.map((v) => (
        <Tooltip key={v} title={help(v)}>
          <Tag className="kf-var-tag kf-mono" onClick={() => onPick(v)} data-testid={testId}>
            {v}
          </Tag>
        </Tooltip>
      ))}
    </div>
  );
}

/** The i18n key part of a variable: "{{shop.phone}}" → "shop_phone". */
export function variableKey(v: string): string {
  return v.replace(/[{}]/g, '').replace(/\./g, '_');
}

/** Plain text with its {{variables}} marked, as an answer reads before the bot fills them in. */
export function VariableText({ text }: { text: string }) {
  return (
    <>
      {text.split(/(\{\{\s*[\w.]+\s*\}\})/).map((part, i) =>
        i % 2 ? (
          <span key={i} className="kf-md-var">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}
