// One case: its procedure steps as a timeline with the ledger receipt of each,
// the clocks, the files, the decision and its disclosure, and a step form
// driven by the server's `next_steps` (what each step requires and what is
// missing). Refusals are shown as the server explains them: the facts of the
// legal-authority check (403), the failing guards (409), the amount rules (422).
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import {
  annulDisclosure,
  getCase,
  getDiscretion,
  getMe,
  listCaseOfficers,
  listProcedures,
  performStep,
  publishDisclosure,
  uploadCaseFile,
  type CaseClock,
  type CaseDetail,
  type CaseOfficer,
  type DecisionAppeal,
  type NextStep,
  type ProcedureClockDef,
  type Procedures,
  type Receipt,
} from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { formatFen, KIND_COLORS, kindLabel } from '../catalogue/format';
import { ReceiptLink } from '../cases/ReceiptLink';
import {
  bi,
  biText,
  docLabel,
  factLabel,
  flagLabel,
  originLabel,
  outcomeLabel,
  partyKindLabel,
  procedureLabel,
  stepLabel,
  tierLabel,
  yuanToFen,
} from '../cases/labels';
import { todayInChina } from '../lib/dates';
import { ClockTag } from './CasesPage';
import { buildStepCommand, isBackdated, stepFields, type StepValues } from './stepForm';

const FILE_KINDS = [
  'application_form',
  'acceptance_receipt',
  'correction_notice',
  'verification_record',
  'review_opinion',
  'license_decision',
  'refusal_decision',
  'inquiry_record',
  'investigation_report',
  'legal_review_opinion',
  'penalty_decision',
  'service_receipt',
  'inspection_record',
  'rectification_order',
  'penalty_notice',
  'hearing_waiver',
  'fine_receipt',
  'payment_record',
  'onsite_record',
  'seizure_decision',
  'seizure_list',
  'other',
];

export default function CasePage() {
  const { id = '' } = useParams();
  const caseId = Number(id);
  const { t, lang } = useI18n();
  const session = useSession();
  const c = useFetch(`case|${caseId}`, (signal) => getCase(caseId, signal), { onUnauthorized: session.expire, enabled: caseId > 0 });
  const officers = useFetch(`officers|${caseId}`, (signal) => listCaseOfficers(caseId, signal), { enabled: caseId > 0 });
  const me = useFetch('me', (signal) => getMe(signal));
  // The procedures (public): clock kinds when a clock cannot be evaluated, backdating and on-the-spot limits.
  const procs = useFetch('procedures', (signal) => listProcedures(signal));
  // Keep the last good case while reloading so the page does not jump.
  const [data, setData] = useState<CaseDetail | null>(null);
  useEffect(() => {
    if (c.data) setData(c.data);
  }, [c.data]);
  const names = useMemo(() => new Map((officers.data?.items ?? []).map((o) => [o.id, o.name])), [officers.data]);

  if (c.error !== null && !data) return <ProblemAlert error={c.error} testId="case-error" />;
  if (!data) return <Card loading data-testid="case-loading" />;
  const k = data;

  return (
    <div className="qz-console-page" data-testid="case-page" data-case-state={k.state}>
      <Link to="/console/cases">‹ {t('case.back')}</Link>
      <Space align="baseline" wrap className="qz-title-row">
        <Typography.Title level={3} data-testid="case-title">
          {t('case.title', { id: k.id })} {k.power_name}
        </Typography.Title>
        <Tag color="blue" data-testid="case-state">
          {k.state_label}
        </Tag>
        <ClockTag status={k.clock_status} />
        <CaseFlags k={k} />
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('case.overview')}>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('cases.item')}>
                <Tag color={KIND_COLORS[k.power_kind]}>{kindLabel(t, k.power_kind)}</Tag>
                <span className="qz-mono">{k.power_code}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.procedure')}>
                {procedureLabel(t, k.procedure)} v{k.procedure_version}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.party')}>
                {k.party} <Typography.Text type="secondary">({partyKindLabel(t, k.party_kind)})</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.origin')}>{originLabel(t, k.origin)}</Descriptions.Item>
              <Descriptions.Item label={t('cases.openedOn')}>{k.opened_on}</Descriptions.Item>
              <Descriptions.Item label={t('cases.deadline')}>{k.deadline ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cases.receiptCode')}>
                <span className="qz-mono" data-testid="case-receipt-code">
                  {k.receipt_code}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('case.documents')}>
                {k.documents.length ? k.documents.map((d) => <Tag key={d}>{docLabel(t, d)}</Tag>) : '—'}
              </Descriptions.Item>
              {k.facts.length > 0 && (
                <Descriptions.Item label={t('case.facts')}>
                  {k.facts.map((f) => (
                    <Tag key={f} color="geekblue">
                      {factLabel(t, f)}
                    </Tag>
                  ))}
                </Descriptions.Item>
              )}
              {k.summary ? <Descriptions.Item label={t('cases.summary')}>{k.summary}</Descriptions.Item> : null}
            </Descriptions>
            <PenaltyDetails k={k} />
          </Card>
          <Card size="small" title={t('case.clocks')} className="qz-section">
            <ClocksTable clocks={k.clocks} defs={procs.data?.items.find((p) => p.id === k.procedure)?.clocks} />
          </Card>
          <Card size="small" title={t('case.timeline')} className="qz-section" data-testid="case-timeline">
            {k.steps.length === 0 ? (
              <Typography.Text type="secondary">{t('case.noSteps')}</Typography.Text>
            ) : (
              <ol className="qz-timeline">
                {k.receipt ? (
                  <li data-step="opened">
                    <span className="qz-timeline-date">{k.opened_on}</span>
                    <strong>{originLabel(t, k.origin)}</strong> · <ReceiptLink receipt={k.receipt} label={t('case.verifyReceipt', { n: k.receipt.index })} />
                  </li>
                ) : null}
                {k.steps.map((s, i) => (
                  <li key={s.seq ?? i} data-step={s.step} data-testid={`timeline-${s.step}`}>
                    <span className="qz-timeline-date">{s.on}</span>
                    <strong>{bi(lang, s)}</strong>
                    {s.performer_id ? <span className="qz-muted"> · {names.get(s.performer_id) ?? `#${s.performer_id}`}</span> : null}
                    {s.officers && s.officers.length > 0 ? (
                      <span className="qz-muted">
                        {' '}
                        · {t('case.officers')}：{s.officers.map((o) => names.get(o) ?? `#${o}`).join('、')}
                      </span>
                    ) : null}
                    <div>
                      {(s.detail?.documents ?? []).map((d) => (
                        <Tag key={d}>{docLabel(t, d)}</Tag>
                      ))}
                      {(s.detail?.facts ?? []).map((f) => (
                        <Tag key={f} color="geekblue">
                          {factLabel(t, f)}
                        </Tag>
                      ))}
                      {typeof s.detail?.reason === 'string' && s.detail.reason ? <Typography.Text type="secondary">{s.detail.reason}</Typography.Text> : null}
                    </div>
                    {s.detail?.backdated ? (
                      <div data-testid={`timeline-backdated-${s.step}`}>
                        <Tag color="orange">{flagLabel(t, 'backdated')}</Tag>
                        <Typography.Text type="secondary">
                          {t('case.backdatedStep', { recorded: s.detail.backdated.recorded_on, reason: s.detail.backdated.reason })}
                        </Typography.Text>
                      </div>
                    ) : null}
                    {s.receipt ? <ReceiptLink receipt={s.receipt} label={t('case.verifyReceipt', { n: s.receipt.index })} /> : null}
                  </li>
                ))}
              </ol>
            )}
          </Card>
          <FilesCard k={k} onChanged={c.reload} />
        </Col>
        <Col xs={24} xl={10}>
          <StepForm k={k} officers={officers.data?.items ?? []} myPersonId={me.data?.person?.id ?? null} onDone={c.reload} procedures={procs.data} />
          {k.decision && <DecisionCard k={k} />}
          {k.disclosure && <DisclosureCard k={k} onChanged={c.reload} />}
          {k.rating ? (
            <Card size="small" title={t('case.rating')} className="qz-section">
              <Tag color={k.rating.level <= 2 ? 'red' : 'green'}>{t(`rating.level.${k.rating.level}` as 'rating.level.1')}</Tag>
              {k.rating.rectification && k.rating.rectification !== 'none' ? <Tag>{k.rating.rectification}</Tag> : null}
              {k.rating.comment ? <div>{k.rating.comment}</div> : null}
            </Card>
          ) : null}
        </Col>
      </Row>
    </div>
  );
}

