// 机构编制: a town's agencies (grouped by kind, with nameplates), approved
// quotas against actual people, leadership posts, dispatched agencies and the
// town's consultations on their leaders, quota changes (refused with the
// violations they would introduce), and the violations scan with its evidence.
import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  type ButtonProps,
  type TableColumnsType,
} from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import {
  AGENCY_KINDS,
  getAgency,
  listAgencies,
  listViolations,
  recordConsultation,
  submitStaffingChange,
  type Agency,
  type AgencyKind,
  type AgencyPerson,
  type ChangeResult,
  type LeadershipPost,
  type QuotaFigure,
  type Violation,
} from '../lib/endpoints';
import { useCursorList, useFetch } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { ProblemAlert, ViolationsTable } from '../catalogue/ProblemAlert';
import { canManageStaffing } from './roles';
import { useScopedTowns } from './townScope';
import { DATE_RE, today } from '../lib/dates';

type Row = (Agency & { key: string; group?: undefined }) | { key: string; group: AgencyKind; count: number; children: Row[] };

const QUOTA_KINDS = ['administrative', 'institutional', 'service_staff'] as const;

function Ratio({ approved, actual, testId }: { approved: number; actual: number; testId?: string }) {
  const over = actual > approved;
  return (
    <span className={over ? 'qz-over' : undefined} data-testid={testId} data-over={over}>
      {actual} / {approved}
    </span>
  );
}

export default function OrganisationPage() {
  const { t } = useI18n();
  const session = useSession();
  const scope = session.user?.scope ?? 'all';
  const { towns, loading: townsLoading } = useScopedTowns(scope);
  const [params, setParams] = useSearchParams();
  const town = params.get('town') ?? towns.find((x) => x.is_pilot)?.code ?? towns[0]?.code ?? '';
  const tab = params.get('tab') ?? 'agencies';
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: k !== 'town' });
  };
  return (
    <div className="qz-console-page" data-testid="organisation-page">
      <Space align="baseline" wrap className="qz-title-row">
        <Typography.Title level={3}>{t('org.title')}</Typography.Title>
        <Select<string>
          showSearch
          optionFilterProp="label"
          loading={townsLoading}
          value={town || undefined}
          onChange={(v) => set('town', v)}
          style={{ width: 220 }}
          data-testid="org-town"
          options={towns.map((x) => ({ value: x.code, label: `${x.name} ${x.code}` }))}
        />
      </Space>
      {town ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => set('tab', k === 'agencies' ? null : k)}
          items={[
            { key: 'agencies', label: t('org.tabAgencies'), children: <AgenciesTab town={town} /> },
            { key: 'violations', label: <span data-testid="tab-violations">{t('org.tabViolations')}</span>, children: <ViolationsTab key={town} town={town} /> },
          ]}
        />
      ) : null}
    </div>
  );
}

