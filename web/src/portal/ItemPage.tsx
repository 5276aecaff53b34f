// One item of a town's published catalogue (public): legal basis, time limits,
// fees, materials, 办理流程. Plain markup (no antd).
import { Link, useParams, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { getPublicItem } from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { PowerDetail } from '../catalogue/PowerDetail';
import { ErrorBox, Notice } from '../catalogue/Plain';

export default function ItemPage() {
  const { t } = useI18n();
  const { town = '', code = '' } = useParams();
  const [params] = useSearchParams();
  const version = Number(params.get('version')) || null;
  const item = useFetch(`${town}|${code}|${version ?? ''}`, (signal) => getPublicItem(town, code, version, signal));
  const back = `/catalogue/${town}${version ? `?version=${version}` : ''}`;

  return (
    <div className="qz-page" data-testid="item-page" data-state={item.loading ? 'loading' : item.error !== null ? 'error' : 'ready'}>
      <Link to={back} className="qz-back">
        ‹ {t('item.back')}
      </Link>
      <h1 className="qz-h1">{item.data ? item.data.name : t('item.title')}</h1>
      {version ? <Notice kind="info">{t('item.ofVersion', { n: version })}</Notice> : null}
      <ErrorBox error={item.error} onRetry={item.reload} testId="item-error" />
      {item.loading && <p className="qz-muted">{t('app.loading')}</p>}
      {item.data && item.data.kind === 'licensing' && !version ? (
        <p>
          <Link to={`/catalogue/${town}/items/${encodeURIComponent(code)}/apply`} className="qz-button-primary" data-testid="item-apply">
            {t('apply.button')}
          </Link>
        </p>
      ) : null}
      {item.data && <PowerDetail power={item.data} />}
    </div>
  );
}