/** What kind of period a clock is: the officer's (statutory or promised), a waiting period, or the party's own. */
export type ClockKind = 'officer' | 'promised' | 'waiting' | 'party';
export const clockKind = (c: Pick<CaseClock, 'waiting' | 'party_duty' | 'statutory'>): ClockKind =>
  c.party_duty ? 'party' : c.waiting ? 'waiting' : c.statutory ? 'officer' : 'promised';

function ClockKindTag({ c }: { c: CaseClock }) {
  const { t } = useI18n();
  const kind = clockKind(c);
  if (kind === 'party')
    return (
      <Tooltip title={t('case.clockPartyDutyHint')}>
        <Tag color="purple" data-kind="party">
          {t('case.clockPartyDuty')}
        </Tag>
      </Tooltip>
    );
  if (kind === 'waiting')
    return (
      <Tooltip title={t('case.clockWaitingHint')}>
        <Tag color="cyan" data-kind="waiting">
          {t('case.clockWaiting')}
        </Tag>
      </Tooltip>
    );
  return <Tag data-kind={kind}>{kind === 'officer' ? t('case.statutory') : t('case.promised')}</Tag>;
}

function ClocksTable({ clocks: raw, defs }: { clocks: CaseClock[]; defs?: ProcedureClockDef[] }) {
  const { t, lang } = useI18n();
  // A clock that cannot be evaluated (year_not_loaded) comes without its kind: take it from the procedure.
  const clocks = raw.map((c) => {
    const d = defs?.find((x) => x.id === c.id);
    return d && c.statutory === undefined ? { ...c, statutory: d.statutory, waiting: d.waiting, party_duty: d.party_duty, unit: c.unit ?? d.unit } : c;
  });
  const unit = (c: CaseClock, n: number) => t(c.unit === 'working' ? 'case.workingDays' : 'case.calendarDays', { n });
  const known = (c: CaseClock) => typeof c.limit_days === 'number';
  return (
    <Table<CaseClock>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={clocks}
      data-testid="case-clocks"
      scroll={{ x: 'max-content' }}
      rowClassName={(c) => `qz-clock-${clockKind(c)}`}
      onRow={(c) => ({ 'data-clock': c.status, 'data-id': c.id, 'data-kind': clockKind(c) }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('case.clocks'),
          key: 'label',
          render: (_, c) => (
            <span>
              {bi(lang, c)} <ClockKindTag c={c} />
            </span>
          ),
        },
        { title: t('case.clockLimit'), key: 'limit', render: (_, c) => (known(c) ? unit(c, c.limit_days) : '—') },
        { title: t('case.clockUsed'), key: 'used', render: (_, c) => (known(c) ? c.used_days : '—') },
        {
          title: t('case.clockLeft'),
          key: 'left',
          render: (_, c) => {
            if (!known(c)) return '—';
            // A waiting period past its end is simply over; only the officer's limits are "overdue".
            if (c.left_days < 0 && c.waiting) return 0;
            // The party paid late: its own delay, shown apart from the officer's overdue limits.
            if (c.left_days < 0 && c.party_duty)
              return (
                <Typography.Text style={{ color: '#722ed1' }} data-testid={`clock-party-late-${c.id}`}>
                  {t('case.lateDays', { n: -c.left_days })}
                </Typography.Text>
              );
            return (
              <Typography.Text type={c.left_days < 0 ? 'danger' : undefined}>{c.left_days < 0 ? t('case.overdueBy', { n: -c.left_days }) : c.left_days}</Typography.Text>
            );
          },
        },
        {
          title: t('case.clockExtension'),
          key: 'ext',
          render: (_, c) => (c.extension_days ? `+${c.extension_days}` : '—') + (c.excluded_days ? ` / ${t('case.clockExcluded')} ${c.excluded_days}` : ''),
        },
        {
          title: t('case.clockDeadline'),
          key: 'deadline',
          render: (_, c) =>
            c.deadline ?? (
              <Typography.Text type="warning" data-testid={`clock-flag-${c.id}`}>
                {biText(lang, c.deadline_flag ?? c.error) || '—'}
              </Typography.Text>
            ),
        },
        {
          title: t('cases.clock'),
          key: 'status',
          render: (_, c) => (
            <span>
              <ClockTag status={c.status} />
              {c.late_payment ? (
                <div className="qz-muted" data-testid={`clock-late-${c.id}`}>
                  {t('case.surcharge', { amount: formatFen(c.late_payment.surcharge_fen, lang) })} · {t('flag.partyDuty')}
                </div>
              ) : null}
            </span>
          ),
        },
      ]}
    />
  );
}