function AgenciesTab({ town }: { town: string }) {
  const { t } = useI18n();
  const session = useSession();
  const manage = canManageStaffing(session.user?.role ?? '');
  const r = useFetch(`agencies|${town}`, (signal) => listAgencies(town, signal), { onUnauthorized: session.expire });
  const [openId, setOpenId] = useState<number | null>(null);

  const rows: Row[] = useMemo(() => {
    const items = r.data?.items ?? [];
    return AGENCY_KINDS.map((k) => {
      const children = items.filter((a) => a.kind === k).map((a) => ({ ...a, key: `a${a.id}` }));
      return { key: `k-${k}`, group: k, count: children.length, children };
    }).filter((g) => g.count > 0);
  }, [r.data]);

  const columns: TableColumnsType<Row> = [
    {
      title: t('org.agency'),
      key: 'name',
      render: (_, row) =>
        row.group ? (
          <strong>
            {t(`agencyKind.${row.group}` as MessageKey)} <Tag>{row.count}</Tag>
          </strong>
        ) : (
          <div>
            <a onClick={() => setOpenId(row.id)} data-testid={`agency-${row.id}`}>
              {row.name}
            </a>
            {row.nameplates.length > 0 && (
              <div className="qz-nameplates">
                {row.nameplates.map((n) => (
                  <Tag key={n} color="red" bordered={false}>
                    {n}
                  </Tag>
                ))}
              </div>
            )}
          </div>
        ),
    },
    { title: t('org.rank'), key: 'rank', width: 90, render: (_, row) => (row.group ? null : row.rank_zh) },
    {
      title: t('org.headcount'),
      key: 'headcount',
      width: 110,
      render: (_, row) => (row.group ? null : <Ratio approved={row.headcount.approved} actual={row.headcount.actual} />),
    },
    {
      title: t('org.quotas'),
      key: 'quotas',
      width: 220,
      render: (_, row) =>
        row.group ? null : (
          <div>
            {row.quotas.map((q) => (
              <div key={q.kind}>
                <span className="qz-muted-inline">{q.kind_zh}</span> <Ratio approved={q.approved} actual={q.actual} />
              </div>
            ))}
          </div>
        ),
    },
    {
      title: t('org.leadership'),
      key: 'leaders',
      width: 240,
      render: (_, row) =>
        row.group ? null : (
          <div>
            {row.leadership_posts.map((p) => (
              <div key={p.grade}>
                <span className="qz-muted-inline">{p.grade_zh}</span> <Ratio approved={p.approved} actual={p.filled} />
              </div>
            ))}
          </div>
        ),
    },
    {
      title: t('org.dispatched'),
      key: 'dispatched',
      width: 220,
      responsive: ['xl'],
      render: (_, row) =>
        row.group || row.kind !== 'dispatched' ? null : (
          <div>
            <div>{row.parent_department}</div>
            <Tag color={row.localised ? 'green' : 'orange'}>{row.localised ? t('org.localised') : t('org.notLocalised')}</Tag>
            <span className="qz-muted-inline">{t('org.weight', { n: Math.round(row.town_assessment_weight * 100) })}</span>
          </div>
        ),
    },
  ];

  const d = r.data;
  return (
    <div>
      {r.error !== null && <ProblemAlert error={r.error} />}
      {d && (
        <Row gutter={[16, 16]} className="qz-org-stats">
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic
                title={t('org.integrated')}
                value={d.integrated_agencies.count}
                suffix={`/ ${d.integrated_agencies.limit}`}
                valueStyle={d.integrated_agencies.count > d.integrated_agencies.limit ? { color: '#b71c1c' } : undefined}
              />
            </Card>
          </Col>
          {d.totals.map((q) => (
            <Col xs={12} md={6} key={q.kind}>
              <Card size="small">
                <Statistic title={q.kind_zh} value={q.actual} suffix={`/ ${q.approved}`} valueStyle={q.actual > q.approved ? { color: '#b71c1c' } : undefined} />
                <Typography.Text type="secondary">{t('org.baseline', { n: q.baseline ?? '—' })}</Typography.Text>
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <div data-testid="agencies-list" data-state={r.loading ? 'loading' : r.error !== null ? 'error' : 'ready'}>
        <Table<Row>
          rowKey="key"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={r.loading}
          pagination={false}
          expandable={{ defaultExpandAllRows: true, expandRowByClick: false }}
          key={`${town}-${rows.length}`}
          scroll={{ x: 'max-content' }}
          data-testid="agencies-table"
        />
      </div>
      <Drawer open={openId !== null} onClose={() => setOpenId(null)} width={900} destroyOnHidden title={t('org.agencyDetail')}>
        {openId !== null && <AgencyPanel id={openId} manage={manage} onChanged={r.reload} />}
      </Drawer>
    </div>
  );
}

function AgencyPanel({ id, manage, onChanged }: { id: number; manage: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const a = useFetch(`agency|${id}`, (signal) => getAgency(id, signal), { onUnauthorized: session.expire });
  const [quotaOpen, setQuotaOpen] = useState(false);
  const [consultOpen, setConsultOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (a.error !== null) return <ProblemAlert error={a.error} />;
  const ag = a.data;
  if (!ag) return null;

  const people: TableColumnsType<AgencyPerson> = [
    { title: t('org.person'), dataIndex: 'name', width: 90 },
    { title: t('org.idNumber'), dataIndex: 'id_number_masked', width: 180, render: (s: string) => <span className="qz-mono">{s}</span> },
    { title: t('org.post'), dataIndex: 'post', width: 100 },
    { title: t('org.titleCol'), dataIndex: 'title', width: 90 },
    { title: t('org.grade'), dataIndex: 'grade_zh', width: 110 },
    { title: t('org.quotaKind'), key: 'qk', width: 90, render: (_, p) => p.quota_kind_zh ?? p.quota_kind },
    { title: t('org.leader'), dataIndex: 'is_leader', width: 60, render: (b: boolean) => (b ? '✓' : '') },
    {
      title: t('org.certificate'),
      key: 'cert',
      width: 140,
      render: (_, p) =>
        p.certificate?.number ? (
          <Tag color={p.certificate.valid_today ? 'green' : 'red'}>{p.certificate.valid_today ? t('org.certValid') : t('org.certExpired')}</Tag>
        ) : null,
    },
  ];

  return (
    <div data-testid="agency-panel">
      <Descriptions size="small" bordered column={2} title={ag.name}>
        <Descriptions.Item label={t('org.kind')}>{ag.kind_zh}</Descriptions.Item>
        <Descriptions.Item label={t('org.rank')}>{ag.rank_zh}</Descriptions.Item>
        <Descriptions.Item label={t('org.nameplates')} span={2}>
          {ag.nameplates.length ? ag.nameplates.map((n) => <Tag key={n}>{n}</Tag>) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.functions')} span={2}>
          {ag.functions}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.approval')} span={2}>
          {ag.approving_authority} {ag.approval_doc}
        </Descriptions.Item>
        {ag.kind === 'dispatched' && (
          <>
            <Descriptions.Item label={t('org.parentDepartment')}>{ag.parent_department}</Descriptions.Item>
            <Descriptions.Item label={t('org.assessment')}>
              {ag.localised ? t('org.localised') : t('org.weight', { n: Math.round(ag.town_assessment_weight * 100) })}
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      <Row gutter={16} className="qz-section">
        <Col span={12}>
          <Table<QuotaFigure>
            size="small"
            rowKey="kind"
            pagination={false}
            dataSource={ag.quotas}
            columns={[
              { title: t('org.quotaKind'), dataIndex: 'kind_zh' },
              { title: t('org.approved'), dataIndex: 'approved', width: 80 },
              { title: t('org.actual'), dataIndex: 'actual', width: 80, render: (n: number, q) => <Ratio approved={q.approved} actual={n} /> },
            ]}
          />
        </Col>
        <Col span={12}>
          <Table<LeadershipPost>
            size="small"
            rowKey="grade"
            pagination={false}
            dataSource={ag.leadership_posts}
            columns={[
              { title: t('org.leadership'), dataIndex: 'grade_zh' },
              { title: t('org.approved'), dataIndex: 'approved', width: 60 },
              { title: t('org.filled'), dataIndex: 'filled', width: 60 },
              { title: t('org.holders'), dataIndex: 'holders', render: (h?: string[]) => (h?.length ? h.join('、') : '—') },
            ]}
          />
        </Col>
      </Row>
      {ag.violations.length > 0 && (
        <div className="qz-section">
          <Typography.Title level={5}>{t('org.agencyViolations')}</Typography.Title>
          <ViolationsTable violations={ag.violations} />
        </div>
      )}
      {done && <Alert type="success" showIcon closable message={done} onClose={() => setDone(null)} className="qz-section" data-testid="change-done" />}
      {manage && (
        <Space className="qz-section">
          <Button type="primary" onClick={() => setQuotaOpen(true)} data-testid="adjust-quota">
            {t('org.adjustQuota')}
          </Button>
          {ag.kind === 'dispatched' && !ag.localised && (
            <Button onClick={() => setConsultOpen(true)} data-testid="record-consultation">
              {t('org.recordConsultation')}
            </Button>
          )}
        </Space>
      )}
      <Typography.Title level={5} className="qz-section">
        {t('org.people', { n: ag.people.length })}
      </Typography.Title>
      <Table<AgencyPerson>
        size="small"
        rowKey="id"
        dataSource={ag.people}
        columns={people}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
      />
      <QuotaModal
        agency={ag}
        open={quotaOpen}
        onClose={(r) => {
          setQuotaOpen(false);
          if (r) {
            setDone(t('org.changeApplied', { id: r.change_id }));
            a.reload();
            onChanged();
          }
        }}
      />
      <ConsultationModal
        agency={ag}
        open={consultOpen}
        onClose={(n) => {
          setConsultOpen(false);
          if (n !== null) setDone(t('org.consultationRecorded', { id: n }));
        }}
      />
    </div>
  );
}

interface QuotaForm {
  kind: string;
  count: number;
  doc: string;
  level?: string;
}

export function QuotaModal({ agency, open, onClose }: { agency: Agency; open: boolean; onClose: (r: ChangeResult | null) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<QuotaForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const kinds = Array.from(new Set([...agency.quotas.map((q) => q.kind), ...QUOTA_KINDS]));
  const current = (k: string) => agency.quotas.find((q) => q.kind === k);
  return (
    <Modal
      open={open}
      title={t('org.adjustQuotaOf', { name: agency.name })}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose(null);
      }}
      width={760}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'quota-submit' } as ButtonProps}
    >
      <Form<QuotaForm>
        form={form}
        layout="vertical"
        initialValues={{ kind: agency.quotas[0]?.kind ?? 'administrative', count: agency.quotas[0]?.approved ?? 0 }}
        onValuesChange={(changed) => {
          if (changed.kind) form.setFieldValue('count', current(changed.kind)?.approved ?? 0);
        }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const r = await submitStaffingChange({
              type: 'adjust_quota',
              quotas: [{ agency: agency.id, kind: v.kind, count: v.count }],
              approval: { doc: v.doc.trim(), ...(v.level ? { level: v.level } : {}) },
            });
            onClose(r);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="kind" label={t('org.quotaKind')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            options={kinds.map((k) => ({
              value: k,
              label: `${current(k)?.kind_zh ?? t(`quotaKind.${k}` as MessageKey)}${current(k) ? ` (${current(k)!.actual}/${current(k)!.approved})` : ''}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="count"
          label={t('org.newCount')}
          rules={[
            { required: true, message: t('form.required') },
            { type: 'integer', min: 0, max: 10000, message: t('form.count') },
          ]}
        >
          <InputNumber min={0} max={10000} precision={0} style={{ width: 160 }} data-testid="quota-count" />
        </Form.Item>
        <Form.Item
          name="doc"
          label={t('org.approvalDoc')}
          rules={[
            { required: true, whitespace: true, message: t('form.required') },
            { max: 100, message: t('login.tooLong', { max: 100 }) },
          ]}
        >
          <Input placeholder="清编〔2026〕1号" data-testid="quota-doc" />
        </Form.Item>
        <Form.Item name="level" label={t('org.approvalLevel')} extra={t('org.approvalLevelHelp')}>
          <Select
            allowClear
            options={['county', 'city', 'province', 'town'].map((l) => ({ value: l, label: t(`approvalLevel.${l}` as MessageKey) }))}
          />
        </Form.Item>
      </Form>
      {error !== null && <ProblemAlert error={error} title={t('org.changeRefused')} testId="change-error" />}
    </Modal>
  );
}

function ConsultationModal({ agency, open, onClose }: { agency: Agency; open: boolean; onClose: (id: number | null) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ action: 'appoint' | 'remove'; candidate_name: string; post: string; town_opinion: string; document: string; consulted_on: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const required = { required: true, whitespace: true, message: t('form.required') };
  return (
    <Modal
      open={open}
      title={t('org.recordConsultation')}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(null)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('org.consultationHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ action: 'appoint', consulted_on: today() }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const r = await recordConsultation({ agency: agency.id, ...v });
            onClose(r.consultation_id);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="action" label={t('org.consultAction')}>
          <Select
            options={[
              { value: 'appoint', label: t('org.appoint') },
              { value: 'remove', label: t('org.remove') },
            ]}
          />
        </Form.Item>
        <Form.Item name="candidate_name" label={t('org.candidate')} rules={[required, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="post" label={t('org.post')} rules={[required, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="town_opinion" label={t('org.townOpinion')} rules={[required, { max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="document" label={t('org.document')} rules={[required, { max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="consulted_on" label={t('org.consultedOn')} rules={[required, { pattern: DATE_RE, message: t('form.date') }]}>
          <Input placeholder="YYYY-MM-DD" />
        </Form.Item>
      </Form>
      {error !== null && <ProblemAlert error={error} />}
    </Modal>
  );
}

function ViolationsTab({ town }: { town: string }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [region, setRegion] = useState<string | null>(null);
  const r = region ?? town;
  const [form] = Form.useForm<{ region: string }>();
  const list = useCursorList<Violation>(
    `viol|${r}`,
    async (cursor, signal) => {
      const scan = await listViolations({ region: r, cursor, limit: 50 }, signal);
      setSummary({ count: scan.count, by_rule: scan.by_rule, towns: scan.towns_scanned, people: scan.persons_scanned });
      return { items: scan.items, next_cursor: scan.next_cursor === null ? null : String(scan.next_cursor) };
    },
    { onUnauthorized: session.expire },
  );
  const [summary, setSummary] = useState<{ count: number; by_rule: Record<string, number>; towns: number; people: number } | null>(null);

  const columns: TableColumnsType<Violation> = [
    { title: t('org.town'), dataIndex: 'town_name', width: 80 },
    { title: t('violations.rule'), key: 'rule', width: 160, render: (_, v) => <Tag color="red">{lang === 'en' ? v.rule : v.rule_zh}</Tag> },
    { title: t('org.agency'), dataIndex: 'agency_name', width: 140, render: (s: string | null) => s ?? '—' },
    { title: t('org.person'), dataIndex: 'person_name', width: 80, render: (s: string | null) => s ?? '—' },
    { title: t('violations.evidence'), key: 'ev', render: (_, v) => (lang === 'en' ? v.evidence_en : v.evidence_zh) },
    {
      title: t('violations.basis'),
      dataIndex: 'basis_zh',
      width: 260,
      responsive: ['xl'],
      render: (b: string) => <Typography.Text type="secondary">{b}</Typography.Text>,
    },
  ];

  return (
    <div data-testid="violations-tab">
      <Card size="small" className="qz-filter">
        <Form
          form={form}
          layout="inline"
          initialValues={{ region: r }}
          onFinish={(v) => setRegion(v.region.trim())}
        >
          <Form.Item
            name="region"
            label={t('org.region')}
            rules={[
              { required: true, message: t('form.required') },
              { pattern: /^\s*\d{6,12}\s*$/, message: t('regions.parentInvalid') },
            ]}
          >
            <Input className="qz-mono" style={{ width: 160 }} data-testid="violations-region" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('org.scan')}
            </Button>
          </Form.Item>
        </Form>
        {summary && (
          <div className="qz-section" data-testid="violations-summary">
            {t('org.scanSummary', { count: summary.count, towns: summary.towns, people: summary.people })}{' '}
            {Object.entries(summary.by_rule).map(([rule, n]) => (
              <Tag key={rule}>
                {t(`rule.${rule}` as MessageKey) === `rule.${rule}` ? rule : t(`rule.${rule}` as MessageKey)} {n}
              </Tag>
            ))}
          </div>
        )}
      </Card>
      {list.error !== null && <ProblemAlert error={list.error} />}
      <div data-testid="violations-list" data-state={list.loading ? 'loading' : list.error !== null ? 'error' : 'ready'}>
        <Table<Violation>
          rowKey={(v) => `${v.town_code}-${v.rule}-${v.agency_id}-${v.person_id}-${v.subject}`}
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('org.noViolations') }}
          data-testid="violations-table"
        />
      </div>
      <div className="qz-pager">
        <Space>
          <Button icon={<LeftOutlined />} disabled={list.page === 0 || list.loading} onClick={list.prev}>
            {t('regions.prev')}
          </Button>
          <span>{t('regions.page', { page: list.page + 1 })}</span>
          <Button disabled={!list.hasNext || list.loading} onClick={list.next}>
            {t('regions.next')}
            <RightOutlined />
          </Button>
        </Space>
      </div>
    </div>
  );
}
