// A town's catalogue versions (public) and the difference between any two.
// Plain markup (no antd).
import { Link, useParams, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { getPublicDiff, listPublicVersions } from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { DiffView } from '../catalogue/DiffView';
import { VersionsTable } from '../catalogue/VersionsTable';
import { ErrorBox } from '../catalogue/Plain';

export default function VersionsPage() {
  const { t } = useI18n();
  const { town = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const versions = useFetch(`v|${town}`, (signal) => listPublicVersions(town, signal));
  const list = versions.data?.items ?? [];
  const latest = list[0]?.version ?? 0;
  const to = Number(params.get('to')) || latest;
  const from = Number(params.get('from')) || (to > 1 ? to - 1 : 0);
  const canDiff = from > 0 && to > 0 && from !== to;
  const diff = useFetch(`d|${town}|${from}|${to}`, (signal) => getPublicDiff(town, from, to, signal), { enabled: canDiff });

  const pick = (k: 'from' | 'to', v: number) => {
    const next = new URLSearchParams(params);
    next.set('from', String(k === 'from' ? v : from));
    next.set('to', String(k === 'to' ? v : to));
    setParams(next, { replace: true });
  };
  const options = list.map((v) => (
    <option key={v.version} value={v.version}>
      {t('catalogue.versionN', { n: v.version })}
    </option>
  ));

  return (
    <div className="qz-page" data-testid="versions-page">
      <Link to={`/catalogue/${town}`} className="qz-back">
        ‹ {t('item.back')}
      </Link>
      <h1 className="qz-h1">{versions.data?.town_name ? t('versions.titleOf', { town: versions.data.town_name }) : t('versions.title')}</h1>
      <ErrorBox error={versions.error} onRetry={versions.reload} />
      <VersionsTable
        versions={list}
        loading={versions.loading}
        render={(v) => <Link to={`/catalogue/${town}?version=${v.version}`}>{t('versions.view')}</Link>}
      />
      <section className="qz-card qz-section">
        <h2 className="qz-h2">{t('versions.compare')}</h2>
        <div className="qz-toolbar-plain">
          <select className="qz-select" value={from || ''} onChange={(e) => pick('from', Number(e.target.value))} data-testid="diff-from" aria-label="from">
            {options}
          </select>
          <span aria-hidden="true">→</span>
          <select className="qz-select" value={to || ''} onChange={(e) => pick('to', Number(e.target.value))} data-testid="diff-to" aria-label="to">
            {options}
          </select>
        </div>
        {!canDiff && list.length > 0 ? <p className="qz-muted">{t('versions.pickTwo')}</p> : null}
        <ErrorBox error={diff.error} onRetry={diff.reload} />
        {diff.loading && <p className="qz-muted">{t('app.loading')}</p>}
        {diff.data && <DiffView diff={diff.data} itemHref={(code, v) => `/catalogue/${town}/items/${encodeURIComponent(code)}?version=${v}`} />}
      </section>
    </div>
  );
}
