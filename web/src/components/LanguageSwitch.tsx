import { useI18n } from '../i18n/I18nProvider';

/**
 * 中文 ⇄ English. A plain button (not antd's) so the portal's entry chunk
 * stays small; styled by .qz-lang-switch.
 */
export function LanguageSwitch({ className }: { className?: string }) {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className={`qz-lang-switch ${className ?? ''}`}
      title={t('app.lang')}
      lang={lang === 'zh' ? 'en' : 'zh-CN'}
      data-testid="lang-switch"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm6.9 6h-3a15.7 15.7 0 0 0-1.4-3.6A8 8 0 0 1 18.9 8ZM12 4a13.8 13.8 0 0 1 1.9 4h-3.8A13.8 13.8 0 0 1 12 4ZM4.3 14a7.9 7.9 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4H4.3Zm.8 2h3a15.7 15.7 0 0 0 1.4 3.6A8 8 0 0 1 5.1 16Zm3-8h-3a8 8 0 0 1 4.4-3.6A15.7 15.7 0 0 0 8.1 8ZM12 20a13.8 13.8 0 0 1-1.9-4h3.8A13.8 13.8 0 0 1 12 20Zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4Zm.3 5.6a15.7 15.7 0 0 0 1.4-3.6h3a8 8 0 0 1-4.4 3.6Zm1.7-5.6a16.5 16.5 0 0 0 0-4h3.4a7.9 7.9 0 0 1 0 4h-3.4Z"
        />
      </svg>
      <span>{t('app.langSwitch')}</span>
    </button>
  );
}
