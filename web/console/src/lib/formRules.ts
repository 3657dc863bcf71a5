import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';

/** Form rules for a text that must be filled in (spaces alone do not count) and may hold at most max characters. */
export function requiredText(t: TFunction, max: number): FormRule[] {
  return [
    { required: true, whitespace: true, message: t('validation.required') },
    { max, message: t('validation.maxLength', { n: max }) },
  ];
}
