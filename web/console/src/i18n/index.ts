import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import relativeTime from 'dayjs/plugin/relativeTime';
import zhCN from './zh-CN.json';
import en from './en.json';

dayjs.extend(relativeTime);

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
const STORAGE_KEY = 'kefu.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  } catch {
    // storage may be unavailable; fall back to the default
  }
  return 'zh-CN';
}

function applyDayjs(lang: string) {
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang;
}

const lang = initialLang();
applyDayjs(lang);

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: zhCN },
    en: { translation: en },
  },
  lng: lang,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (l) => {
  applyDayjs(l);
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // ignore
  }
  document.title = i18n.t('app.title');
});
document.title = i18n.t('app.title');

export function setLang(l: Lang) {
  void i18n.changeLanguage(l);
}

export default i18n;
