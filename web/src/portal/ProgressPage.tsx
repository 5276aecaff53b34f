// 办件查询: progress of a case by its tracking code — state, steps with their
// receipts, the time limits, the decision with the appeal routes — and the
// rating form (好差评) once the case is decided. No names, no ID numbers.
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { getProgress, submitRating, type Progress, type RatingResult } from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { ErrorBox, Notice } from '../catalogue/Plain';
import { Field, Fields } from '../catalogue/PowerDetail';
import { ReceiptLink } from '../cases/ReceiptLink';
import { bi, CLOCK_CLASSES, clockLabel, outcomeLabel, RATING_INDICATORS } from '../cases/labels';

export const CODE_RE = /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;
export const normaliseCode = (s: string) => {
  const x = s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return x.length === 12 ? `${x.slice(0, 4)}-${x.slice(4, 8)}-${x.slice(8)}` : s.trim().toUpperCase();
};

export default function ProgressPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const code = params.get('code') ?? '';
  const [text, setText] = useState(code);
  const [formError, setFormError] = useState<string | null>(null);
  const valid = CODE_RE.test(code);
  const p = useFetch(`progress|${code}`, (signal) => getProgress(code, signal), { enabled: valid });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const c = normaliseCode(text);
    if (!CODE_RE.test(c)) {
      setFormError(t('progress.codeInvalid'));
      return;
    }
    setFormError(null);
    setText(c);
    if (c === code) p.reload();
    else setParams({ code: c }, { replace: true });
  };

  return (
    <div className="qz-page" data-testid="progress-page" data-state={!valid ? 'idle' : p.loading ? 'loading' : p.error !== null ? 'error' : 'ready'}>
      <h1 className="qz-h1">{t('progress.title')}</h1>
      <p className="qz-muted">{t('progress.intro')}</p>
      <form className="qz-toolbar-plain" onSubmit={onSubmit} noValidate>
        <input
          className={formError ? 'qz-input invalid' : 'qz-input'}
          value={text}
          placeholder="XXXX-XXXX-XXXX"
          aria-label={t('progress.code')}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          data-testid="progress-code"
        />
        <button type="submit" className="qz-button-primary" data-testid="progress-submit">
          {t('progress.query')}
        </button>
        {formError && <span className="qz-field-error" data-testid="progress-code-error">{formError}</span>}
      </form>
      <ErrorBox error={p.error} onRetry={p.reload} testId="progress-error" />
      {p.loading && <p className="qz-muted">{t('app.loading')}</p>}
      {p.data && <ProgressView p={p.data} onRated={p.reload} />}
    </div>
  );
}

