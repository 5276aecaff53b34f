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
  performStep,
  publishDisclosure,
  uploadCaseFile,
  type CaseClock,
  type CaseDetail,
  type CaseOfficer,
  type NextStep,
  type Receipt,
  type StepCommand,
} from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { formatFen, KIND_COLORS, kindLabel } from '../catalogue/format';
import { ReceiptLink } from '../cases/ReceiptLink';
import { bi, docLabel, factLabel, originLabel, outcomeLabel, partyKindLabel, procedureLabel, tierLabel, yuanToFen } from '../cases/labels';
import { ClockTag } from './CasesPage';

/** Facts an officer may assert with a step, per procedure (docs/procedures.md). */
const ASSERTABLE: Record<string, string[]> = {
  licensing: ['substantive_check'],
  penalty_general: ['major_case', 'legal_review_passed', 'fine_imposed'],
  penalty_summary: ['fine_imposed'],
  inspection: ['issues_found', 'rectified'],
};

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
  'penalty_notice',
  'penalty_decision',
  'service_receipt',
  'inspection_record',
  'rectification_order',
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
          </Card>
          <Card size="small" title={t('case.clocks')} className="qz-section">
            <ClocksTable clocks={k.clocks} />
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
                    {s.receipt ? <ReceiptLink receipt={s.receipt} label={t('case.verifyReceipt', { n: s.receipt.index })} /> : null}
                  </li>
                ))}
              </ol>
            )}
          </Card>
          <FilesCard k={k} onChanged={c.reload} />
        </Col>
        <Col xs={24} xl={10}>
          <StepForm k={k} officers={officers.data?.items ?? []} myPersonId={me.data?.person?.id ?? null} onDone={c.reload} />
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

function ClocksTable({ clocks }: { clocks: CaseClock[] }) {
  const { t, lang } = useI18n();
  const unit = (c: CaseClock, n: number) => t(c.unit === 'working' ? 'case.workingDays' : 'case.calendarDays', { n });
  return (
    <Table<CaseClock>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={clocks}
      data-testid="case-clocks"
      scroll={{ x: 'max-content' }}
      onRow={(c) => ({ 'data-clock': c.status, 'data-id': c.id }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('case.clocks'),
          key: 'label',
          render: (_, c) => (
            <span>
              {bi(lang, c)} <Tag>{c.statutory ? t('case.statutory') : t('case.promised')}</Tag>
            </span>
          ),
        },
        { title: t('case.clockLimit'), key: 'limit', render: (_, c) => unit(c, c.limit_days) },
        { title: t('case.clockUsed'), dataIndex: 'used_days' },
        {
          title: t('case.clockLeft'),
          key: 'left',
          render: (_, c) => (
            <Typography.Text type={c.left_days < 0 ? 'danger' : undefined}>{c.left_days < 0 ? t('case.overdueBy', { n: -c.left_days }) : c.left_days}</Typography.Text>
          ),
        },
        {
          title: t('case.clockExtension'),
          key: 'ext',
          render: (_, c) => (c.extension_days ? `+${c.extension_days}` : '—') + (c.excluded_days ? ` / ${t('case.clockExcluded')} ${c.excluded_days}` : ''),
        },
        { title: t('case.clockDeadline'), key: 'deadline', render: (_, c) => c.deadline ?? <Typography.Text type="warning">{c.deadline_flag ?? '—'}</Typography.Text> },
        { title: t('cases.clock'), dataIndex: 'status', render: (s: string) => <ClockTag status={s} /> },
      ]}
    />
  );
}

// --- the step form ------------------------------------------------------------------

interface StepValues {
  officers: number[];
  documents: string[];
  facts: string[];
  reason?: string;
  extension_days?: number | null;
  on?: string;
  content?: string;
  tier?: string;
  base_yuan?: number | null;
  amount_yuan?: number | null;
  confiscation_yuan?: number | null;
  written_reason?: string;
  licence_revoked_or_closure?: boolean;
}

