// 办件 inbox: the open cases of the officer (or of the town) sorted by
// deadline, with the clock status of today (yellow: due soon, red: overdue);
// and a form to open a case at the window, from a complaint or an inspection.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Segmented, Select, Space, Table, Tag, Typography, type ButtonProps, type TableColumnsType } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import {
  CASE_ORIGINS,
  getPublicCatalogue,
  listCases,
  openCase,
  PROCEDURE_IDS,
  type CaseOrigin,
  type CaseRow,
  type ClockStatus,
  type OpenedCase,
  type ProcedureId,
} from '../lib/endpoints';
import { useCursorList, useFetch } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { KIND_COLORS, kindLabel } from '../catalogue/format';
import { CLOCK_COLORS, clockLabel, originLabel, partyKindLabel, procedureLabel } from '../cases/labels';
import { useScopedTowns } from './townScope';

const PAGE_SIZE = 50;

export function ClockTag({ status }: { status: ClockStatus | string }) {
  const { t } = useI18n();
  return (
    <Tag color={CLOCK_COLORS[status as ClockStatus] ?? 'default'} data-clock={status}>
      {clockLabel(t, status)}
    </Tag>
  );
}

/** Days left on the clock that sets the case's deadline (negative when late). */
export function leftDays(c: Pick<CaseRow, 'clocks' | 'deadline'>): number | null {
  const main = c.clocks.find((k) => k.deadline === c.deadline && (k.status === 'running' || k.status === 'yellow' || k.status === 'red'));
  return main ? main.left_days : null;
}

export default function CasesPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const scope = session.user?.scope ?? 'all';
  const { towns, loading: townsLoading } = useScopedTowns(scope);
  const [params, setParams] = useSearchParams();
  const mine = params.get('mine') === '1';
  const stateFilter = params.get('state') === 'all' ? 'all' : 'open';
  const town = params.get('town') ?? (towns.length === 1 ? towns[0]?.code ?? '' : '');
  const [newOpen, setNewOpen] = useState(false);
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  const list = useCursorList<CaseRow>(
    `${town}|${mine}|${stateFilter}`,
    (cursor, signal) => listCases({ town: town || undefined, mine, state: stateFilter, cursor, limit: PAGE_SIZE }, signal),
    { onUnauthorized: session.expire },
  );
  const red = list.items.filter((c) => c.clock_status === 'red').length;
  const yellow = list.items.filter((c) => c.clock_status === 'yellow').length;

  const columns: TableColumnsType<CaseRow> = [
    {
      title: t('cases.id'),
      dataIndex: 'id',
      width: 80,
      render: (id: number) => (
        <Link to={`/console/cases/${id}`} data-testid={`case-link-${id}`}>
          #{id}
        </Link>
      ),
    },
    {
      title: t('cases.item'),
      key: 'item',
      render: (_, c) => (
        <span>
          <Tag color={KIND_COLORS[c.power_kind]}>{kindLabel(t, c.power_kind)}</Tag>
          {c.power_name} <span className="qz-mono qz-muted">{c.power_code}</span>
        </span>
      ),
    },
    { title: t('cases.party'), dataIndex: 'party', width: 140 },
    { title: t('cases.state'), dataIndex: 'state_label', width: 110 },
    {
      title: t('cases.clock'),
      dataIndex: 'clock_status',
      width: 110,
      render: (s: ClockStatus) => <ClockTag status={s} />,
    },
    {
      title: t('cases.deadline'),
      key: 'deadline',
      width: 170,
      render: (_, c) => {
        const left = leftDays(c);
        return (
          <span>
            {c.deadline ?? '—'}
            {left !== null ? (
              <Typography.Text type={left < 0 ? 'danger' : left <= 3 ? 'warning' : 'secondary'} style={{ marginLeft: 6 }}>
                {left < 0 ? t('case.overdueBy', { n: -left }) : `${t('case.clockLeft')} ${left}`}
              </Typography.Text>
            ) : null}
          </span>
        );
      },
    },
    { title: t('cases.openedOn'), dataIndex: 'opened_on', width: 110, responsive: ['lg'] },
    { title: t('cases.origin'), dataIndex: 'origin', width: 100, responsive: ['xl'], render: (o: string) => originLabel(t, o) },
    { title: t('cases.receiptCode'), dataIndex: 'receipt_code', width: 150, responsive: ['xl'], render: (c: string) => <span className="qz-mono">{c}</span> },
  ];

  return (
    <div className="qz-console-page" data-testid="cases-page">
      <Typography.Title level={3}>{t('cases.title')}</Typography.Title>
      <Card size="small" className="qz-filter">
        <Space wrap>
          <Segmented<string>
            value={mine ? 'mine' : 'town'}
            onChange={(v) => set('mine', v === 'mine' ? '1' : null)}
            options={[
              { value: 'mine', label: t('cases.scopeMine') },
              { value: 'town', label: t('cases.scopeTown') },
            ]}
            data-testid="cases-mine"
          />
          <Select<string>
            allowClear
            showSearch
            optionFilterProp="label"
            loading={townsLoading}
            value={town || undefined}
            placeholder={t('cases.pickTown')}
            onChange={(v) => set('town', v ?? null)}
            style={{ width: 200 }}
            data-testid="cases-town"
            options={towns.map((x) => ({ value: x.code, label: `${x.name} ${x.code}` }))}
          />
          <Segmented<string>
            value={stateFilter}
            onChange={(v) => set('state', v === 'all' ? 'all' : null)}
            options={[
              { value: 'open', label: t('cases.open') },
              { value: 'all', label: t('cases.all') },
            ]}
            data-testid="cases-state"
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setNewOpen(true)} data-testid="cases-new">
            {t('cases.new')}
          </Button>
          {!list.loading && list.items.length > 0 ? (
            <Typography.Text type="secondary" data-testid="cases-counts">
              {t('cases.counts', { red, yellow })}
            </Typography.Text>
          ) : null}
        </Space>
      </Card>
      {list.error !== null && <ProblemAlert error={list.error} />}
      <div data-testid="cases-list" data-state={list.loading ? 'loading' : list.error !== null ? 'error' : 'ready'}>
        <Table<CaseRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={(c) => (c.clock_status === 'red' ? 'qz-row-red' : c.clock_status === 'yellow' ? 'qz-row-yellow' : '')}
          onRow={(c) => ({ 'data-clock': c.clock_status }) as React.HTMLAttributes<HTMLElement>}
          data-testid="cases-table"
          locale={{ emptyText: t('cases.empty') }}
        />
      </div>
      <div className="qz-pager">
        <Space>
          <Button icon={<LeftOutlined />} disabled={list.page === 0 || list.loading} onClick={list.prev}>
            {t('regions.prev')}
          </Button>
          <span>{t('regions.page', { page: list.page + 1 })}</span>
          <Button disabled={!list.hasNext || list.loading} onClick={list.next} data-testid="cases-next">
            {t('regions.next')}
            <RightOutlined />
          </Button>
        </Space>
      </div>
      <NewCaseModal
        open={newOpen}
        towns={towns.map((x) => ({ code: x.code, name: x.name }))}
        defaultTown={town || towns[0]?.code || ''}
        onClose={(created) => {
          setNewOpen(false);
          if (created) navigate(`/console/cases/${created.case_id}`);
        }}
      />
    </div>
  );
}