/** Flags of the case as tags: backdated steps, a waived hearing, a late payment by the party. */
function CaseFlags({ k }: { k: CaseDetail }) {
  const { t, lang } = useI18n();
  const flags = [...new Set(k.flags ?? [])];
  const waived = k.facts.includes('hearing_waived');
  const late = k.late_payment;
  if (flags.length === 0 && !waived && !late) return null;
  return (
    <span data-testid="case-flags">
      {flags.map((f) => (
        <Tooltip key={f} title={f === 'backdated' ? t('flag.backdatedHint') : undefined}>
          <Tag color="orange" data-flag={f}>
            {flagLabel(t, f)}
          </Tag>
        </Tooltip>
      ))}
      {waived ? (
        <Tooltip title={t('flag.hearing_waivedHint')}>
          <Tag color="geekblue" data-flag="hearing_waived">
            {flagLabel(t, 'hearing_waived')}
          </Tag>
        </Tooltip>
      ) : null}
      {late ? (
        <Tooltip title={late.basis}>
          <Tag color="purple" data-flag="late_payment">
            {flagLabel(t, 'late_payment')}：{t('flag.latePaymentDetail', { days: late.days_late, amount: formatFen(late.surcharge_fen, lang) })} ·{' '}
            {t('flag.partyDuty')}
          </Tag>
        </Tooltip>
      ) : null}
    </span>
  );
}

