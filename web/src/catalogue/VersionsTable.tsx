// Published versions of a town's catalogue. Plain markup (public portal).
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { CatalogueVersionInfo } from '../lib/endpoints';
import { formatDateTime, shortHash } from './format';

export function VersionsTable({
  versions,
  loading,
  render,
}: {
  versions: CatalogueVersionInfo[];
  loading?: boolean;
  render?: (v: CatalogueVersionInfo) => ReactNode;
}) {
  const { t, lang } = useI18n();
  return (
    <div className="qz-table-wrap">
      <table className="qz-table" data-testid="versions-table" aria-busy={loading}>
        <thead>
          <tr>
            <th>{t('catalogue.version')}</th>
            <th>{t('catalogue.publishedAt')}</th>
            <th className="num">{t('catalogue.itemCount')}</th>
            <th>{t('catalogue.contentHash')}</th>
            <th className="num">{t('catalogue.ledger')}</th>
            {render ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {loading && !versions.length ? (
            <tr>
              <td colSpan={6} className="qz-muted">
                {t('app.loading')}
              </td>
            </tr>
          ) : null}
          {versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>{t('catalogue.versionN', { n: v.version })}</td>
              <td>{formatDateTime(v.published_at, lang)}</td>
              <td className="num">{v.item_count}</td>
              <td className="qz-mono" title={v.content_hash}>
                {shortHash(v.content_hash)}
              </td>
              <td className="num">{v.ledger_index}</td>
              {render ? <td>{render(v)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
