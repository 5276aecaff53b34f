// 赋权目录管理: a town's selection — grants with their state and readiness,
// the grant lifecycle (readiness checklist, transitions), proposing a grant,
// publishing a new catalogue version, the versions and their differences, export.
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Progress,
  Result,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  type ButtonProps,
  type TableColumnsType,
} from 'antd';
import { CloudUploadOutlined, DownloadOutlined, LeftOutlined, PlusOutlined, RightOutlined, SwapRightOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import {
  getGrant,
  getPublicDiff,
  GRANT_STATES,
  listBatches,
  listGrants,
  listPowers,
  listTownVersions,
  POWER_KINDS,
  proposeGrant,
  publicCatalogueExportUrl,
  publishCatalogue,
  READINESS_KEYS,
  transitionGrant,
  updateReadiness,
  type Grant,
  type GrantAction,
  type GrantState,
  type PowerKind,
  type PublishResult,
  type ReadinessItem,
  type ReadinessKey,
  type TransitionRequest,
} from '../lib/endpoints';
import { useCursorList, useFetch } from '../lib/useCursorList';
import { DATE_RE, today } from '../lib/dates';
import { useSession } from '../session/SessionProvider';
import { KIND_COLORS, kindLabel, STATE_COLORS } from '../catalogue/format';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { DiffView } from '../catalogue/DiffView';
import { VersionsTable } from '../catalogue/VersionsTable';
import { canManageCatalogue } from './roles';
import { useScopedTowns } from './townScope';

const PAGE_SIZE = 50;

const stateLabel = (t: (k: MessageKey) => string, s: string) =>
  (GRANT_STATES as readonly string[]).includes(s) ? t(`state.${s as GrantState}` as MessageKey) : s;

export default function GrantsPage() {
  const { t } = useI18n();
  const session = useSession();
  const scope = session.user?.scope ?? 'all';
  const manage = canManageCatalogue(session.user?.role ?? '');
  const { towns, loading: townsLoading } = useScopedTowns(scope);
  const [params, setParams] = useSearchParams();
  const town = params.get('town') ?? towns.find((x) => x.is_pilot)?.code ?? towns[0]?.code ?? '';
  const tab = params.get('tab') ?? 'grants';
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k === 'town' && !next.get('tab')) next.delete('tab');
    setParams(next, { replace: k !== 'town' });
  };

  return (
    <div className="qz-console-page" data-testid="grants-page">
      <Space align="baseline" wrap className="qz-title-row">
        <Typography.Title level={3}>{t('grants.title')}</Typography.Title>
        <Select<string>
          showSearch
          optionFilterProp="label"
          loading={townsLoading}
          value={town || undefined}
          placeholder={t('grants.pickTown')}
          onChange={(v) => set('town', v)}
          style={{ width: 220 }}
          data-testid="grants-town"
          options={towns.map((x) => ({ value: x.code, label: `${x.name} ${x.code}` }))}
        />
      </Space>
      {town ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => set('tab', k === 'grants' ? null : k)}
          items={[
            { key: 'grants', label: t('grants.tabGrants'), children: <GrantsTab town={town} manage={manage} /> },
            { key: 'versions', label: t('grants.tabVersions'), children: <TownVersionsTab town={town} /> },
          ]}
        />
      ) : null}
    </div>
  );
}