/** The violation's dates, the proposed penalty, the fine and a late payment (penalty cases). */
function PenaltyDetails({ k }: { k: CaseDetail }) {
  const { t, lang } = useI18n();
  const v = k.violation;
  const p = k.proposal;
  const late = k.late_payment;
  if (!v && !p && !k.fine_fen && !late) return null;
  return (
    <Descriptions size="small" column={2} className="qz-section" data-testid="case-penalty-details">
      {v ? (
        <>
          <Descriptions.Item label={t('case.committedOn')}>
            <span data-testid="case-committed-on">{v.committed_on}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('case.discoveredOn')}>
            <span data-testid="case-discovered-on">{v.discovered_on}</span>
            {v.serious_harm ? (
              <Tag color="red" style={{ marginLeft: 8 }}>
                {t('case.seriousHarmShort')}
              </Tag>
            ) : null}
          </Descriptions.Item>
        </>
      ) : null}
      {p ? (
        <Descriptions.Item label={t('case.proposal')} span={2}>
          <span data-testid="case-proposal">
            {p.tier ? <Tag>{tierLabel(t, p.tier)}</Tag> : null}
            {p.amount_fen ? `${t('case.fine')} ${formatFen(p.amount_fen, lang)}` : null}
            {p.confiscation_fen ? ` · ${t('case.confiscation')} ${formatFen(p.confiscation_fen, lang)}` : null}
            {p.licence_revoked_or_closure ? (
              <Tag color="volcano" style={{ marginLeft: 8 }}>
                {t('case.licenceRevoked')}
              </Tag>
            ) : null}
            {k.facts.includes('hearing_rights_notified') ? (
              <Tag color="geekblue" style={{ marginLeft: 8 }}>
                {factLabel(t, 'hearing_rights_notified')}
              </Tag>
            ) : null}
          </span>
        </Descriptions.Item>
      ) : null}
      {k.fine_fen ? <Descriptions.Item label={t('case.fine')}>{formatFen(k.fine_fen, lang)}</Descriptions.Item> : null}
      {late ? (
        <Descriptions.Item label={t('case.latePayment')}>
          <span data-testid="case-late-payment">
            {t('case.lateDays', { n: late.days_late })}，{t('case.surcharge', { amount: formatFen(late.surcharge_fen, lang) })}
            <div className="qz-muted">{t('flag.partyDuty')}</div>
          </span>
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

// --- the step form ------------------------------------------------------------------

export function StepForm({
  k,
  officers,
  myPersonId,
  onDone,
  procedures,
}: {
  k: CaseDetail;
  officers: CaseOfficer[];
  myPersonId: number | null;
  onDone: () => void;
  /** The procedures when the page has them already (null while loading); fetched here when not given. */
  procedures?: Procedures | null;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<StepValues>();
  const [code, setCode] = useState<string | null>(null);
  const step: NextStep | undefined = k.next_steps.find((s) => s.code === code) ?? undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ label: string; receipt?: Receipt } | null>(null);
  const today = todayInChina();
  // The procedures (public): how far back a step may be recorded, and the on-the-spot limits.
  const own = useFetch('procedures', (signal) => listProcedures(signal), { enabled: procedures === undefined });
  const procData = procedures === undefined ? own.data : procedures;
  const maxBackdate = procData?.max_backdate_days;
  const limits = procData?.items.find((p) => p.id === k.procedure)?.limits ?? null;

  const watched = Form.useWatch([], form) as Partial<StepValues> | undefined;
  const tier = watched?.tier;
  const base = watched?.base_yuan;
  const amount = watched?.amount_yuan;
  const on = watched?.on;
  const collectCap = limits?.collect_on_spot_fen;
  const fields = step ? stepFields(step, k.procedure, k.facts, watched ?? {}) : null;
  // Collecting more than the cap on the spot needs a reason (第六十八条).
  const collectAboveCap = !!fields?.collection && collectCap !== undefined && (k.fine_fen ?? 0) > collectCap;
  const reasonRequired = !!fields?.reasonRequired || collectAboveCap;
  const wantsDiscretion = !!fields?.penalty;
  // The benchmark (its tiers) once; the allowed range whenever the tier or the basis amount changes.
  const disc = useFetch(`disc|${k.power_code}`, (signal) => getDiscretion(k.power_code, {}, signal), { enabled: wantsDiscretion });
  const baseFen = yuanToFen(base ?? undefined);
  const rangeFetch = useFetch(
    `range|${k.power_code}|${tier ?? ''}|${baseFen ?? ''}`,
    (signal) => getDiscretion(k.power_code, { tier: tier || undefined, base_fen: baseFen }, signal),
    { enabled: wantsDiscretion && !!tier },
  );
  const range = rangeFetch.data?.range;
  const amountFen = yuanToFen(amount ?? undefined);
  const outside = range && amountFen !== undefined ? amountFen < range.min_fen || amountFen > range.max_fen : false;
  const backdated = isBackdated(on, today);

  useEffect(() => {
    // Start on the first allowed step; keep the choice across reloads when still allowed.
    if (!k.next_steps.some((s) => s.code === code)) setCode(k.next_steps[0]?.code ?? null);
  }, [k.next_steps, code]);

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue({ documents: [], facts: [], officers: myPersonId ? [myPersonId] : [], on: todayInChina() });
    setError(null);
  }, [code, form, myPersonId]);

  if (k.next_steps.length === 0) {
    return (
      <Card size="small" title={t('case.nextSteps')}>
        <Typography.Text type="secondary">{t('case.noNextSteps')}</Typography.Text>
        {done && <Done done={done} />}
      </Card>
    );
  }

  const certifiedCount = (ids: number[]) => ids.filter((id) => officers.find((o) => o.id === id)?.certificate_valid).length;
  const reqFacts = step?.facts ?? [];

  const submit = async (v: StepValues) => {
    if (!step) return;
    const cmd = buildStepCommand(step, k.procedure, v, today);
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await performStep(k.id, cmd);
      setDone({ label: bi(lang, step), receipt: r.receipt });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const needs: string[] = [];
  if (step) {
    if (step.min_officers > 1) needs.push(t('case.minOfficers', { n: step.min_officers }));
    if (step.certificate || step.enforcement) needs.push(t('case.needsCertificate'));
    if (step.leader) needs.push(t('case.needsLeader'));
    if (step.all_leaders) needs.push(t('case.allLeaders'));
    if (step.legal_reviewer) needs.push(t('case.needsLegalReviewer'));
    if (step.reason) needs.push(t('case.needsReason'));
    if (step.separate_from?.length) needs.push(t('case.separateFrom', { steps: step.separate_from.map((x) => stepLabel(t, k.procedure, x)).join('、') }));
  }
  const fenText = (fen: number | undefined) => (fen === undefined ? '—' : formatFen(fen, lang));

  return (
    <Card size="small" title={t('case.nextSteps')} data-testid="step-form" data-step={step?.code ?? ''}>
      <Form<StepValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ officers: myPersonId ? [myPersonId] : [], documents: [], facts: [], on: today }}
      >
        <Form.Item label={t('case.pickStep')}>
          <Select<string>
            value={code ?? undefined}
            onChange={setCode}
            data-testid="step-select"
            showSearch
            optionFilterProp="label"
            virtual={false}
            listHeight={360}
            options={k.next_steps.map((s) => ({ value: s.code, label: `${bi(lang, s)} (${s.code})` }))}
          />
        </Form.Item>
        {step && fields && (
          <>
            {needs.length > 0 && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`${t('case.requires')}：${needs.join('；')}`} data-testid="step-requires" />
            )}
            {step.serves_decision && <Alert type="info" style={{ marginBottom: 12 }} message={t('case.servesDecision')} data-testid="step-serves" />}
            {step.missing_steps.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={`${t('case.missingSteps')}：${step.missing_steps.map((x) => stepLabel(t, k.procedure, x)).join('、')}`}
                data-testid="step-missing-steps"
              />
            )}
            {step.basis ? (
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} ellipsis={{ rows: 2, expandable: true, symbol: '…' }} data-testid="step-basis">
                {t('case.stepBasis')}：{step.basis}
              </Typography.Paragraph>
            ) : null}
            {step.documents.length > 0 && (
              <Form.Item name="documents" label={t('case.docAttach')}>
                <Checkbox.Group style={{ display: 'grid', gap: 4 }} data-testid="step-documents">
                  {step.documents.map((d) => {
                    const missing = step.missing_documents.includes(d);
                    return (
                      <Checkbox key={d} value={d}>
                        <span data-testid={`doc-${d}`} data-missing={missing ? 'true' : 'false'}>
                          <span className={missing ? 'qz-doc-missing' : undefined}>{docLabel(t, d)}</span>{' '}
                          {missing ? <Tag color="red">{t('case.docMissing')}</Tag> : <Tag color="green">{t('case.docOnFile')}</Tag>}
                        </span>
                      </Checkbox>
                    );
                  })}
                </Checkbox.Group>
              </Form.Item>
            )}
            {reqFacts.length > 0 && (
              <ul className="qz-checklist" data-testid="step-required-facts">
                {reqFacts.map((f) => {
                  const ok = k.facts.includes(f);
                  return (
                    <li key={f} className={ok ? 'ok' : 'fail'} data-ok={ok ? 'true' : 'false'}>
                      <span className="qz-check">{ok ? '✓' : '✗'}</span>
                      {factLabel(t, f)}
                    </li>
                  );
                })}
              </ul>
            )}
            <Form.Item
              name="officers"
              label={t('case.pickOfficers')}
              extra={step.certificate || step.enforcement ? t('case.officersHint') : undefined}
              rules={[
                {
                  validator: (_, ids: number[] = []) => {
                    if (step.min_officers > 1 && ids.length < step.min_officers) return Promise.reject(new Error(t('case.minOfficers', { n: step.min_officers })));
                    if ((step.certificate || step.enforcement) && certifiedCount(ids) < Math.max(2, step.min_officers))
                      return Promise.reject(new Error(t('case.officersHint')));
                    return Promise.resolve();
                  },
                },
              ]}
            >
              <Select<number[]>
                mode="multiple"
                optionFilterProp="label"
                data-testid="step-officers"
                options={officers.map((o) => ({
                  value: o.id,
                  label: `${o.name} · ${o.post}`,
                }))}
                optionRender={(opt) => {
                  const o = officers.find((x) => x.id === opt.value);
                  if (!o) return opt.label;
                  return (
                    <span>
                      {o.name} <Typography.Text type="secondary">{o.post}</Typography.Text>{' '}
                      {o.certificate_valid ? <Tag color="green">{t('case.certified', { date: o.certificate_valid_to })}</Tag> : <Tag>{t('case.notCertified')}</Tag>}
                      {o.is_leader ? <Tag color="gold">{t('case.leader')}</Tag> : null}
                      {o.legal_reviewer ? <Tag color="purple">{t('case.legalReviewer')}</Tag> : null}
                    </span>
                  );
                }}
              />
            </Form.Item>

            {fields.violation && (
              <fieldset className="qz-fieldset" data-testid="violation-section">
                <legend>{t('case.violationTitle')}</legend>
                <Space wrap align="start">
                  <Form.Item
                    name="committed_on"
                    label={t('case.committedOnShort')}
                    rules={[{ required: true, message: t('case.requiredField') }]}
                  >
                    <Input type="date" max={today} style={{ width: 170 }} data-testid="violation-committed" />
                  </Form.Item>
                  <Form.Item
                    name="discovered_on"
                    label={t('case.discoveredOn')}
                    dependencies={['committed_on']}
                    rules={[
                      { required: true, message: t('case.requiredField') },
                      ({ getFieldValue }) => ({
                        validator: (_, d: string | undefined) => {
                          const c = getFieldValue('committed_on') as string | undefined;
                          return d && c && d < c ? Promise.reject(new Error(t('case.dateAfterCommitted'))) : Promise.resolve();
                        },
                      }),
                    ]}
                  >
                    <Input type="date" max={today} style={{ width: 170 }} data-testid="violation-discovered" />
                  </Form.Item>
                </Space>
                <Form.Item name="serious_harm" valuePropName="checked" style={{ marginBottom: 4 }}>
                  <Checkbox data-testid="violation-serious">{t('case.seriousHarmShort')}</Checkbox>
                </Form.Item>
                <Typography.Paragraph type={watched?.serious_harm ? 'warning' : 'secondary'} style={{ fontSize: 12 }} data-testid="violation-note">
                  {watched?.serious_harm ? t('case.seriousHarmNote') : t('case.limitationHint', { years: 2 })}
                </Typography.Paragraph>
              </fieldset>
            )}

            {step.decision && (
              <Form.Item
                name="content"
                label={t('case.decisionContent')}
                rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 5000 }]}
              >
                <Input.TextArea rows={3} data-testid="decision-content" />
              </Form.Item>
            )}

            {fields.penalty && (
              <fieldset className="qz-fieldset" data-testid={fields.proposal ? 'proposal-section' : 'discretion-section'}>
                {fields.proposal ? <legend>{t('case.proposalTitle')}</legend> : null}
                {fields.proposal && (
                  <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('case.hearingThreshold')} data-testid="hearing-threshold" />
                )}
                {k.procedure === 'penalty_summary' && limits?.natural_person_fen !== undefined ? (
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="summary-limits">
                    {t('case.summaryLimits', { person: fenText(limits.natural_person_fen), org: fenText(limits.organisation_fen) })}
                  </Typography.Paragraph>
                ) : null}
                <div data-testid="discretion-helper">
                  {disc.error !== null && <Alert type="warning" showIcon message={t('case.noDiscretion')} style={{ marginBottom: 8 }} />}
                  {disc.data && (
                    <>
                      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                        {disc.data.violation} — {disc.data.basis}
                      </Typography.Paragraph>
                      <Form.Item
                        name="tier"
                        label={t('case.tier')}
                        extra={fields.proposal ? t('case.warningOnly') : undefined}
                        rules={step.decision ? [{ required: true, message: t('form.required') }] : []}
                      >
                        <Select
                          data-testid="decision-tier"
                          allowClear={fields.proposal}
                          options={disc.data.tiers.map((x) => ({
                            value: x.code,
                            label: `${x.label_zh || tierLabel(t, x.code)} — ${x.circumstances}`,
                          }))}
                        />
                      </Form.Item>
                    </>
                  )}
                  <Space wrap>
                    <Form.Item name="base_yuan" label={t('case.baseFen')}>
                      <InputNumber min={0} step={100} precision={2} style={{ width: 160 }} data-testid="decision-base" />
                    </Form.Item>
                    <Form.Item name="amount_yuan" label={t('case.amount')}>
                      <InputNumber min={0} step={100} precision={2} style={{ width: 160 }} status={outside ? 'warning' : undefined} data-testid="decision-amount" />
                    </Form.Item>
                    <Form.Item name="confiscation_yuan" label={t('case.confiscation')}>
                      <InputNumber min={0} step={100} precision={2} style={{ width: 160 }} data-testid="decision-confiscation" />
                    </Form.Item>
                  </Space>
                  {range && (
                    <Alert
                      type={outside ? 'warning' : 'info'}
                      showIcon
                      style={{ marginBottom: 8 }}
                      data-testid="discretion-range"
                      data-outside={outside ? 'true' : 'false'}
                      message={t('case.range', { min: formatFen(range.min_fen, lang), max: formatFen(range.max_fen, lang) })}
                      description={outside ? t('case.outOfRange') : undefined}
                    />
                  )}
                  {fields.writtenReason && (
                    <Form.Item name="written_reason" label={t('case.writtenReason')}>
                      <Input.TextArea rows={2} />
                    </Form.Item>
                  )}
                  <Form.Item name="licence_revoked_or_closure" valuePropName="checked">
                    <Checkbox data-testid="decision-licence">{t('case.licenceRevoked')}</Checkbox>
                  </Form.Item>
                </div>
              </fieldset>
            )}

            {fields.collection && (
              <fieldset className="qz-fieldset" data-testid="collection-section">
                <legend>{t('case.collectionTitle')}</legend>
                {k.fine_fen ? (
                  <div style={{ marginBottom: 8 }}>
                    {t('case.fine')}：<strong>{formatFen(k.fine_fen, lang)}</strong>
                  </div>
                ) : null}
                <Form.Item
                  name="receipt_number"
                  label={t('case.receiptNumber')}
                  extra={t('case.receiptNumberHint')}
                  rules={[{ required: true, whitespace: true, message: t('case.requiredField') }, { max: 64 }]}
                >
                  <Input style={{ width: 260 }} data-testid="collection-receipt" />
                </Form.Item>
                {collectCap !== undefined ? (
                  <Typography.Paragraph type={collectAboveCap ? 'warning' : 'secondary'} style={{ fontSize: 12 }} data-testid="collection-cap">
                    {t('case.onSpotCap', { amount: formatFen(collectCap, lang) })}
                  </Typography.Paragraph>
                ) : null}
              </fieldset>
            )}

            <Form.Item
              label={t('case.evidenceFacts')}
              name="facts"
              hidden={fields.facts.length === 0}
            >
              <Checkbox.Group data-testid="step-facts" options={fields.facts.map((f) => ({ value: f, label: factLabel(t, f) }))} />
            </Form.Item>

            {fields.reason && (
              <Form.Item
                name="reason"
                label={t('case.reason')}
                rules={reasonRequired ? [{ required: true, whitespace: true, message: t('case.needsReason') }, { max: 2000 }] : [{ max: 2000 }]}
              >
                <Input.TextArea rows={2} data-testid="step-reason" />
              </Form.Item>
            )}
            {fields.extension && (
              <Form.Item name="extension_days" label={t('case.extensionDays')}>
                <InputNumber min={0} max={60} data-testid="step-extension" />
              </Form.Item>
            )}
            <Form.Item
              name="on"
              label={t('case.stepDate')}
              rules={[
                { required: true, message: t('case.requiredField') },
                { pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('form.date') },
                { validator: (_, d: string | undefined) => (d && d > today ? Promise.reject(new Error(t('case.futureDate'))) : Promise.resolve()) },
              ]}
            >
              <Input type="date" max={today} style={{ width: 170 }} data-testid="step-on" />
            </Form.Item>
            {backdated && (
              <>
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 8 }}
                  data-testid="step-backdate-hint"
                  message={t('case.backdateLimit', { today, n: maxBackdate ?? '—' })}
                />
                <Form.Item
                  name="backdate_reason"
                  label={t('case.backdateReason')}
                  rules={[{ required: true, whitespace: true, message: t('case.backdateRequired') }, { max: 2000 }]}
                >
                  <Input.TextArea rows={2} data-testid="step-backdate-reason" />
                </Form.Item>
              </>
            )}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="step-submit">
              {t('case.submitStep')}：{bi(lang, step)}
            </Button>
          </>
        )}
      </Form>
      <div style={{ marginTop: 12 }}>
        {error !== null && <ProblemAlert error={error} title={t('case.stepRefused')} testId="step-error" procedure={k.procedure} />}
        {done && <Done done={done} />}
      </div>
    </Card>
  );
}

