import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dictionaries, type MessageKey } from './messages';

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'quanze.lang';

export type TFunction = (key: MessageKey, params?: Record<string, string | number | undefined>) => string;

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: TFunction;
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number | undefined>): string {
  const text: string = dictionaries[lang][key] ?? dictionaries.zh[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : String(v);
  });
}

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // storage may be disabled
  }
  return 'zh'; // Chinese first, whatever the browser says.
}

const I18nContext = createContext<I18n>({
  lang: 'zh',
  setLang: () => {},
  t: (key, params) => translate('zh', key, params),
});

export function I18nProvider({ children, lang: fixedLang }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => fixedLang ?? initialLang());

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, l);
    } catch {
      // ignore
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, params) => translate(lang, key, params) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