interface NewCaseValues {
  town_code: string;
  power_code: string;
  origin: CaseOrigin;
  procedure?: ProcedureId;
  party_kind: 'natural_person' | 'organisation';
  party_name: string;
  id_number?: string;
  phone?: string;
  summary?: string;
}

/** The kinds of items a case can be opened for, and the procedure each defaults to. */
const CASE_KINDS = ['licensing', 'penalty', 'inspection', 'coercion'];

export function NewCaseModal({
  open,
  towns,
  defaultTown,
  onClose,
}: {
  open: boolean;
  towns: { code: string; name: string }[];
  defaultTown: string;
  onClose: (created: OpenedCase | null) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<NewCaseValues>();
  const town = Form.useWatch('town_code', form) ?? defaultTown;
  const cat = useFetch(`cat|${town}`, (signal) => getPublicCatalogue(town, null, signal), { enabled: open && !!town });
  const options = useMemo(
    () =>
      (cat.data?.items ?? [])
        .filter((i) => CASE_KINDS.includes(i.kind))
        .map((i) => ({ value: i.code, label: `${i.code} ${i.name}`, kind: i.kind })),
    [cat.data],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const required = { required: true, message: t('form.required') };

  return (
    <Modal
      open={open}
      title={t('cases.newTitle')}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={() => onClose(null)}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'new-case-submit' } as ButtonProps}
      destroyOnHidden
      width={640}
    >
      <Form<NewCaseValues>
        form={form}
        layout="vertical"
        initialValues={{ town_code: defaultTown, origin: 'window', party_kind: 'natural_person' }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const created = await openCase({
              town_code: v.town_code,
              power_code: v.power_code,
              origin: v.origin,
              procedure: v.procedure || undefined,
              summary: v.summary?.trim() || undefined,
              party: {
                kind: v.party_kind,
                name: v.party_name.trim(),
                id_number: v.id_number?.trim() || undefined,
                phone: v.phone?.trim() || undefined,
              },
            });
            form.resetFields();
            onClose(created);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="town_code" label={t('cases.pickTown')} rules={[required]}>
          <Select options={towns.map((x) => ({ value: x.code, label: `${x.name} ${x.code}` }))} data-testid="new-case-town" />
        </Form.Item>
        <Form.Item name="power_code" label={t('cases.item')} rules={[required]} extra={t('cases.powerHint')}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={cat.loading}
            options={options}
            data-testid="new-case-power"
            virtual
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="origin" label={t('cases.origin')} rules={[required]}>
            <Select style={{ width: 160 }} options={CASE_ORIGINS.map((o) => ({ value: o, label: originLabel(t, o) }))} data-testid="new-case-origin" />
          </Form.Item>
          <Form.Item name="procedure" label={t('cases.procedure')}>
            <Select
              allowClear
              style={{ width: 220 }}
              options={PROCEDURE_IDS.map((p) => ({ value: p, label: procedureLabel(t, p) }))}
              data-testid="new-case-procedure"
            />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="party_kind" label={t('cases.partyKind')} rules={[required]}>
            <Select
              style={{ width: 180 }}
              options={(['natural_person', 'organisation'] as const).map((k) => ({ value: k, label: partyKindLabel(t, k) }))}
              data-testid="new-case-party-kind"
            />
          </Form.Item>
          <Form.Item name="party_name" label={t('cases.partyName')} rules={[required, { max: 100 }, { whitespace: true, message: t('form.required') }]}>
            <Input style={{ width: 260 }} data-testid="new-case-party" />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="id_number" label={t('cases.idNumber')} rules={[{ pattern: /^[0-9A-Za-z]{6,20}$/, message: t('apply.idInvalid') }]}>
            <Input style={{ width: 260 }} data-testid="new-case-id" />
          </Form.Item>
          <Form.Item name="phone" label={t('cases.phone')} rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: t('apply.phoneInvalid') }]}>
            <Input style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item name="summary" label={t('cases.summary')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
      {error !== null && <ProblemAlert error={error} testId="new-case-error" />}
      {cat.error !== null && <Alert type="warning" message={String((cat.error as Error).message)} />}
    </Modal>
  );
}
