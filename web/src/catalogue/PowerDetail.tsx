// One power or catalogue item in full: legal basis, time limits, fees,
// materials, 办理流程 (the responsibility stages in order), accountability.
// Plain markup (no antd): it is part of the public portal's item page.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { CatalogueItem, Power } from '../lib/endpoints';
import { formatFee, formatLimit, kindLabel } from './format';

function isItem(p: Power | CatalogueItem): p is CatalogueItem {
  return 'grant_id' in p;
}

export function Fields({ children }: { children: ReactNode }) {
  return <dl className="qz-kv">{children}</dl>;
}

export function Field({ label, children, wide }: { label: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'qz-kv-row wide' : 'qz-kv-row'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function PowerDetail({ power }: { power: Power | CatalogueItem }) {
  const { t, lang } = useI18n();
  const item = isItem(power) ? power : null;
  const yes = (b: boolean) => (b ? t('common.yes') : t('common.no'));

  return (
    <div className="qz-power-detail" data-testid="power-detail">
      <h3 className="qz-h3">{t('item.basic')}</h3>
      <Fields>
        <Field label={t('field.code')}>
          <span className="qz-mono" data-testid="item-code">
            {power.code}
          </span>
        </Field>
        <Field label={t('field.kind')}>
          <span className={`qz-tag kind-${power.kind}`}>{kindLabel(t, power.kind)}</span>
        </Field>
        <Field label={t('field.name')} wide>
          <strong data-testid="item-name">{power.name}</strong>
        </Field>
        {power.parent_code ? (
          <Field label={t('field.parent_code')}>
            <span className="qz-mono">{power.parent_code}</span>
          </Field>
        ) : null}
        <Field label={t('field.originating_department')}>{power.originating_department}</Field>
        {item ? (
          <>
            <Field label={t('field.exercising_body')}>{item.exercising_body}</Field>
            <Field label={t('field.mode')}>{t(item.mode === 'entrustment' ? 'mode.entrustment' : 'mode.delegation')}</Field>
          </>
        ) : null}
        <Field label={t('field.valid_period')}>
          {power.valid_from} ~ {power.valid_to ?? t('common.openEnded')}
        </Field>
        <Field label={t('field.version')}>{power.version}</Field>
      </Fields>

      <h3 className="qz-h3">{t('field.legal_basis')}</h3>
      <ul className="qz-basis" data-testid="item-legal-basis">
        {power.legal_basis.map((b, i) => (
          <li key={i}>
            <strong>
              《{b.law}》{b.article}
            </strong>
            {b.clause ? <div className="qz-clause">{b.clause}</div> : null}
          </li>
        ))}
      </ul>

      <h3 className="qz-h3">{t('item.limits')}</h3>
      <Fields>
        <Field label={t('field.statutory_limit')}>{formatLimit(t, power.statutory_limit)}</Field>
        <Field label={t('field.promised_limit')}>
          <span data-testid="item-promised">{formatLimit(t, power.promised_limit)}</span>
        </Field>
        <Field label={t('field.suspension_allowed')}>{yes(power.suspension_allowed)}</Field>
        <Field label={t('field.extension_allowed')}>
          {power.extension_allowed ? t('item.extensionDays', { n: power.max_extension_days }) : t('common.no')}
        </Field>
        <Field label={t('field.fee')} wide>
          <span data-testid="item-fee">{formatFee(t, lang, power.fee)}</span>
          {power.fee?.charged && power.fee.basis ? <div className="qz-muted">{power.fee.basis}</div> : null}
        </Field>
      </Fields>

      <h3 className="qz-h3">{t('field.materials')}</h3>
      {power.materials.length ? (
        <div className="qz-table-wrap">
          <table className="qz-table" data-testid="item-materials">
            <thead>
              <tr>
                <th style={{ width: 40 }}>#</th>
                <th>{t('material.name')}</th>
                <th>{t('material.source')}</th>
                <th style={{ width: 64 }}>{t('material.copies')}</th>
                <th style={{ width: 80 }}>{t('material.required')}</th>
              </tr>
            </thead>
            <tbody>
              {power.materials.map((m, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>{m.name}</td>
                  <td>{m.source || '—'}</td>
                  <td>{m.copies}</td>
                  <td>
                    <span className={m.required ? 'qz-tag red' : 'qz-tag'}>{m.required ? t('material.mandatory') : t('material.optional')}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="qz-muted">{t('item.noMaterials')}</p>
      )}

      <h3 className="qz-h3">{t('item.process')}</h3>
      {power.responsibility_items.length ? (
        <ol className="qz-process" data-testid="item-process">
          {power.responsibility_items.map((r, i) => (
            <li key={i}>
              <span className="qz-process-stage">{r.stage}</span>
              <span className="qz-process-text">{r.content}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="qz-muted">{t('item.noProcess')}</p>
      )}

      {power.accountability_situations.length ? (
        <>
          <h3 className="qz-h3">{t('field.accountability_situations')}</h3>
          <ol className="qz-situations">
            {power.accountability_situations.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </>
      ) : null}

      {item ? (
        <>
          <h3 className="qz-h3">{t('item.decision')}</h3>
          <Fields>
            <Field label={t('field.decision_issuer')}>{item.decision_doc?.issuer || '—'}</Field>
            <Field label={t('field.decision_number')}>{item.decision_doc?.number || '—'}</Field>
            <Field label={t('field.decision_title')} wide>
              {item.decision_doc?.title || '—'}
            </Field>
            <Field label={t('field.decision_date')}>{item.decision_doc?.date || '—'}</Field>
            <Field label={t('field.grant_period')}>
              {item.grant_valid_from} ~ {item.grant_valid_to ?? t('common.openEnded')}
            </Field>
          </Fields>
        </>
      ) : null}

      {power.remarks ? (
        <p className="qz-muted qz-section">
          {t('field.remarks')}：{power.remarks}
        </p>
      ) : null}
    </div>
  );
}
