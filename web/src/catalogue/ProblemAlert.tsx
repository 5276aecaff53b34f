// The server's problem+json, shown in full: the message in the UI language and,
// when the problem carries them, the rows of a refused import, the staffing
// violations of a refused change, or the open readiness items of a grant.
import { Alert, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { errorMessage, ProblemError } from '../lib/api';
import { READINESS_KEYS, type AuthorityFinding, type GuardFailure, type ImportRowError, type Violation } from '../lib/endpoints';
import { guardLabel, hasGuardLabel, stepLabel } from '../cases/labels';
import { zh } from '../i18n/messages';

export function problemRowErrors(e: unknown): ImportRowError[] {
  if (!(e instanceof ProblemError)) return [];
  const errs = e.problem.errors;
  return Array.isArray(errs) ? (errs as ImportRowError[]).filter((x) => x && typeof x === 'object' && 'row' in x) : [];
}

export function problemViolations(e: unknown): Violation[] {
  if (!(e instanceof ProblemError)) return [];
  const v = e.problem.violations;
  return Array.isArray(v) ? (v as Violation[]) : [];
}

export function problemOpenItems(e: unknown): string[] {
  if (!(e instanceof ProblemError)) return [];
  const v = e.problem.open_items;
  return Array.isArray(v) ? (v as string[]) : [];
}

/** 403 authority_denied: every fact the legal-authority check looked at. */
export function problemFindings(e: unknown): AuthorityFinding[] {
  if (!(e instanceof ProblemError)) return [];
  const v = e.problem.findings;
  return Array.isArray(v) ? (v as AuthorityFinding[]).filter((x) => x && typeof x === 'object' && 'ok' in x) : [];
}

/** 409 rule_violation: every failing guard of a procedure step. */
export function problemFailures(e: unknown): GuardFailure[] {
  if (!(e instanceof ProblemError)) return [];
  const v = e.problem.failures;
  return Array.isArray(v) ? (v as GuardFailure[]).filter((x) => x && typeof x === 'object' && 'guard' in x) : [];
}

/**
 * The rule a refusal names at its top level (409 rule_violation without a
 * failures list, e.g. "backdate", "limitation"; 422 validation, e.g.
 * "proposal", "statutory_range").
 */
export function problemGuard(e: unknown): string {
  if (!(e instanceof ProblemError)) return '';
  const g = e.problem.guard;
  return typeof g === 'string' ? g : '';
}

/** The rule explained in the UI language, with its code for the record. */
export function GuardNote({ guard }: { guard: string }) {
  const { t } = useI18n();
  if (!guard) return null;
  return (
    <div data-testid="problem-guard" data-guard={guard}>
      <Typography.Text strong>{t('case.guard')}：</Typography.Text>
      {hasGuardLabel(guard) ? guardLabel(t, guard) : guard}
    </div>
  );
}

/** The facts of an authority check as a checklist (✓ held, ✗ did not). */
export function FindingsList({ findings }: { findings: AuthorityFinding[] }) {
  const { t, lang } = useI18n();
  return (
    <div>
      <Typography.Text strong>{t('case.findings')}</Typography.Text>
      <ul className="qz-checklist" data-testid="problem-findings">
        {findings.map((f, i) => (
          <li key={`${f.code}-${i}`} className={f.ok ? 'ok' : 'fail'} data-ok={f.ok ? 'true' : 'false'} data-code={f.code}>
            <span className="qz-check" aria-label={f.ok ? '✓' : '✗'}>
              {f.ok ? '✓' : '✗'}
            </span>
            {lang === 'en' ? f.message_en : f.message_zh}
            {!f.ok && `finding.${f.code}` in zh ? (
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                （{t(`finding.${f.code}` as MessageKey)}）
              </Typography.Text>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FailuresList({ failures }: { failures: GuardFailure[] }) {
  const { t, lang } = useI18n();
  return (
    <div>
      <Typography.Text strong>{t('case.failures')}</Typography.Text>
      <ul className="qz-checklist" data-testid="problem-failures">
        {failures.map((f, i) => (
          <li key={`${f.guard}-${f.item}-${i}`} className="fail" data-guard={f.guard}>
            <span className="qz-check" aria-label="✗">
              ✗
            </span>
            {hasGuardLabel(f.guard) ? (
              <Tag color="red" style={{ marginRight: 6 }} title={f.guard}>
                {guardLabel(t, f.guard)}
              </Tag>
            ) : null}
            {lang === 'en' ? f.message_en : f.message_zh}
            {f.when ? <Tag style={{ marginLeft: 8 }}>{f.when}</Tag> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ImportErrorsTable({ errors }: { errors: ImportRowError[] }) {
  const { t, lang } = useI18n();
  return (
    <Table<ImportRowError>
      size="small"
      rowKey={(r, i) => `${r.row}-${r.column_letter ?? ''}-${i}`}
      dataSource={errors}
      pagination={errors.length > 10 ? { pageSize: 10, size: 'small' } : false}
      data-testid="import-errors"
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 70 },
        {
          title: t('import.column'),
          key: 'column',
          width: 160,
          render: (_, r) => (
            <span>
              {r.column_letter ? <Tag>{r.column_letter}</Tag> : null}
              {r.column ?? '—'}
            </span>
          ),
        },
        { title: t('import.reason'), key: 'reason', render: (_, r) => (lang === 'en' ? r.reason_en : r.reason_zh) },
      ]}
    />
  );
}

export function ViolationsTable({ violations, testId }: { violations: Violation[]; testId?: string }) {
  const { t, lang } = useI18n();
  return (
    <Table<Violation>
      size="small"
      rowKey={(v, i) => `${v.rule}-${v.agency_id}-${v.person_id}-${v.subject}-${i}`}
      dataSource={violations}
      pagination={false}
      data-testid={testId ?? 'violations-table'}
      columns={[
        {
          title: t('violations.rule'),
          key: 'rule',
          width: 180,
          render: (_, v) => (
            <Tag color="red" data-rule={v.rule}>
              {lang === 'en' ? v.rule : v.rule_zh}
            </Tag>
          ),
        },
        { title: t('violations.evidence'), key: 'evidence', render: (_, v) => (lang === 'en' ? v.evidence_en : v.evidence_zh) },
        {
          title: t('violations.basis'),
          dataIndex: 'basis_zh',
          width: 280,
          render: (b: string) => <Typography.Text type="secondary">{b}</Typography.Text>,
        },
      ]}
    />
  );
}

/** An Alert with the server's message and whatever structured detail the problem carries. */
export function ProblemAlert({
  error,
  title,
  action,
  testId,
  procedure,
}: {
  error: unknown;
  title?: ReactNode;
  action?: ReactNode;
  testId?: string;
  /** Names the steps of `allowed_steps` (a case's procedure). */
  procedure?: string;
}) {
  const { t, lang } = useI18n();
  if (error === null || error === undefined) return null;
  const rows = problemRowErrors(error);
  const violations = problemViolations(error);
  const open = problemOpenItems(error).filter((k) => (READINESS_KEYS as readonly string[]).includes(k));
  const findings = problemFindings(error);
  const failures = problemFailures(error);
  const guard = problemGuard(error);
  const allowed = error instanceof ProblemError && Array.isArray(error.problem.allowed_steps) ? (error.problem.allowed_steps as string[]) : [];
  const competent = error instanceof ProblemError && typeof error.problem.competent_body === 'string' ? error.problem.competent_body : '';
  const msg = errorMessage(error, lang);
  const extra =
    findings.length > 0 ? (
      <FindingsList findings={findings} />
    ) : failures.length > 0 ? (
      <FailuresList failures={failures} />
    ) : allowed.length > 0 ? (
      <div data-testid="problem-allowed">
        {t('case.allowedSteps')}：
        {allowed.map((k) => (
          <Tag key={k} title={k}>
            {procedure ? stepLabel(t, procedure, k) : k}
          </Tag>
        ))}
      </div>
    ) : competent ? (
      <div>{t('apply.competentBody', { body: competent })}</div>
    ) : rows.length > 0 ? (
      <ImportErrorsTable errors={rows} />
    ) : violations.length > 0 ? (
      <ViolationsTable violations={violations} testId="problem-violations" />
    ) : open.length > 0 ? (
      <div>
        {t('grants.openItems')}：
        {open.map((k) => (
          <Tag key={k} color="orange">
            {t(`readiness.${k}` as MessageKey)}
          </Tag>
        ))}
      </div>
    ) : null;
  // A top-level rule is explained unless the failures list already names it.
  const guardNote = guard && !failures.some((f) => f.guard === guard) ? <GuardNote guard={guard} /> : null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId ?? 'problem'}
      message={title ? <span>{title}</span> : msg}
      description={
        title || extra || guardNote ? (
          <div className="qz-problem-detail">
            {title ? <div data-testid="problem-message">{msg}</div> : null}
            {guardNote}
            {extra}
          </div>
        ) : undefined
      }
      action={action}
      style={{ marginBottom: 12 }}
    />
  );
}
