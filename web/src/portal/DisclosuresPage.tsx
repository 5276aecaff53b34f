// 行政决定公开: the published licensing and penalty decisions of a town,
// newest first, with natural persons' names and ID numbers masked by the
// server; late ones flagged; an annulled decision shows when and why.
import { Link, useParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { listDisclosures, listPublicTowns, type Disclosure, type Page } from '../lib/endpoints';
import { useCursorList, useFetch } from '../lib/useCursorList';
import { ErrorBox, Notice } from '../catalogue/Plain';
import { kindLabel } from '../catalogue/format';
import { ReceiptLink } from '../cases/ReceiptLink';

const PAGE = 20;

export default function DisclosuresPage() {
  const { t } = useI18n();
  const { town = '' } = useParams();
  const towns = useFetch('towns|all', (signal) => listPublicTowns({ limit: 500 }, signal));
  const townName = towns.data?.items.find((x) => x.code === town)?.name;
  const list = useCursorList<Disclosure>(town, async (cursor, signal) => {
    const r = await listDisclosures(town, { cursor, limit: PAGE }, signal);
    return { items: r.items, next_cursor: r.next_cursor === null || r.next_cursor === undefined ? null : String(r.next_cursor) } as Page<Disclosure>;
  });

  return (
    <div className="qz-page" data-testid="disclosures-page">
      <Link to={`/catalogue/${town}`} className="qz-back">
        ‹ {townName ? t('catalogue.townTitle', { town: townName }) : t('catalogue.title')}
      </Link>
      <h1 className="qz-h1">{townName ? t('disc.title', { town: townName }) : t('disc.titlePlain')}</h1>
      <p className="qz-muted">{t('disc.intro')}</p>
      <ErrorBox error={list.error} onRetry={list.reload} testId="disclosures-error" />
      <div data-testid="disclosures-list" data-state={list.loading ? 'loading' : list.error !== null ? 'error' : 'ready'}>
        {list.loading && <p className="qz-muted">{t('app.loading')}</p>}
        {!list.loading && list.items.length === 0 && list.error === null ? <Notice kind="info">{t('disc.empty')}</Notice> : null}
        {list.items.map((d) => (
          <article key={`${d.case_id}-${d.published_on ?? ''}`} className="qz-disclosure" data-case={d.case_id} data-testid="disclosure">
            <h3>
              <span className={`qz-tag kind-${d.kind}`}>{kindLabel(t, d.kind)}</span> {d.title}
            </h3>
            {d.withdrawn_on ? (
              <p className="qz-muted" data-testid="disclosure-withdrawn">
                {t('disc.withdrawn', { date: d.withdrawn_on, reason: d.withdraw_reason })}
              </p>
            ) : (
              <p data-testid="disclosure-content">{d.content}</p>
            )}
            <div className="qz-muted">
              {t('disc.decidedOn')} {d.decided_on} · {t('disc.publishedOn')} {d.published_on ?? '—'} · {t('disc.dueOn')} {d.due_on}{' '}
              {d.late ? <span className="qz-tag red">{t('disc.late')}</span> : null} <ReceiptLink receipt={d.receipt} />
            </div>
          </article>
        ))}
      </div>
      <div className="qz-pager-row">
        <nav className="qz-plain-pager">
          <button type="button" className="qz-btn small" disabled={list.page === 0 || list.loading} onClick={list.prev}>
            ‹ {t('regions.prev')}
          </button>
          <span>{t('regions.page', { page: list.page + 1 })}</span>
          <button type="button" className="qz-btn small" disabled={!list.hasNext || list.loading} onClick={list.next} data-testid="disclosures-next">
            {t('regions.next')} ›
          </button>
        </nav>
      </div>
    </div>
  );
}