function Done({ done }: { done: { label: string; receipt?: Receipt } }) {
  const { t } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      data-testid="step-done"
      message={t('case.stepDone', { step: done.label, n: done.receipt?.index ?? '—' })}
      description={done.receipt ? <ReceiptLink receipt={done.receipt} label={t('case.verifyReceipt', { n: done.receipt.index })} /> : undefined}
    />
  );
}

// --- files ----------------------------------------------------------------------------

function FilesCard({ k, onChanged }: { k: CaseDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [kind, setKind] = useState<string>('other');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const upload = async (f: File) => {
    setBusy(true);
    setError(null);
    try {
      await uploadCaseFile(k.id, kind, f, f.name);
      message.success(t('case.uploaded', { name: f.name }));
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <Card size="small" title={t('case.files')} className="qz-section" data-testid="case-files">
      {k.files.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.noFiles')} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={k.files}
          columns={[
            { title: t('case.uploadKind'), dataIndex: 'kind', render: (d: string) => docLabel(t, d) },
            { title: t('field.name'), dataIndex: 'file_name' },
            { title: 'SHA-256', dataIndex: 'sha256', render: (h: string) => <span className="qz-mono" title={h}>{h.slice(0, 12)}…</span> },
            { title: 'KB', dataIndex: 'size', render: (n: number) => (n / 1024).toFixed(1) },
          ]}
        />
      )}
      {!k.terminal && (
        <Space style={{ marginTop: 8 }} wrap>
          <Select<string>
            value={kind}
            onChange={setKind}
            style={{ width: 220 }}
            data-testid="file-kind"
            options={[...new Set([...FILE_KINDS, ...k.next_steps.flatMap((s) => s.documents)])].map((d) => ({ value: d, label: docLabel(t, d) }))}
          />
          <input
            ref={input}
            type="file"
            hidden
            accept="application/pdf,image/png,image/jpeg"
            data-testid="file-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
            }}
          />
          <Button icon={<UploadOutlined />} loading={busy} onClick={() => input.current?.click()} data-testid="file-upload">
            {t('case.upload')}
          </Button>
        </Space>
      )}
      {error !== null && <ProblemAlert error={error} testId="file-error" />}
    </Card>
  );
}