export function StepForm({
  k,
  officers,
  myPersonId,
  onDone,
}: {
  k: CaseDetail;
  officers: CaseOfficer[];
  myPersonId: number | null;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<StepValues>();
  const [code, setCode] = useState<string | null>(null);
  const step: NextStep | undefined = k.next_steps.find((s) => s.code === code) ?? undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ label: string; receipt?: Receipt } | null>(null);
  const isPenalty = k.procedure === 'penalty_general' || k.procedure === 'penalty_summary';
  const tier = Form.useWatch('tier', form);
  const base = Form.useWatch('base_yuan', form);
  const amount = Form.useWatch('amount_yuan', form);
  const wantsDiscretion = !!step?.decision && isPenalty;
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

  const firstStep = useRef(true);
  useEffect(() => {
    // Start on the first allowed step; keep the choice across reloads when still allowed.
    if (!k.next_steps.some((s) => s.code === code)) setCode(k.next_steps[0]?.code ?? null);
    firstStep.current = false;
  }, [k.next_steps, code]);

  useEffect(() => {
    form.setFieldsValue({ documents: [], facts: [], officers: myPersonId ? [myPersonId] : [], reason: undefined, content: undefined });
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
  const assertable = (ASSERTABLE[k.procedure] ?? []).filter((f) => !step?.facts.includes(f) || !k.facts.includes(f));
  const reqFacts = step?.facts ?? [];

  const submit = async (v: StepValues) => {
    if (!step) return;
    const cmd: StepCommand = {
      step: step.code,
      officers: v.officers?.length ? v.officers : undefined,
      documents: v.documents?.length ? v.documents : undefined,
      facts: v.facts?.length ? v.facts : undefined,
      reason: v.reason?.trim() || undefined,
      on: v.on?.trim() || undefined,
      extension_days: typeof v.extension_days === 'number' ? v.extension_days : undefined,
    };
    if (step.decision) {
      cmd.decision = {
        content: (v.content ?? '').trim(),
        tier: v.tier || undefined,
        base_fen: yuanToFen(v.base_yuan ?? undefined),
        amount_fen: yuanToFen(v.amount_yuan ?? undefined),
        confiscation_fen: yuanToFen(v.confiscation_yuan ?? undefined),
        written_reason: v.written_reason?.trim() || undefined,
        licence_revoked_or_closure: v.licence_revoked_or_closure || undefined,
      };
    }
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
    if (step.legal_reviewer) needs.push(t('case.needsLegalReviewer'));
    if (step.reason) needs.push(t('case.needsReason'));
  }

  return (
    <Card size="small" title={t('case.nextSteps')} data-testid="step-form">
      <Form<StepValues> form={form} layout="vertical" onFinish={submit} initialValues={{ officers: myPersonId ? [myPersonId] : [], documents: [], facts: [] }}>
        <Form.Item label={t('case.pickStep')}>
          <Select<string>
            value={code ?? undefined}
            onChange={setCode}
            data-testid="step-select"
            options={k.next_steps.map((s) => ({ value: s.code, label: `${bi(lang, s)} (${s.code})` }))}
          />
        </Form.Item>
        {step && (
          <>
            {needs.length > 0 && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`${t('case.requires')}：${needs.join('；')}`} data-testid="step-requires" />
            )}
            {step.missing_steps.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={`${t('case.missingSteps')}：${step.missing_steps.join('、')}`}
                data-testid="step-missing-steps"
              />
            )}
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
            {assertable.length > 0 && (
              <Form.Item name="facts" label={t('case.stepFacts')}>
                <Checkbox.Group data-testid="step-facts" options={assertable.map((f) => ({ value: f, label: factLabel(t, f) }))} />
              </Form.Item>
            )}
            {(step.reason || step.code.includes('extend') || step.code === 'request_correction') && (
              <Form.Item
                name="reason"
                label={t('case.reason')}
                rules={step.reason ? [{ required: true, whitespace: true, message: t('case.needsReason') }, { max: 2000 }] : [{ max: 2000 }]}
              >
                <Input.TextArea rows={2} data-testid="step-reason" />
              </Form.Item>
            )}
            {step.code.includes('extend') && (
              <Form.Item name="extension_days" label={t('case.extensionDays')}>
                <InputNumber min={0} max={60} data-testid="step-extension" />
              </Form.Item>
            )}
            {step.decision && (
              <>
                <Form.Item
                  name="content"
                  label={t('case.decisionContent')}
                  rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 5000 }]}
                >
                  <Input.TextArea rows={3} data-testid="decision-content" />
                </Form.Item>
                {isPenalty && (
                  <div data-testid="discretion-helper">
                    {disc.error !== null && <Alert type="warning" showIcon message={t('case.noDiscretion')} style={{ marginBottom: 8 }} />}
                    {disc.data && (
                      <>
                        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                          {disc.data.violation} — {disc.data.basis}
                        </Typography.Paragraph>
                        <Form.Item name="tier" label={t('case.tier')} rules={[{ required: true, message: t('form.required') }]}>
                          <Select
                            data-testid="decision-tier"
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
                        <InputNumber min={0} step={100} style={{ width: 160 }} data-testid="decision-base" />
                      </Form.Item>
                      <Form.Item name="amount_yuan" label={t('case.amount')}>
                        <InputNumber min={0} step={100} style={{ width: 160 }} status={outside ? 'warning' : undefined} data-testid="decision-amount" />
                      </Form.Item>
                      <Form.Item name="confiscation_yuan" label={t('case.confiscation')}>
                        <InputNumber min={0} step={100} style={{ width: 160 }} />
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
                    <Form.Item name="written_reason" label={t('case.writtenReason')}>
                      <Input.TextArea rows={2} />
                    </Form.Item>
                    <Form.Item name="licence_revoked_or_closure" valuePropName="checked">
                      <Checkbox>{t('case.licenceRevoked')}</Checkbox>
                    </Form.Item>
                  </div>
                )}
              </>
            )}
            <Form.Item name="on" label={t('case.stepDate')} rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('form.date') }]}>
              <Input placeholder="YYYY-MM-DD" style={{ width: 160 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="step-submit">
              {t('case.submitStep')}：{bi(lang, step)}
            </Button>
          </>
        )}
      </Form>
      <div style={{ marginTop: 12 }}>
        {error !== null && <ProblemAlert error={error} title={t('case.stepRefused')} testId="step-error" />}
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

export function AppealRoutes({ appeal }: { appeal: NonNullable<CaseDetail['decision']>['appeal'] }) {
  const { t } = useI18n();
  if (!appeal) return null;
  const r = appeal.reconsideration;
  const l = appeal.litigation;
  return (
    <div>
      {r ? <div>{t('case.reconsideration', { body: r.body, days: r.days ?? 60, basis: r.basis })}{r.deadline ? ` → ${r.deadline}` : ''}</div> : null}
      {l ? <div>{t('case.litigation', { body: l.body, months: l.months ?? 6, basis: l.basis })}{l.deadline ? ` → ${l.deadline}` : ''}</div> : null}
    </div>
  );
}

function DisclosureCard({ k, onChanged }: { k: CaseDetail; onChanged: () => void }) {
  const { t } = useI18n();
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
          <Tag color="orange">{t('case.disclosureDue', { date: d.due_on })}</Tag>
        )}
        {d.late ? <Tag color="red">{t('case.disclosureLate')}</Tag> : null}
      </div>
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
