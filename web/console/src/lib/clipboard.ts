import { useCallback } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';

/** Copies text: the async clipboard API where allowed (https, localhost), else a hidden textarea. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('copy failed');
}

/** Returns copy(text): copies and says "copied" (or that copying failed). */
export function useCopy() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    async (text: string) => {
      try {
        await copyText(text);
        message.success(t('common.copied'));
      } catch {
        message.error(t('common.copyFailed'));
      }
    },
    [message, t],
  );
}