// --- decision and disclosure -----------------------------------------------------------

function DecisionCard({ k }: { k: CaseDetail }) {
  const { t, lang } = useI18n();
  const d = k.decision;
  if (!d) return null;
  return (
    <Card size="small" title={t('case.decision')} className="qz-section" data-testid="case-decision">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('case.outcome')}>
          <Tag color={d.outcome === 'granted' ? 'green' : 'volcano'}>{outcomeLabel(t, d.outcome)}</Tag> {d.decided_on}
        </Descriptions.Item>
        {d.content ? <Descriptions.Item label={t('case.decisionContent')}>{d.content}</Descriptions.Item> : null}
        {d.amount_fen ? <Descriptions.Item label={t('case.amount')}>{formatFen(d.amount_fen, lang)}</Descriptions.Item> : null}
        {d.tier ? <Descriptions.Item label={t('case.tier')}>{tierLabel(t, d.tier)}</Descriptions.Item> : null}
        {d.responsible_name ? (
          <Descriptions.Item label={t('case.responsible')}>
            {d.responsible_name} · {d.responsible_post}
          </Descriptions.Item>
        ) : null}
        {d.effective_on ? <Descriptions.Item label={t('case.effectiveOn')}>{d.effective_on}</Descriptions.Item> : null}
        {d.appeal ? (
          <Descriptions.Item label={t('case.appeal')}>
            <AppealRoutes appeal={d.appeal} />
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Card>
  );
}

export function AppealRoutes({ appeal }: { appeal: DecisionAppeal | undefined }) {
  const { t, lang } = useI18n();
  if (!appeal) return null;
  if (appeal.pending) {
    return (
      <div data-testid="appeal-pending">
        <Tag color="default">{t('case.appealPending')}</Tag>
        <Typography.Text type="secondary">{lang === 'en' ? appeal.note_en : appeal.note_zh}</Typography.Text>
      </div>
    );
  }
  const r = appeal.reconsideration;
  const l = appeal.litigation;
  const until = (x: { deadline: string | null; deadline_flag?: string }) =>
    x.deadline ? (
      <strong> → {x.deadline}</strong>
    ) : x.deadline_flag ? (
      <Tooltip title={biText(lang, x.deadline_flag)}>
        <Tag color="warning" style={{ marginLeft: 4 }}>
          {t('case.deadlineUnknown')}
        </Tag>
      </Tooltip>
    ) : null;
  return (
    <div data-testid="appeal-routes" data-served-on={appeal.served_on ?? ''}>
      {appeal.served_on ? <div className="qz-muted">{t('case.servedOn', { date: appeal.served_on })}</div> : null}
      {r ? (
        <div data-testid="appeal-reconsideration">
          {t('case.reconsideration', { body: r.body, days: r.days ?? 60, basis: r.basis })}
          {until(r)}
        </div>
      ) : null}
      {l ? (
        <div data-testid="appeal-litigation">
          {t('case.litigation', { body: l.body, months: l.months ?? 6, basis: l.basis })}
          {until(l)}
        </div>
      ) : null}
    </div>
  );
}

function DisclosureCard({ k, onChanged }: { k: CaseDetail; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const d = k.disclosure;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ text: string; receipt?: Receipt } | null>(null);
  const [annulOpen, setAnnulOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!d) return null;
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await publishDisclosure(k.id);
      setResult({ text: t('case.published', { n: r.receipt?.index ?? '—' }), receipt: r.receipt });
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const annul = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await annulDisclosure(k.id, reason.trim());
      setResult({ text: t('case.annulled', { n: r.receipt?.index ?? '—' }), receipt: r.receipt });
      setAnnulOpen(false);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('case.disclosure')} className="qz-section" data-testid="case-disclosure" data-published={d.published_on ? 'true' : 'false'}>
      <div>
        <strong>{d.title}</strong>
      </div>
      <div>
        {d.withdrawn_on ? (
          <Tag color="default">{t('case.disclosureWithdrawn', { date: d.withdrawn_on, reason: d.withdraw_reason })}</Tag>
        ) : d.published_on ? (
          <Tag color="green">{t('case.disclosurePublished', { date: d.published_on })}</Tag>
        ) : (
          d.due_on ? (
            <Tag color="orange">{t('case.disclosureDue', { date: d.due_on })}</Tag>
          ) : (
            <Tag color="warning" data-testid="disclosure-due-flag">
              {t('case.disclosureNoDue')}
            </Tag>
          )
        )}
        {d.late ? <Tag color="red">{t('case.disclosureLate')}</Tag> : null}
      </div>
      {!d.due_on && d.due_flag ? (
        <Typography.Paragraph type="warning" style={{ fontSize: 12, marginTop: 4 }} data-testid="disclosure-flag">
          {biText(lang, d.due_flag)}
        </Typography.Paragraph>
      ) : null}
      <Space style={{ marginTop: 8 }}>
        {!d.published_on && !d.withdrawn_on && (
          <Button type="primary" loading={busy} onClick={publish} data-testid="disclosure-publish">
            {t('case.publish')}
          </Button>
        )}
        {d.published_on && !d.withdrawn_on && (
          <Button danger onClick={() => setAnnulOpen(true)} data-testid="disclosure-annul">
            {t('case.annul')}
          </Button>
        )}
      </Space>
      {error !== null && <div style={{ marginTop: 8 }}><ProblemAlert error={error} testId="disclosure-error" /></div>}
      {result && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="disclosure-result"
          message={result.text}
          description={result.receipt ? <ReceiptLink receipt={result.receipt} label={t('case.verifyReceipt', { n: result.receipt.index })} /> : undefined}
        />
      )}
      <Modal
        open={annulOpen}
        title={t('case.annul')}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !reason.trim(), danger: true }}
        confirmLoading={busy}
        onOk={annul}
        onCancel={() => setAnnulOpen(false)}
      >
        <Typography.Text>{t('case.annulReason')}</Typography.Text>
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="annul-reason" />
      </Modal>
    </Card>
  );
}
