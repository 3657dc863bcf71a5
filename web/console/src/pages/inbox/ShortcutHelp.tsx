import { Modal } from 'antd';
import { useTranslation } from 'react-i18next';

const KEYS: [string[], string][] = [
  [['J'], 'next'],
  [['K'], 'prev'],
  [['A'], 'assignMe'],
  [['Ctrl', 'Enter'], 'resolve'],
  [['/'], 'canned'],
  [['N'], 'note'],
  [['Tab'], 'toggleMode'],
  [['Enter'], 'send'],
  [['Shift', 'Enter'], 'newline'],
  [['?'], 'help'],
];

export default function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal title={t('inbox.shortcuts.title')} open={open} onCancel={onClose} footer={null} width={460}>
      <div className="kf-keys" data-testid="shortcut-help">
        {KEYS.map(([keys, what]) => (
          <div key={what} className="kf-keys-row">
            <span>{t(`inbox.shortcuts.${what}`)}</span>
            <span>
              {keys.map((k, i) => (
                <kbd key={i}>{k}</kbd>
              ))}
            </span>
          </div>
        ))}
      </div>
      <div className="kf-keys-note">{t('inbox.shortcuts.footnote')}</div>
    </Modal>
  );
}
