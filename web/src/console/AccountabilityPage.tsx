// 追责问责: accountability records of a region — the trigger, the evidence
// (ledger indices), the person and post, the state — and the review workflow
// open → under_review → concluded (auditors, town leaders, admins).
import { useState } from 'react';
import { Alert, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography, type ButtonProps, type TableColumnsType } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import {
  ACCOUNTABILITY_STATES,
  ACCOUNTABILITY_TRIGGERS,
  listAccountability,
  transitionAccountability,
  type AccountabilityRecord,
  type AccountabilityState,
} from '../lib/endpoints';
import { useCursorList } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { ReceiptLink } from '../cases/ReceiptLink';
import { accStateLabel, triggerLabel } from '../cases/labels';
import { canReviewAccountability } from './roles';
import { useDefaultRegion } from './townScope';

const STATE_COLORS: Record<AccountabilityState, string> = { open: 'red', under_review: 'orange', concluded: 'green' };

export default function AccountabilityPage() {
  const { t } = useI18n();
  const session = useSession();
  const role = session.user?.role ?? '';
  const review = canReviewAccountability(role);
  const [params, setParams] = useSearchParams();
  const fallback = useDefaultRegion(session.user?.scope ?? 'all');
  const region = params.get('region') ?? fallback;
  const [regionText, setRegionText] = useState<string | null>(null);
  const state = params.get('state') ?? '';
  const trigger = params.get('trigger') ?? '';
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const list = useCursorList<AccountabilityRecord>(
    `${region}|${state}|${trigger}`,
    (cursor, signal) => listAccountability({ region, state: state || undefined, trigger: trigger || undefined, cursor, limit: 50 }, signal),
    { onUnauthorized: session.expire, enabled: !!region },
  );
  const [conclude, setConclude] = useState<AccountabilityRecord | null>(null);
  const [conclusion, setConclusion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const move = async (r: AccountabilityRecord, to: AccountabilityState, text = '') => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await transitionAccountability(r.id, to, text);
      setNotice(t('acc.done', { id: r.id, state: accStateLabel(t, to) }));
      setConclude(null);
      setConclusion('');
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<AccountabilityRecord> = [
    { title: '#', dataIndex: 'id', width: 60 },
    {
      title: t('acc.trigger'),
      dataIndex: 'trigger',
      width: 130,
      render: (x: string) => (
        <Tag color="volcano" data-trigger={x}>
          {triggerLabel(t, x)}
        </Tag>
      ),
    },
    {
      title: t('acc.case'),
      dataIndex: 'case_id',
      width: 80,
      render: (id: number | null) => (id ? <Link to={`/console/cases/${id}`}>#{id}</Link> : '—'),
    },
    {
      title: t('acc.evidence'),
      dataIndex: 'evidence',
      render: (ev: number[]) => (
        <Space size={4} wrap>
          {ev.map((i) => (
            <ReceiptLink key={i} receipt={{ index: i }} label={`#${i}`} />
          ))}
        </Space>
      ),
    },
    { title: t('acc.person'), dataIndex: 'person_name', width: 100, render: (n: string | null) => n ?? '—' },
    { title: t('acc.post'), dataIndex: 'post', width: 120 },
    { title: t('acc.openedOn'), dataIndex: 'opened_on', width: 110 },
    {
      title: t('acc.state'),
      dataIndex: 'state',
      width: 100,
      render: (s: AccountabilityState) => (
        <Tag color={STATE_COLORS[s]} data-state={s}>
          {accStateLabel(t, s)}
        </Tag>
      ),
    },
    { title: t('acc.conclusion'), dataIndex: 'conclusion', render: (c: string) => c || '—' },
    ...(review
      ? [
          {
            title: '',
            key: 'act',
            width: 120,
            render: (_: unknown, r: AccountabilityRecord) =>
              r.state === 'open' ? (
                <Button size="small" loading={busy} onClick={() => move(r, 'under_review')} data-testid={`acc-review-${r.id}`}>
                  {t('acc.toReview')}
                </Button>
              ) : r.state === 'under_review' ? (
                <Button size="small" type="primary" onClick={() => setConclude(r)} data-testid={`acc-conclude-${r.id}`}>
                  {t('acc.conclude')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div className="qz-console-page" data-testid="accountability-page">
      <Typography.Title level={3}>{t('acc.title')}</Typography.Title>
      <Card size="small" className="qz-filter">
        <Space wrap>
          <Input.Search
            value={regionText ?? region}
            onChange={(e) => setRegionText(e.target.value)}
            onSearch={(v) => set('region', v.trim())}
            placeholder={t('acc.region')}
            style={{ width: 200 }}
            data-testid="acc-region"
          />
          <Select<string>
            value={state}
            onChange={(v) => set('state', v)}
            style={{ width: 140 }}
            data-testid="acc-state"
            options={[{ value: '', label: t('acc.allStates') }, ...ACCOUNTABILITY_STATES.map((s) => ({ value: s, label: accStateLabel(t, s) }))]}
          />
          <Select<string>
            value={trigger}
            onChange={(v) => set('trigger', v)}
            style={{ width: 160 }}
            data-testid="acc-trigger"
            options={[{ value: '', label: t('acc.allTriggers') }, ...ACCOUNTABILITY_TRIGGERS.map((s) => ({ value: s, label: triggerLabel(t, s) }))]}
          />
        </Space>
      </Card>
      {notice && <Alert type="success" showIcon closable message={notice} style={{ marginBottom: 12 }} data-testid="acc-notice" />}
      {error !== null && <ProblemAlert error={error} testId="acc-error" />}
      {list.error !== null && <ProblemAlert error={list.error} />}
      <div data-testid="acc-list" data-state={list.loading ? 'loading' : list.error !== null ? 'error' : 'ready'}>
        <Table<AccountabilityRecord>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="acc-table"
          locale={{ emptyText: t('acc.empty') }}
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
      <Modal
        open={conclude !== null}
        title={conclude ? t('acc.concludeTitle', { id: conclude.id }) : ''}
        okText={t('acc.conclude')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: !conclusion.trim(), 'data-testid': 'acc-conclude-submit' } as ButtonProps}
        onOk={() => conclude && move(conclude, 'concluded', conclusion.trim())}
        onCancel={() => setConclude(null)}
        destroyOnHidden
      >
        <Typography.Text>{t('acc.conclusion')}</Typography.Text>
        <Input.TextArea rows={4} value={conclusion} onChange={(e) => setConclusion(e.target.value)} data-testid="acc-conclusion" />
        {!conclusion.trim() && <Typography.Text type="secondary">{t('acc.conclusionRequired')}</Typography.Text>}
      </Modal>
    </div>
  );
}
