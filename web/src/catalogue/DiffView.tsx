// The difference between two published versions of a town's catalogue.
// Plain markup (no antd): it is part of the public portal.
import { Link } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import type { CatalogueDiff, CatalogueItem } from '../lib/endpoints';
import { fieldLabel, formatValue, kindLabel } from './format';

function ItemTable({ items, href }: { items: CatalogueItem[]; href?: (code: string) => string }) {
  const { t } = useI18n();
  return (
    <div className="qz-table-wrap">
      <table className="qz-table">
        <thead>
          <tr>
            <th style={{ width: 140 }}>{t('field.code')}</th>
            <th>{t('field.name')}</th>
            <th style={{ width: 110 }}>{t('field.kind')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.code}>
              <td className="qz-mono">{href ? <Link to={href(i.code)}>{i.code}</Link> : i.code}</td>
              <td>{i.name}</td>
              <td>
                <span className={`qz-tag kind-${i.kind}`}>{kindLabel(t, i.kind)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DiffView({ diff, itemHref }: { diff: CatalogueDiff; itemHref?: (code: string, version: number) => string }) {
  const { t } = useI18n();
  const s = diff.summary ?? { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length };
  const nothing = s.added + s.removed + s.changed === 0;
  return (
    <div className="qz-diff" data-testid="diff-view">
      <div className="qz-diff-summary">
        <div className="qz-stat added">
          <span>{t('diff.added')}</span>
          <strong data-testid="diff-added-count">+{s.added}</strong>
        </div>
        <div className="qz-stat removed">
          <span>{t('diff.removed')}</span>
          <strong>−{s.removed}</strong>
        </div>
        <div className="qz-stat changed">
          <span>{t('diff.changed')}</span>
          <strong>~{s.changed}</strong>
        </div>
      </div>
      {nothing ? <p className="qz-muted">{t('diff.none')}</p> : null}
      {diff.added.length > 0 && (
        <section className="qz-section" data-testid="diff-added">
          <h4 className="qz-h4">{t('diff.addedItems', { n: diff.added.length })}</h4>
          <ItemTable items={diff.added} href={itemHref && ((c) => itemHref(c, diff.to.version))} />
        </section>
      )}
      {diff.removed.length > 0 && (
        <section className="qz-section" data-testid="diff-removed">
          <h4 className="qz-h4">{t('diff.removedItems', { n: diff.removed.length })}</h4>
          <ItemTable items={diff.removed} href={itemHref && ((c) => itemHref(c, diff.from.version))} />
        </section>
      )}
      {diff.changed.length > 0 && (
        <section className="qz-section" data-testid="diff-changed">
          <h4 className="qz-h4">{t('diff.changedItems', { n: diff.changed.length })}</h4>
          {diff.changed.map((c) => (
            <details key={c.code} className="qz-diff-item">
              <summary>
                <span className="qz-mono">{c.code}</span> {c.name ?? ''} <span className="qz-tag">{t('diff.fields', { n: c.fields.length })}</span>
              </summary>
              <div className="qz-table-wrap">
                <table className="qz-table">
                  <thead>
                    <tr>
                      <th style={{ width: 160 }}>{t('diff.field')}</th>
                      <th>{t('diff.before')}</th>
                      <th>{t('diff.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.fields.map((f) => (
                      <tr key={f.field}>
                        <td>{fieldLabel(t, f.field)}</td>
                        <td>
                          <pre className="qz-diff-before">{formatValue(f.before)}</pre>
                        </td>
                        <td>
                          <pre className="qz-diff-after">{formatValue(f.after)}</pre>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          ))}
        </section>
      )}
    </div>
  );
}
