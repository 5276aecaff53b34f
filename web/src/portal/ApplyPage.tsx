// 在线申请: a citizen applies for a licensing item of a town's catalogue —
// applicant, contact, materials (PDF / PNG / JPEG, sent as base64 in the JSON
// body, docs/cases.md §4) — and gets the tracking code (查询码). Plain markup.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { ProblemError } from '../lib/api';
import { getPublicItem, submitApplication, type ApplicationResult, type MaterialUpload } from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { ErrorBox, Notice } from '../catalogue/Plain';
import { Field, Fields } from '../catalogue/PowerDetail';
import { ReceiptLink } from '../cases/ReceiptLink';
import { docLabel } from '../cases/labels';

export const MAX_FILES = 10;
export const MAX_BYTES = 5 * 1024 * 1024;
const TYPES: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

export function fileType(f: { name: string; type: string }): string | null {
  if (Object.values(TYPES).includes(f.type)) return f.type;
  const ext = f.name.split('.').pop()?.toLowerCase() ?? '';
  return TYPES[ext] ?? null;
}

export async function toBase64(f: Blob): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export const ID_RE = { natural_person: /^\d{17}[\dXx]$/, organisation: /^[0-9A-Za-z]{18}$/ } as const;
export const PHONE_RE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

interface Picked {
  file: File;
  kind: string;
}

