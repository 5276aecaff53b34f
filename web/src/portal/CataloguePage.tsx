// 赋权目录 — the list of towns and their published catalogues (public, no
// account). Plain markup: citizens land here.
import { Link } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { listPublicTowns, type PublicTown } from '../lib/endpoints';
import { useCursorList } from '../lib/useCursorList';
import { formatDateTime } from '../catalogue/format';
import { ErrorBox } from '../catalogue/Plain';

const PAGE_SIZE = 20;

export default function CataloguePage() {
  const { t, lang } = useI18n();
  const list = useCursorList<PublicTown>(`towns|${PAGE_SIZE}`, (cursor, signal) =>
    listPublicTowns({ cursor, limit: PAGE_SIZE }, signal),
  );

  return (
    <div className="qz-page" data-testid="towns-page">
      <h1 className="qz-h1">{t('catalogue.title')}</h1>
      <p className="qz-muted">{t('towns.intro')}</p>
      <ErrorBox error={list.error} onRetry={list.reload} />
      <div data-testid="towns-list" data-state={list.loading ? 'loading' : list.error !== null ? 'error' : 'ready'}>
        <div className="qz-table-wrap">
          <table className="qz-table">
            <thead>
              <tr>
                <th>{t('towns.name')}</th>
                <th>{t('towns.code')}</th>
                <th className="hide-sm">{t('towns.county')}</th>
                <th>{t('towns.version')}</th>
                <th className="num">{t('towns.items')}</th>
                <th className="hide-sm">{t('towns.publishedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {list.loading && !list.items.length ? (
                <tr>
                  <td colSpan={6} className="qz-muted">
                    {t('app.loading')}
                  </td>
                </tr>
              ) : null}
              {!list.loading && !list.error && !list.items.length ? (
                <tr>
                  <td colSpan={6} className="qz-muted">
                    {t('towns.empty')}
                  </td>
                </tr>
              ) : null}
              {list.items.map((r) => (
                <tr key={r.code}>
                  <td>
                    <Link to={`/catalogue/${r.code}`} data-testid={`town-${r.code}`}>
                      {r.name}
                    </Link>
                    {r.is_pilot ? <span className="qz-tag red">{t('towns.pilot')}</span> : null}
                  </td>
                  <td className="qz-mono">{r.code}</td>
                  <td className="hide-sm">{r.county_name ?? <span className="qz-mono">{r.county_code}</span>}</td>
                  <td>{r.version ? t('catalogue.versionN', { n: r.version }) : <span className="qz-tag">{t('towns.unpublished')}</span>}</td>
                  <td className="num">{r.item_count}</td>
                  <td className="hide-sm">{formatDateTime(r.published_at, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {(list.page > 0 || list.hasNext) && (
        <nav className="qz-plain-pager">
          <button type="button" className="qz-btn small" disabled={list.page === 0 || list.loading} onClick={list.prev}>
            ‹ {t('regions.prev')}
          </button>
          <span>{t('regions.page', { page: list.page + 1 })}</span>
          <button type="button" className="qz-btn small" disabled={!list.hasNext || list.loading} onClick={list.next}>
            {t('regions.next')} ›
          </button>
        </nav>
      )}
    </div>
  );
}
