import { Button, Tooltip } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { setLang } from '../i18n';

/** Toggles between Chinese and English; the choice is kept in localStorage. */
export default function LangSwitch({ dark }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <Tooltip title={t('lang.tooltip')}>
      <Button
        type="text"
        data-testid="lang-switch"
        icon={<TranslationOutlined />}
        onClick={() => setLang(next)}
        style={dark ? { color: 'rgba(255,255,255,0.85)' } : undefined}
      >
        {t('lang.switchTo')}
      </Button>
    </Tooltip>
  );
}
