// The public portal's frame. Plain markup + CSS (no antd components), since
// it is part of the entry chunk that every citizen downloads.
import { Link, NavLink, Outlet, useNavigation } from 'react-router';
import { translate, useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useSession } from '../session/SessionProvider';

export function PortalLayout() {
  const { t, lang } = useI18n();
  const session = useSession();
  const navigation = useNavigation();
  const other = lang === 'zh' ? 'en' : 'zh';

  return (
    <div className="qz-portal">
      <header className="qz-portal-header">
        <div className="qz-portal-header-inner">
          <Link to="/" className="qz-brand">
            <span className="qz-emblem" aria-hidden="true">
              权
            </span>
            <span className="qz-brand-text">
              <span className="qz-brand-title" data-testid="portal-title">
                {t('app.title')}
              </span>
              <span className="qz-brand-subtitle" lang={other === 'zh' ? 'zh-CN' : 'en'}>
                {translate(other, 'app.title')}
              </span>
            </span>
          </Link>
          <LanguageSwitch className="on-dark" />
        </div>
        <nav className="qz-portal-nav">
          <div className="qz-portal-nav-inner">
            <NavLink to="/" end>
              {t('nav.home')}
            </NavLink>
            <NavLink to="/catalogue">{t('nav.catalogue')}</NavLink>
            <NavLink to="/progress">{t('nav.progress')}</NavLink>
            <NavLink to="/verify">{t('nav.verify')}</NavLink>
            <span className="qz-nav-spacer" />
            {session.status === 'authenticated' ? (
              <Link to="/console" className="qz-nav-login" data-testid="nav-console">
                {t('nav.console')}
              </Link>
            ) : (
              <Link to="/login" className="qz-nav-login" data-testid="nav-login">
                {t('nav.login')}
              </Link>
            )}
          </div>
        </nav>
        {navigation.state === 'loading' && <div className="qz-progress" role="progressbar" aria-label={t('app.loading')} />}
      </header>
      <main className="qz-portal-main">
        <Outlet />
      </main>
      <footer className="qz-portal-footer">{t('app.footer')}</footer>
    </div>
  );
}
