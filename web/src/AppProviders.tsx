import { ConfigProvider, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { I18nProvider, useI18n, type Lang } from './i18n/I18nProvider';

// A sober red-accented theme, as public-sector sites in China use.
const themeConfig = {
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: '#b71c1c',
    colorLink: '#b71c1c',
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
};

function AntdConfig({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  // Global and idempotent; done during render so the first paint is right.
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={themeConfig}>
      {children}
    </ConfigProvider>
  );
}

/**
 * Language and antd's locale and theme. antd's <App> (message, modal,
 * notification) is NOT here: it lives in the lazily loaded console layout, to
 * keep those components out of the portal's entry chunk.
 */
export function AppProviders({ children, lang }: { children: ReactNode; lang?: Lang }) {
  return (
    <I18nProvider lang={lang}>
      <AntdConfig>{children}</AntdConfig>
    </I18nProvider>
  );
}