export function ProgressView({ p, onRated }: { p: Progress; onRated: () => void }) {
  const { t, lang } = useI18n();
  return (
    <div data-testid="progress-view">
      <div className="qz-card">
        <Fields>
          <Field label={t('progress.item')}>
            {p.power_name} <span className="qz-mono qz-muted">{p.power_code}</span>
          </Field>
          <Field label={t('progress.town')}>{p.town_name ?? p.town_code}</Field>
          <Field label={t('progress.state')}>
            <strong data-testid="progress-state">{p.state_label}</strong>
          </Field>
          <Field label={t('progress.openedOn')}>{p.opened_on}</Field>
          <Field label={t('progress.deadline')}>{p.deadline ?? '—'}</Field>
        </Fields>
      </div>

      <h2 className="qz-h2">{t('case.clocks')}</h2>
      <div className="qz-table-wrap">
        <table className="qz-table" data-testid="progress-clocks">
          <thead>
            <tr>
              <th>{t('case.clocks')}</th>
              <th>{t('case.clockLimit')}</th>
              <th>{t('case.clockUsed')}</th>
              <th>{t('case.clockLeft')}</th>
              <th>{t('case.clockDeadline')}</th>
              <th>{t('cases.clock')}</th>
            </tr>
          </thead>
          <tbody>
            {p.clocks.map((c) => (
              <tr key={c.id} data-clock={c.status}>
                <td>{bi(lang, c)}</td>
                <td>{t(c.unit === 'working' ? 'case.workingDays' : 'case.calendarDays', { n: c.limit_days })}</td>
                <td className="num">{c.used_days}</td>
                <td className="num">{c.left_days < 0 ? t('case.overdueBy', { n: -c.left_days }) : c.left_days}</td>
                <td>{c.deadline ?? c.deadline_flag ?? '—'}</td>
                <td>
                  <span className={CLOCK_CLASSES[c.status] ?? 'qz-tag'}>{clockLabel(t, c.status)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="qz-h2">{t('progress.steps')}</h2>
      {p.steps.length === 0 ? (
        <p className="qz-muted">{t('progress.noSteps')}</p>
      ) : (
        <ol className="qz-timeline" data-testid="progress-steps">
          {p.steps.map((s, i) => (
            <li key={i} data-step={s.step}>
              <span className="qz-timeline-date">{s.on}</span>
              <strong>{bi(lang, s)}</strong> <ReceiptLink receipt={s.receipt} />
            </li>
          ))}
        </ol>
      )}

      {p.decision && (
        <>
          <h2 className="qz-h2">{t('progress.decision')}</h2>
          <div className="qz-card" data-testid="progress-decision">
            <Fields>
              <Field label={t('case.outcome')}>
                <strong>{outcomeLabel(t, p.decision.outcome)}</strong>
              </Field>
              <Field label={t('progress.decidedOn')}>{p.decision.decided_on}</Field>
              {p.decision.appeal?.pending ? (
                <Field label={t('case.appeal')} wide>
                  <span data-testid="progress-appeal-pending">
                    {t('case.appealPending')}：{lang === 'en' ? p.decision.appeal.note_en : p.decision.appeal.note_zh}
                  </span>
                </Field>
              ) : null}
              {p.decision.appeal?.served_on ? <Field label={t('progress.servedOn')}>{p.decision.appeal.served_on}</Field> : null}
              {p.decision.appeal?.reconsideration ? (
                <Field label={t('case.appeal')} wide>
                  <div>
                    {t('case.reconsideration', {
                      body: p.decision.appeal.reconsideration.body,
                      days: p.decision.appeal.reconsideration.days ?? 60,
                      basis: p.decision.appeal.reconsideration.basis,
                    })}
                    {p.decision.appeal.reconsideration.deadline ? ` → ${p.decision.appeal.reconsideration.deadline}` : ''}
                  </div>
                  {p.decision.appeal.litigation ? (
                    <div>
                      {t('case.litigation', {
                        body: p.decision.appeal.litigation.body,
                        months: p.decision.appeal.litigation.months ?? 6,
                        basis: p.decision.appeal.litigation.basis,
                      })}
                      {p.decision.appeal.litigation.deadline ? ` → ${p.decision.appeal.litigation.deadline}` : ''}
                    </div>
                  ) : null}
                </Field>
              ) : null}
            </Fields>
          </div>
        </>
      )}

      {p.rated ? <Notice kind="info">{t('progress.rated')}</Notice> : p.can_rate ? <RatingForm code={p.receipt_code} onRated={onRated} /> : null}
    </div>
  );
}

export function RatingForm({ code, onRated }: { code: string; onRated: () => void }) {
  const { t } = useI18n();
  const [level, setLevel] = useState(0);
  const [scores, setScores] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RatingResult | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (level < 1) {
      setFormError(t('progress.levelRequired'));
      return;
    }
    setFormError(null);
    setBusy(true);
    setError(null);
    try {
      setDone(await submitRating({ receipt_code: code, level, scores, comment: comment.trim() || undefined }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="qz-alert info" data-testid="rating-done">
        <span>
          {t('progress.ratingDone', { n: done.receipt?.index ?? '—' })}
          {done.callback_due && done.fix_due ? ` ${t('progress.rectification', { callback: done.callback_due, fix: done.fix_due })}` : ''}{' '}
          {done.receipt ? <ReceiptLink receipt={done.receipt} /> : null}
        </span>
        <button type="button" className="qz-btn small" onClick={onRated}>
          {t('app.retry')}
        </button>
      </div>
    );
  }

  return (
    <form className="qz-card qz-form-plain" onSubmit={onSubmit} noValidate data-testid="rating-form">
      <h2 className="qz-h2">{t('progress.rate')}</h2>
      <div className="qz-field">
        <span className="qz-field-label">{t('progress.level')} *</span>
        <div className="qz-stars" role="radiogroup" aria-label={t('progress.level')}>
          {[5, 4, 3, 2, 1].map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={level === n}
              className={level === n ? 'qz-chip on' : 'qz-chip'}
              onClick={() => setLevel(n)}
              data-testid={`rating-level-${n}`}
            >
              {'★'.repeat(n)} {t(`rating.level.${n}` as 'rating.level.1')}
            </button>
          ))}
        </div>
        {formError && <span className="qz-field-error" data-testid="rating-level-error">{formError}</span>}
      </div>
      <div className="qz-field">
        <span className="qz-field-label">{t('progress.scores')}</span>
        {RATING_INDICATORS.map((ind) => (
          <label key={ind} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <span style={{ width: 96 }}>{t(`rating.ind.${ind}`)}</span>
            <select
              className="qz-select small"
              value={scores[ind] ?? ''}
              onChange={(e) => {
                const v = Number(e.target.value);
                const next = { ...scores };
                if (v) next[ind] = v;
                else delete next[ind];
                setScores(next);
              }}
              data-testid={`rating-score-${ind}`}
            >
              <option value="">—</option>
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <label className="qz-field">
        <span className="qz-field-label">{t('progress.comment')}</span>
        <textarea className="qz-input" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="rating-comment" />
      </label>
      <ErrorBox error={error} testId="rating-error" />
      <div>
        <button type="submit" className="qz-button-primary" disabled={busy} data-testid="rating-submit">
          {t('progress.submitRating')}
        </button>
      </div>
    </form>
  );
}
