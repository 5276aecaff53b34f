// Loading, not-found and error states. Plain markup on purpose: these are in
// the portal's entry chunk, which must stay small (no antd Result/Spin here).
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';

export function PageLoading() {
  const { t } = useI18n();
  return (
    <div className="qz-page-loading" role="status" aria-live="polite">
      <span className="qz-spinner" aria-hidden="true" />
      <span>{t('app.loading')}</span>
    </div>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <div className="qz-state" data-testid="not-found">
      <div className="qz-state-code">404</div>
      <h2>{t('app.notFound')}</h2>
      <p>{t('app.notFoundSub')}</p>
      <Link to="/" className="qz-button-primary">
        {t('app.backHome')}
      </Link>
    </div>
  );
}

/** Route error boundary: a lazy chunk that fails to load (e.g. after a redeploy) lands here. */
export function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  console.error(error);
  return (
    <div className="qz-state" role="alert" data-testid="route-error">
      <div className="qz-state-code">!</div>
      <h2>{t('app.loadError')}</h2>
      <p>{t('app.loadErrorSub')}</p>
      <button type="button" className="qz-button-primary" onClick={() => window.location.reload()}>
        {t('app.retry')}
      </button>
    </div>
  );
}