export default function ApplyPage() {
  const { t } = useI18n();
  const { town = '', code = '' } = useParams();
  const item = useFetch(`${town}|${code}`, (signal) => getPublicItem(town, code, null, signal));
  const [kind, setKind] = useState<'natural_person' | 'organisation'>('natural_person');
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [phone, setPhone] = useState('');
  const [summary, setSummary] = useState('');
  const [files, setFiles] = useState<Picked[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ApplicationResult | null>(null);

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!name.trim()) e.name = t('apply.nameRequired');
    else if (name.trim().length > 100) e.name = t('login.tooLong', { max: 100 });
    if (idNumber.trim() && !ID_RE[kind].test(idNumber.trim())) e.id = t('apply.idInvalid');
    if (phone.trim() && !PHONE_RE.test(phone.trim())) e.phone = t('apply.phoneInvalid');
    if (files.length === 0) e.files = t('apply.materialsRequired');
    else if (files.length > MAX_FILES) e.files = t('apply.tooMany');
    else {
      const big = files.find((f) => f.file.size > MAX_BYTES);
      const bad = files.find((f) => !fileType(f.file));
      if (big) e.files = t('apply.tooBig', { name: big.file.name });
      else if (bad) e.files = t('apply.badType', { name: bad.file.name });
    }
    return e;
  };

  const onSubmit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setError(null);
    try {
      const materials: MaterialUpload[] = await Promise.all(
        files.map(async (f) => ({
          kind: f.kind,
          file_name: f.file.name,
          content_type: fileType(f.file) ?? 'application/octet-stream',
          data_base64: await toBase64(f.file),
        })),
      );
      setDone(
        await submitApplication({
          town_code: town,
          power_code: code,
          summary: summary.trim() || undefined,
          applicant: { kind, name: name.trim(), id_number: idNumber.trim() || undefined, phone: phone.trim() || undefined },
          materials,
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const back = `/catalogue/${town}/items/${encodeURIComponent(code)}`;
  const competent = error instanceof ProblemError && typeof error.problem.competent_body === 'string' ? error.problem.competent_body : '';
  const title = item.data ? t('apply.title', { name: item.data.name }) : t('apply.button');

  if (done) {
    return (
      <div className="qz-page" data-testid="apply-done">
        <h1 className="qz-h1">{t('apply.done')}</h1>
        <div className="qz-card">
          <div className="qz-muted">{t('apply.receiptCode')}</div>
          <div className="qz-receipt-code" data-testid="apply-receipt-code">
            {done.receipt_code}
          </div>
          <p>{t('apply.keepCode')}</p>
          <Fields>
            <Field label={t('progress.item')}>{done.power_name}</Field>
            <Field label={t('progress.state')}>{done.state_label}</Field>
            <Field label={t('progress.openedOn')}>{done.opened_on}</Field>
            <Field label={t('progress.deadline')}>{done.deadline ?? '—'}</Field>
            {done.receipt ? (
              <Field label={t('verify.receipt')}>
                <ReceiptLink receipt={done.receipt} label={t('case.verifyReceipt', { n: done.receipt.index })} />
              </Field>
            ) : null}
          </Fields>
          <Link className="qz-button-primary" to={`/progress?code=${encodeURIComponent(done.receipt_code)}`} data-testid="apply-to-progress">
            {t('apply.toProgress')}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <div className="qz-page" data-testid="apply-page">
      <Link to={back} className="qz-back">
        ‹ {t('item.back')}
      </Link>
      <h1 className="qz-h1">{title}</h1>
      <ErrorBox error={item.error} onRetry={item.reload} />
      {item.data && item.data.kind !== 'licensing' ? <Notice kind="warning">{t('apply.notLicensing')}</Notice> : null}
      <p className="qz-muted">{t('apply.intro')}</p>
      <form className="qz-form-plain qz-card" onSubmit={onSubmit} noValidate data-testid="apply-form">
        <fieldset className="qz-field">
          <span className="qz-field-label">{t('apply.applicantKind')}</span>
          <span>
            {(['natural_person', 'organisation'] as const).map((k) => (
              <label key={k} style={{ marginRight: 16 }}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`apply-kind-${k}`} />{' '}
                {t(`party.${k}`)}
              </label>
            ))}
          </span>
        </fieldset>
        <label className="qz-field">
          <span className="qz-field-label">{t('apply.name')} *</span>
          <input className={errors.name ? 'qz-input invalid' : 'qz-input'} value={name} onChange={(e) => setName(e.target.value)} data-testid="apply-name" />
          {errors.name && <span className="qz-field-error">{errors.name}</span>}
        </label>
        <label className="qz-field">
          <span className="qz-field-label">{t('apply.idNumber')}</span>
          <input className={errors.id ? 'qz-input invalid' : 'qz-input'} value={idNumber} onChange={(e) => setIdNumber(e.target.value)} data-testid="apply-id" />
          {errors.id && <span className="qz-field-error">{errors.id}</span>}
        </label>
        <label className="qz-field">
          <span className="qz-field-label">{t('apply.phone')}</span>
          <input className={errors.phone ? 'qz-input invalid' : 'qz-input'} value={phone} inputMode="tel" onChange={(e) => setPhone(e.target.value)} data-testid="apply-phone" />
          {errors.phone && <span className="qz-field-error">{errors.phone}</span>}
        </label>
        <label className="qz-field">
          <span className="qz-field-label">{t('apply.summary')}</span>
          <textarea className="qz-input" rows={3} value={summary} maxLength={500} onChange={(e) => setSummary(e.target.value)} data-testid="apply-summary" />
        </label>
        <label className="qz-field">
          <span className="qz-field-label">{t('apply.materials')} *</span>
          <input
            type="file"
            multiple
            accept="application/pdf,image/png,image/jpeg"
            onChange={(e) => {
              const list = [...(e.target.files ?? [])];
              setFiles(list.map((file, i) => ({ file, kind: i === 0 ? 'application_form' : 'other' })));
            }}
            data-testid="apply-files"
          />
          <span className="qz-field-hint">{t('apply.materialsHint')}</span>
          {errors.files && <span className="qz-field-error" data-testid="apply-files-error">{errors.files}</span>}
        </label>
        {files.length > 0 && (
          <ul className="qz-checklist">
            {files.map((f, i) => (
              <li key={`${f.file.name}-${i}`}>
                <select
                  className="qz-select small"
                  value={f.kind}
                  onChange={(e) => setFiles(files.map((x, j) => (j === i ? { ...x, kind: e.target.value } : x)))}
                  aria-label={t('case.uploadKind')}
                >
                  {['application_form', 'other'].map((k) => (
                    <option key={k} value={k}>
                      {docLabel(t, k)}
                    </option>
                  ))}
                </select>
                {f.file.name} <span className="qz-muted">({(f.file.size / 1024).toFixed(1)} KB)</span>
              </li>
            ))}
          </ul>
        )}
        <ErrorBox error={error} testId="apply-error" />
        {competent ? <Notice kind="info">{t('apply.competentBody', { body: competent })}</Notice> : null}
        <div>
          <button type="submit" className="qz-button-primary" disabled={busy} data-testid="apply-submit">
            {busy ? t('apply.submitting') : t('apply.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
