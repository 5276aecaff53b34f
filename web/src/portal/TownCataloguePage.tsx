// A town's published catalogue (public): search by name or code, filter by
// kind, paginate; pick an earlier version; download CSV / XLSX. The list uses
// the summary view of GET /public/towns/{code}/catalogue; details are on the
// item page. Plain markup (no antd): this is the portal's busiest page and
// must render a 600-item catalogue quickly on a modest phone.
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import {
  getPublicCatalogue,
  listPublicVersions,
  POWER_KINDS,
  publicCatalogueExportUrl,
  type PowerKind,
} from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { formatDateTime, formatLimit, hasFee, kindLabel, shortHash } from '../catalogue/format';
import { Field, Fields } from '../catalogue/PowerDetail';
import { ErrorBox, Notice, Pager } from '../catalogue/Plain';

export const PAGE_SIZES = [20, 50, 100];

/** Name or code contains every word of the query (case-insensitive). */
export function matchesQuery(i: { code: string; name: string }, q: string): boolean {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = `${i.code} ${i.name}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

export default function TownCataloguePage() {
  const { t, lang } = useI18n();
  const { town = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const versionParam = Number(params.get('version')) || null;
  const kindParam = params.get('kind') ?? '';
  const kind = (POWER_KINDS as readonly string[]).includes(kindParam) ? (kindParam as PowerKind) : '';
  const [q, setQ] = useState(params.get('q') ?? '');
  const deferredQ = useDeferredValue(q);
  const pageParam = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : 20;

  const cat = useFetch(`${town}|${versionParam ?? ''}`, (signal) => getPublicCatalogue(town, versionParam, signal));
  const versions = useFetch(`v|${town}`, (signal) => listPublicVersions(town, signal));

  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const items = cat.data?.items;
  const filtered = useMemo(
    () => (items ?? []).filter((i) => (!kind || i.kind === kind) && matchesQuery(i, deferredQ)),
    [items, kind, deferredQ],
  );
  const pageCount = Math.max(1, Math.ceil(filtered.length / pageSize));
  const page = Math.min(pageParam, pageCount);
  const rows = filtered.slice((page - 1) * pageSize, page * pageSize);

  const itemLink = (code: string) =>
    `/catalogue/${town}/items/${encodeURIComponent(code)}${versionParam ? `?version=${versionParam}` : ''}`;

  const c = cat.data;
  const latest = versions.data?.items[0]?.version;
  const state = cat.loading ? 'loading' : cat.error !== null ? 'error' : 'ready';

  // Performance marks for the e2e render timing (bench/README.md): when the
  // first rows are committed, and the frame after (≈ painted).
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || state !== 'ready' || rows.length === 0 || typeof performance?.mark !== 'function') return;
    marked.current = true;
    performance.mark('qz-catalogue-rendered');
    requestAnimationFrame(() => setTimeout(() => performance.mark('qz-catalogue-painted'), 0));
  }, [state, rows.length]);

  return (
    <div className="qz-page" data-testid="town-catalogue-page">
      <Link to="/catalogue" className="qz-back">
        ‹ {t('catalogue.allTowns')}
      </Link>
      <h1 className="qz-h1" data-testid="town-catalogue-title">
        {c ? t('catalogue.townTitle', { town: c.town_name }) : t('catalogue.title')}
      </h1>
      <ErrorBox error={cat.error} onRetry={cat.reload} testId="catalogue-error" />
      {c && (
        <>
          {c.is_demo ? <Notice kind="warning">{t('catalogue.demo')}</Notice> : null}
          <Fields>
            <Field label={t('field.exercising_body')}>{c.exercising_body}</Field>
            <Field label={t('towns.county')}>{c.county_name}</Field>
            <Field label={t('catalogue.version')}>
              <span data-testid="catalogue-version">{t('catalogue.versionN', { n: c.version })}</span>
              {latest && c.version !== latest ? <span className="qz-tag orange">{t('catalogue.notLatest')}</span> : null}
            </Field>
            <Field label={t('catalogue.publishedAt')}>{formatDateTime(c.published_at, lang)}</Field>
            <Field label={t('catalogue.itemCount')}>
              <span data-testid="catalogue-item-count">{c.item_count}</span>
            </Field>
            <Field label={t('catalogue.contentHash')}>
              <span className="qz-mono" title={c.content_hash}>
                {shortHash(c.content_hash)}
              </span>{' '}
              <span className="qz-muted-inline">· {t('catalogue.ledgerIndex', { n: c.ledger_index })}</span>
            </Field>
          </Fields>
          <div className="qz-kind-chips" data-testid="kind-chips">
            {POWER_KINDS.filter((k) => (c.counts_by_kind[k] ?? 0) > 0).map((k) => (
              <button
                key={k}
                type="button"
                className={kind === k ? 'qz-chip on' : 'qz-chip'}
                aria-pressed={kind === k}
                onClick={() => update({ kind: kind === k ? null : k, page: null })}
                data-kind={k}
              >
                {kindLabel(t, k)} <span>{c.counts_by_kind[k]}</span>
              </button>
            ))}
          </div>
        </>
      )}

      <div className="qz-toolbar-plain">
        <input
          type="search"
          className="qz-input"
          value={q}
          placeholder={t('catalogue.searchPlaceholder')}
          aria-label={t('catalogue.searchPlaceholder')}
          onChange={(e) => {
            setQ(e.target.value);
            update({ q: e.target.value || null, page: null });
          }}
          data-testid="catalogue-search"
        />
        <select
          className="qz-select"
          value={kind}
          aria-label={t('field.kind')}
          onChange={(e) => update({ kind: e.target.value || null, page: null })}
          data-testid="catalogue-kind"
        >
          <option value="">{t('catalogue.allKinds')}</option>
          {POWER_KINDS.map((k) => (
            <option key={k} value={k}>
              {kindLabel(t, k)}
            </option>
          ))}
        </select>
        <select
          className="qz-select"
          value={c?.version ?? versionParam ?? ''}
          aria-label={t('catalogue.version')}
          onChange={(e) => update({ version: Number(e.target.value) === latest ? null : e.target.value, page: null })}
          data-testid="catalogue-version-select"
        >
          {(versions.data?.items ?? []).map((v) => (
            <option key={v.version} value={v.version}>
              {t('catalogue.versionN', { n: v.version }) + (v.version === latest ? ` (${t('catalogue.latest')})` : '')}
            </option>
          ))}
        </select>
        <Link to={`/catalogue/${town}/versions`} className="qz-btn" data-testid="catalogue-versions-link">
          {t('catalogue.versionsAndDiff')}
        </Link>
        <Link to={`/catalogue/${town}/disclosures`} className="qz-btn" data-testid="catalogue-disclosures-link">
          {t('disc.link')}
        </Link>
        <a className="qz-btn" href={publicCatalogueExportUrl(town, 'csv', c?.version)} data-testid="export-csv">
          ⤓ CSV
        </a>
        <a className="qz-btn" href={publicCatalogueExportUrl(town, 'xlsx', c?.version)} data-testid="export-xlsx">
          ⤓ Excel
        </a>
      </div>

      <div data-testid="catalogue-list" data-state={state} data-count={filtered.length}>
        <div className="qz-table-wrap">
          <table className="qz-table qz-catalogue-table" data-testid="catalogue-table">
            <thead>
              <tr>
                <th style={{ width: 120 }}>{t('field.code')}</th>
                <th>{t('field.name')}</th>
                <th style={{ width: 96 }}>{t('field.kind')}</th>
                <th className="hide-md">{t('field.originating_department')}</th>
                <th className="hide-sm">{t('field.statutory_limit')}</th>
                <th>{t('field.promised_limit')}</th>
                <th className="hide-sm">{t('field.fee')}</th>
                <th className="hide-md">{t('field.mode')}</th>
              </tr>
            </thead>
            <tbody>
              {cat.loading ? (
                <tr>
                  <td colSpan={8} className="qz-muted">
                    {t('app.loading')}
                  </td>
                </tr>
              ) : null}
              {c && !rows.length ? (
                <tr>
                  <td colSpan={8} className="qz-muted" data-testid="catalogue-empty">
                    {t('catalogue.noMatch')}
                  </td>
                </tr>
              ) : null}
              {rows.map((r) => (
                <tr key={r.code} data-code={r.code}>
                  <td className="qz-mono">{r.code}</td>
                  <td>
                    <Link to={itemLink(r.code)} data-testid="catalogue-item-link">
                      {r.name}
                    </Link>
                  </td>
                  <td>
                    <span className={`qz-tag kind-${r.kind}`}>{kindLabel(t, r.kind)}</span>
                  </td>
                  <td className="hide-md">{r.department ?? r.originating_department ?? '—'}</td>
                  <td className="hide-sm">{formatLimit(t, r.statutory_limit)}</td>
                  <td>{formatLimit(t, r.promised_limit)}</td>
                  <td className="hide-sm">{hasFee(r) ? <span className="qz-tag orange">{t('fee.charged')}</span> : t('fee.free')}</td>
                  <td className="hide-md">{t(r.mode === 'entrustment' ? 'mode.entrustment' : 'mode.delegation')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {c && (
        <div className="qz-pager-row">
          <span className="qz-muted-inline" data-testid="catalogue-total">
            {t('catalogue.total', { n: filtered.length })}
          </span>
          <Pager page={page} count={pageCount} onChange={(p) => update({ page: p === 1 ? null : String(p) })} testId="catalogue-pager" />
          <select
            className="qz-select small"
            value={pageSize}
            aria-label={t('regions.pageSize', { n: pageSize })}
            onChange={(e) => update({ size: e.target.value === '20' ? null : e.target.value, page: null })}
            data-testid="catalogue-page-size"
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {t('regions.pageSize', { n })}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