function GrantsTab({ town, manage }: { town: string; manage: boolean }) {
  const { t } = useI18n();
  const session = useSession();
  const { modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? '';
  const kind = params.get('kind') ?? '';
  const setFilter = (k: 'state' | 'kind', v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const setState = (v: string) => setFilter('state', v);
  const setKind = (v: string) => setFilter('kind', v);
  const [openId, setOpenId] = useState<number | null>(null);
  const [proposeOpen, setProposeOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [published, setPublished] = useState<PublishResult | null>(null);
  const [publishError, setPublishError] = useState<unknown>(null);

  const list = useCursorList<Grant>(
    `${town}|${state}|${kind}`,
    (cursor, signal) => listGrants({ town, state: state || undefined, kind: kind || undefined, cursor, limit: PAGE_SIZE }, signal),
    { onUnauthorized: session.expire },
  );

  useEffect(() => {
    setPublished(null);
    setPublishError(null);
  }, [town]);

  const publish = () =>
    modal.confirm({
      title: t('grants.publishConfirm'),
      content: t('grants.publishConfirmText'),
      okText: t('grants.publish'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setPublishing(true);
        setPublished(null);
        setPublishError(null);
        try {
          setPublished(await publishCatalogue(town));
        } catch (e) {
          setPublishError(e);
        } finally {
          setPublishing(false);
        }
      },
    });

  const columns: TableColumnsType<Grant> = [
    {
      title: t('field.code'),
      dataIndex: 'power_code',
      width: 130,
      render: (c: string, g) => (
        <a className="qz-mono" onClick={() => setOpenId(g.id)} data-testid={`grant-${g.id}`}>
          {c}
        </a>
      ),
    },
    { title: t('field.name'), dataIndex: 'power_name' },
    {
      title: t('field.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: PowerKind) => <Tag color={KIND_COLORS[k]}>{kindLabel(t, k)}</Tag>,
    },
    { title: t('field.originating_department'), dataIndex: 'department', width: 160, responsive: ['xl'] },
    {
      title: t('field.mode'),
      dataIndex: 'mode',
      width: 70,
      responsive: ['lg'],
      render: (m: string) => t(m === 'entrustment' ? 'mode.entrustment' : 'mode.delegation'),
    },
    {
      title: t('grants.state'),
      dataIndex: 'state',
      width: 100,
      render: (s: GrantState) => (
        <Tag color={STATE_COLORS[s]} data-state={s}>
          {stateLabel(t, s)}
        </Tag>
      ),
    },
    {
      title: t('grants.readiness'),
      key: 'readiness',
      width: 130,
      render: (_, g) => {
        const done = READINESS_KEYS.length - g.open_items.length;
        return <Progress percent={Math.round((done / READINESS_KEYS.length) * 100)} size="small" format={() => `${done}/${READINESS_KEYS.length}`} />;
      },
    },
    { title: t('field.grant_valid_from'), dataIndex: 'valid_from', width: 110, responsive: ['lg'] },
    {
      title: '',
      key: 'open',
      width: 80,
      render: (_, g) => (
        <Button size="small" onClick={() => setOpenId(g.id)}>
          {t('grants.handle')}
        </Button>
      ),
    },
  ];

  return (
    <div>
      <Card size="small" className="qz-filter">
        <Space wrap>
          <Select<string>
            value={state}
            onChange={setState}
            style={{ width: 140 }}
            data-testid="grants-state"
            options={[{ value: '', label: t('grants.allStates') }, ...GRANT_STATES.map((s) => ({ value: s, label: stateLabel(t, s) }))]}
          />
          <Select<string>
            value={kind}
            onChange={setKind}
            style={{ width: 140 }}
            options={[{ value: '', label: t('catalogue.allKinds') }, ...POWER_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))]}
          />
          {manage && (
            <>
              <Button icon={<PlusOutlined />} onClick={() => setProposeOpen(true)} data-testid="grants-propose">
                {t('grants.propose')}
              </Button>
              <Button type="primary" icon={<CloudUploadOutlined />} loading={publishing} onClick={publish} data-testid="grants-publish">
                {t('grants.publish')}
              </Button>
            </>
          )}
          <Button icon={<DownloadOutlined />} href={publicCatalogueExportUrl(town, 'csv')}>
            {t('grants.exportCsv')}
          </Button>
          <Button icon={<DownloadOutlined />} href={publicCatalogueExportUrl(town, 'xlsx')}>
            {t('grants.exportXlsx')}
          </Button>
        </Space>
      </Card>
      {published && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setPublished(null)}
          data-testid="publish-result"
          message={t('grants.published', { n: published.version, count: published.item_count })}
          description={
            <span className="qz-mono">
              {published.content_hash} · {published.receipt ? t('common.receipt', { n: published.receipt.index }) : ''}
            </span>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {publishError !== null && <ProblemAlert error={publishError} title={t('grants.publishFailed')} testId="publish-error" />}
      {list.error !== null && <ProblemAlert error={list.error} />}
      <div data-testid="grants-list" data-state={list.loading ? 'loading' : list.error !== null ? 'error' : 'ready'}>
        <Table<Grant>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="grants-table"
          locale={{ emptyText: t('grants.empty') }}
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
      <Drawer
        open={openId !== null}
        onClose={() => setOpenId(null)}
        width={760}
        title={t('grants.drawerTitle')}
        destroyOnHidden
        data-testid="grant-drawer"
      >
        {openId !== null && <GrantPanel id={openId} manage={manage} onChanged={list.reload} />}
      </Drawer>
      <ProposeModal
        town={town}
        open={proposeOpen}
        onClose={(created) => {
          setProposeOpen(false);
          if (created) list.reload();
        }}
      />
    </div>
  );
}

// --- one grant ------------------------------------------------------------------

export function GrantPanel({ id, manage, onChanged }: { id: number; manage: boolean; onChanged?: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const g = useFetch(`grant|${id}`, (signal) => getGrant(id, signal), { onUnauthorized: session.expire });
  const [grant, setGrant] = useState<Grant | null>(null);
  useEffect(() => setGrant(g.data), [g.data]);
  const [action, setAction] = useState<GrantAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  if (g.error !== null) return <ProblemAlert error={g.error} />;
  if (!grant) return null;

  const changed = (next: Grant, msg: string) => {
    setGrant(next);
    setError(null);
    setNotice(msg);
    onChanged?.();
  };

  const run = async (body: TransitionRequest) => {
    setBusy(true);
    setNotice(null);
    try {
      const next = await transitionGrant(grant.id, body);
      setAction(null);
      changed(next, t('grants.transitionDone', { state: stateLabel(t, next.state) }));
    } catch (e) {
      setError(e);
      setAction(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="grant-panel" data-grant-state={grant.state}>
      <Descriptions size="small" bordered column={2}>
        <Descriptions.Item label={t('field.code')}>
          <span className="qz-mono">{grant.power_code}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('grants.state')}>
          <Tag color={STATE_COLORS[grant.state]} data-testid="grant-state">
            {stateLabel(t, grant.state)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('field.name')} span={2}>
          {grant.power_name}
        </Descriptions.Item>
        <Descriptions.Item label={t('field.kind')}>{kindLabel(t, grant.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('field.mode')}>{t(grant.mode === 'entrustment' ? 'mode.entrustment' : 'mode.delegation')}</Descriptions.Item>
        <Descriptions.Item label={t('field.originating_department')}>{grant.department}</Descriptions.Item>
        <Descriptions.Item label={t('grants.town')}>{grant.town_name ?? grant.town_code}</Descriptions.Item>
        <Descriptions.Item label={t('field.grant_period')}>
          {grant.valid_from} ~ {grant.valid_to ?? t('common.openEnded')}
        </Descriptions.Item>
        <Descriptions.Item label={t('grants.nextEvaluation')}>{grant.next_evaluation ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('item.decision')} span={2}>
          {grant.decision_doc?.number ? `${grant.decision_doc.issuer} ${grant.decision_doc.number}《${grant.decision_doc.title}》 ${grant.decision_doc.date}` : t('grants.noDecision')}
        </Descriptions.Item>
        {grant.state_reason ? (
          <Descriptions.Item label={t('grants.reason')} span={2}>
            {grant.state_reason}
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      <ReadinessChecklist grant={grant} manage={manage && grant.state !== 'revoked'} onSaved={(next) => changed(next, t('grants.readinessSaved'))} onError={setError} />

      {notice && <Alert type="success" showIcon message={notice} closable onClose={() => setNotice(null)} style={{ margin: '12px 0' }} data-testid="grant-notice" />}
      {error !== null && (
        <div className="qz-section">
          <ProblemAlert error={error} title={t('grants.refused')} testId="grant-error" />
        </div>
      )}

      {manage && grant.allowed_actions.length > 0 && (
        <Card size="small" title={t('grants.actions')} className="qz-section">
          <Space wrap>
            {grant.allowed_actions.map((a) => (
              <Button
                key={a}
                type={a === 'make_effective' || a === 'mark_ready' || a === 'resume' ? 'primary' : 'default'}
                danger={a === 'revoke' || a === 'suspend'}
                loading={busy && action === null}
                onClick={() => (a === 'mark_ready' ? run({ action: a }) : setAction(a))}
                data-testid={`action-${a}`}
              >
                {t(`action.${a}` as MessageKey)}
              </Button>
            ))}
          </Space>
        </Card>
      )}
      <TransitionModal grant={grant} action={action} busy={busy} onCancel={() => setAction(null)} onSubmit={run} />
    </div>
  );
}

function ReadinessChecklist({
  grant,
  manage,
  onSaved,
  onError,
}: {
  grant: Grant;
  manage: boolean;
  onSaved: (g: Grant) => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useI18n();
  const initial = useMemo(() => {
    const by = new Map(grant.readiness.map((r) => [r.key, r]));
    return READINESS_KEYS.map((key) => by.get(key) ?? ({ key, done: false, note: '', done_at: null } as ReadinessItem));
  }, [grant]);
  const [items, setItems] = useState(initial);
  useEffect(() => setItems(initial), [initial]);
  const [saving, setSaving] = useState(false);
  const dirty = items.some((r, i) => r.done !== initial[i]?.done || r.note !== initial[i]?.note);
  const set = (key: ReadinessKey, patch: Partial<ReadinessItem>) => setItems((xs) => xs.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const save = async () => {
    setSaving(true);
    try {
      const changed = items.filter((r, i) => r.done !== initial[i]?.done || r.note !== initial[i]?.note);
      onSaved(
        await updateReadiness(
          grant.id,
          changed.map((r) => ({ key: r.key, done: r.done, note: r.note, done_at: r.done ? (r.done_at ?? today()) : null })),
        ),
      );
    } catch (e) {
      onError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('grants.readinessTitle')} className="qz-section" data-testid="readiness">
      {items.map((r) => (
        <div key={r.key} className="qz-readiness-row" data-key={r.key} data-done={r.done}>
          <Checkbox
            checked={r.done}
            disabled={!manage}
            onChange={(e) => set(r.key, { done: e.target.checked, done_at: e.target.checked ? r.done_at : null })}
            data-testid={`readiness-${r.key}`}
          >
            {t(`readiness.${r.key}` as MessageKey)}
          </Checkbox>
          {r.done && r.done_at ? <span className="qz-muted-inline">{r.done_at}</span> : null}
          <Input
            size="small"
            value={r.note}
            disabled={!manage}
            maxLength={500}
            placeholder={t('grants.note')}
            onChange={(e) => set(r.key, { note: e.target.value })}
            style={{ maxWidth: 320 }}
          />
        </div>
      ))}
      {manage && (
        <Button type="primary" size="small" disabled={!dirty} loading={saving} onClick={save} data-testid="readiness-save">
          {t('grants.saveReadiness')}
        </Button>
      )}
    </Card>
  );
}

interface TransitionForm {
  on_date?: string;
  reason?: string;
  issuer?: string;
  number?: string;
  title?: string;
  date?: string;
}

export function TransitionModal({
  grant,
  action,
  busy,
  onCancel,
  onSubmit,
}: {
  grant: Grant;
  action: GrantAction | null;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (body: TransitionRequest) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<TransitionForm>();
  const needsDoc = action === 'make_effective' || action === 'resume';
  const needsReason = action === 'suspend' || action === 'revoke';
  useEffect(() => {
    if (action)
      form.setFieldsValue({
        on_date: today(),
        reason: '',
        issuer: grant.decision_doc?.issuer ?? '',
        number: grant.decision_doc?.number ?? '',
        title: grant.decision_doc?.title ?? '',
        date: grant.decision_doc?.date ?? '',
      });
  }, [action, grant, form]);
  const date = { pattern: DATE_RE, message: t('form.date') };
  const required = { required: true, whitespace: true, message: t('form.required') };

  return (
    <Modal
      open={action !== null}
      title={action ? t(`action.${action}` as MessageKey) : ''}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'transition-submit' } as ButtonProps}
      forceRender
    >
      <Form<TransitionForm>
        form={form}
        layout="vertical"
        onFinish={(v) => {
          if (!action) return;
          const body: TransitionRequest = { action, on_date: v.on_date?.trim() || undefined };
          if (needsReason) body.reason = v.reason?.trim();
          if (needsDoc)
            body.decision_doc = {
              issuer: v.issuer?.trim() ?? '',
              number: v.number?.trim() ?? '',
              title: v.title?.trim() ?? '',
              date: v.date?.trim() ?? '',
            };
          onSubmit(body);
        }}
      >
        <Form.Item name="on_date" label={t('grants.onDate')} rules={[required, date]}>
          <Input placeholder="YYYY-MM-DD" data-testid="transition-on-date" />
        </Form.Item>
        {needsReason && (
          <Form.Item name="reason" label={t('grants.reason')} rules={[required, { max: 500, message: t('login.tooLong', { max: 500 }) }]}>
            <Input.TextArea rows={3} data-testid="transition-reason" />
          </Form.Item>
        )}
        {needsDoc && (
          <>
            <Typography.Text type="secondary">{t('grants.decisionHelp')}</Typography.Text>
            <Form.Item name="issuer" label={t('field.decision_issuer')} rules={[required, { max: 200 }]}>
              <Input data-testid="decision-issuer" />
            </Form.Item>
            <Form.Item name="number" label={t('field.decision_number')} rules={[required, { max: 100 }]}>
              <Input data-testid="decision-number" />
            </Form.Item>
            <Form.Item name="title" label={t('field.decision_title')} rules={[{ max: 300 }]}>
              <Input data-testid="decision-title" />
            </Form.Item>
            <Form.Item name="date" label={t('field.decision_date')} rules={[required, date]}>
              <Input placeholder="YYYY-MM-DD" data-testid="decision-date" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

// --- propose -------------------------------------------------------------------

function ProposeModal({ town, open, onClose }: { town: string; open: boolean; onClose: (created: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ power_code: string; mode: string; batch_id?: number; valid_from?: string }>();
  const batches = useFetch('batches', (signal) => listBatches(signal), { enabled: open });
  const townBatches = (batches.data?.items ?? []).filter((b) => b.towns.some((x) => x.town_code === town));
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const search = async (q: string) => {
    if (!q.trim()) return setOptions([]);
    try {
      const r = await listPowers({ q: q.trim(), limit: 20 });
      setOptions(r.items.map((p) => ({ value: p.code, label: `${p.code} ${p.name}` })));
    } catch {
      setOptions([]);
    }
  };

  return (
    <Modal
      open={open}
      title={t('grants.propose')}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ mode: 'delegation' }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            await proposeGrant({
              town_code: town,
              power_code: v.power_code,
              mode: v.mode as 'delegation' | 'entrustment',
              batch_id: v.batch_id,
              valid_from: v.valid_from?.trim() || undefined,
            });
            form.resetFields();
            onClose(true);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="power_code" label={t('grants.power')} rules={[{ required: true, message: t('form.required') }]}>
          <Select showSearch filterOption={false} onSearch={search} options={options} placeholder={t('powers.qPlaceholder')} data-testid="propose-power" />
        </Form.Item>
        <Form.Item name="mode" label={t('field.mode')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            options={[
              { value: 'delegation', label: t('mode.delegation') },
              { value: 'entrustment', label: t('mode.entrustment') },
            ]}
          />
        </Form.Item>
        <Form.Item name="batch_id" label={t('grants.batch')}>
          <Select allowClear loading={batches.loading} options={townBatches.map((b) => ({ value: b.id, label: b.name }))} />
        </Form.Item>
        <Form.Item name="valid_from" label={t('field.grant_valid_from')} rules={[{ pattern: DATE_RE, message: t('form.date') }]}>
          <Input placeholder="YYYY-MM-DD" />
        </Form.Item>
      </Form>
      {error !== null && <ProblemAlert error={error} testId="propose-error" />}
    </Modal>
  );
}

// --- versions --------------------------------------------------------------------

function TownVersionsTab({ town }: { town: string }) {
  const { t } = useI18n();
  const session = useSession();
  const v = useFetch(`tv|${town}`, (signal) => listTownVersions(town, signal), { onUnauthorized: session.expire });
  const list = v.data?.items ?? [];
  const latest = list[0]?.version ?? 0;
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const to = pair?.to ?? latest;
  const from = pair?.from ?? (to > 1 ? to - 1 : 0);
  const canDiff = from > 0 && to > 0 && from !== to;
  const diff = useFetch(`d|${town}|${from}|${to}`, (signal) => getPublicDiff(town, from, to, signal), { enabled: canDiff });
  const options = list.map((x) => ({ value: x.version, label: t('catalogue.versionN', { n: x.version }) }));
  return (
    <div data-testid="town-versions">
      {v.error !== null && <ProblemAlert error={v.error} />}
      <VersionsTable
        versions={list}
        loading={v.loading}
        render={(x) => (
          <a href={publicCatalogueExportUrl(town, 'xlsx', x.version)}>
            <DownloadOutlined /> XLSX
          </a>
        )}
      />
      <Card size="small" title={t('versions.compare')} className="qz-section">
        <Space>
          <Select<number> value={from || undefined} options={options} onChange={(f) => setPair({ from: f, to })} style={{ width: 120 }} />
          <SwapRightOutlined />
          <Select<number> value={to || undefined} options={options} onChange={(x) => setPair({ from, to: x })} style={{ width: 120 }} />
        </Space>
        <div className="qz-section">
          {diff.error !== null && <ProblemAlert error={diff.error} />}
          {diff.data && <DiffView diff={diff.data} />}
          {!canDiff && list.length > 0 && <Result status="info" title={t('versions.pickTwo')} />}
        </div>
      </Card>
    </div>
  );
}
