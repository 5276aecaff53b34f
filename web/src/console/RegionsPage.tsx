// 区划: the region tree, one level at a time, from GET /api/v1/regions with
// cursor pagination. ?parent=CODE in the URL selects the level, so drill-down
// works with the browser's back button and deep links.
import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, Breadcrumb, Button, Card, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ArrowRightOutlined, LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { errorMessage, ProblemError } from '../lib/api';
import { listRegions, type Page, type Region } from '../lib/endpoints';
import { useSession } from '../session/SessionProvider';

interface Crumb {
  code: string;
  name: string;
}

const PAGE_SIZES = [10, 20, 50, 100];
const LEVEL_COLORS: Record<string, string> = { province: 'red', city: 'volcano', county: 'gold', town: 'blue' };

function formatIndicator(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return v.toLocaleString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export default function RegionsPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const parent = params.get('parent') ?? '';
  const trailState = (location.state as { trail?: Crumb[] } | null)?.trail;
  const trail: Crumb[] = useMemo(() => {
    if (!parent) return [];
    if (trailState && trailState.at(-1)?.code === parent) return trailState;
    return [{ code: parent, name: parent }];
  }, [parent, trailState]);

  const [pageSize, setPageSize] = useState(20);
  // Cursor pagination: cursors[p] is the cursor of page p (page 0 has none).
  // The pager belongs to one level and page size; another one starts afresh.
  const listKey = `${parent}|${pageSize}`;
  const [pagerState, setPagerState] = useState({ key: listKey, cursors: [null] as (string | null)[], page: 0 });
  const pager = pagerState.key === listKey ? pagerState : { key: listKey, cursors: [null], page: 0 };
  const page = pager.page;
  const [data, setData] = useState<Page<Region> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [reloadNonce, setReloadNonce] = useState(0);
  const [filterForm] = Form.useForm<{ parent: string }>();

  useEffect(() => {
    filterForm.setFieldsValue({ parent });
  }, [parent, filterForm]);

  const cursor = pager.cursors[page] ?? null;
  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    listRegions({ parent: parent || undefined, cursor, limit: pageSize }, ac.signal).then(
      (res) => {
        setData(res);
        setLoading(false);
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        if (e instanceof ProblemError && e.status === 401) {
          session.expire(); // ConsoleLayout sends the user to /login
          return;
        }
        setError(e);
        setData(null);
        setLoading(false);
      },
    );
    return () => ac.abort();
    // session.expire is stable
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [parent, cursor, pageSize, reloadNonce]);

  const goTo = (code: string, newTrail: Crumb[]) => {
    navigate(code ? `?parent=${encodeURIComponent(code)}` : '?', { state: { trail: newTrail } });
  };

  const nextPage = () => {
    if (!data?.next_cursor) return;
    setPagerState({ key: listKey, cursors: [...pager.cursors.slice(0, page + 1), data.next_cursor], page: page + 1 });
  };

  const columns: TableColumnsType<Region> = [
    {
      title: t('regions.code'),
      dataIndex: 'code',
      width: 160,
      render: (code: string) => <span className="qz-mono">{code}</span>,
    },
    { title: t('regions.name'), dataIndex: 'name', width: 200 },
    {
      title: t('regions.level'),
      dataIndex: 'level',
      width: 130,
      render: (level: string) => (
        <Tag color={LEVEL_COLORS[level]} data-level={level}>
          {t(`level.${level}` as MessageKey) || level}
        </Tag>
      ),
    },
    {
      title: t('regions.parent'),
      dataIndex: 'parent_code',
      width: 160,
      responsive: ['md'],
      render: (code: string | null) => <span className="qz-mono">{code ?? '—'}</span>,
    },
    {
      title: t('regions.pilot'),
      dataIndex: 'is_pilot',
      width: 100,
      render: (pilot: boolean | undefined, r) =>
        r.level === 'town' ? pilot ? <Tag color="green">{t('regions.pilot')}</Tag> : '—' : null,
    },
    {
      title: t('regions.indicators'),
      dataIndex: 'indicators',
      responsive: ['lg'],
      render: (ind: Region['indicators']) =>
        ind && Object.keys(ind).length > 0 ? (
          <div className="qz-indicators">
            {Object.entries(ind)
              .slice(0, 4)
              .map(([k, v]) => (
                <div key={k}>
                  <span className="qz-muted-inline">{k}</span> {formatIndicator(v)}
                </div>
              ))}
          </div>
        ) : null,
    },
    {
      title: t('regions.actions'),
      key: 'actions',
      width: 140,
      render: (_, r) =>
        r.level !== 'town' ? (
          <Button
            type="link"
            size="small"
            icon={<ArrowRightOutlined />}
            onClick={() => goTo(r.code, [...trail, { code: r.code, name: r.name }])}
            data-testid={`drill-${r.code}`}
          >
            {t('regions.children')}
          </Button>
        ) : null,
    },
  ];

  return (
    <div className="qz-regions">
      <Typography.Title level={3}>{t('regions.title')}</Typography.Title>
      <Card size="small" className="qz-regions-filter">
        <Form
          form={filterForm}
          layout="inline"
          initialValues={{ parent }}
          onFinish={(v) => {
            const code = (v.parent ?? '').trim();
            goTo(code, code ? [{ code, name: code }] : []);
          }}
        >
          <Form.Item
            name="parent"
            label={t('regions.parentFilter')}
            rules={[{ pattern: /^\s*[0-9]*\s*$/, message: t('regions.parentInvalid') }]}
          >
            <Input allowClear className="qz-mono" style={{ width: 200 }} data-testid="regions-parent" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                {t('regions.search')}
              </Button>
              <Button onClick={() => goTo('', [])}>{t('regions.reset')}</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>

      <Breadcrumb
        className="qz-regions-trail"
        items={[
          {
            title: trail.length ? <a onClick={() => goTo('', [])}>{t('regions.root')}</a> : t('regions.root'),
          },
          ...trail.map((c, i) => ({
            title:
              i < trail.length - 1 ? (
                <a onClick={() => goTo(c.code, trail.slice(0, i + 1))}>{c.name}</a>
              ) : (
                <span>{c.name}</span>
              ),
          })),
        ]}
      />

      {error !== null && (
        <Alert
          type="error"
          showIcon
          message={errorMessage(error, lang)}
          action={
            <Button size="small" icon={<ReloadOutlined />} onClick={() => setReloadNonce((n) => n + 1)}>
              {t('app.retry')}
            </Button>
          }
          style={{ marginBottom: 12 }}
          data-testid="regions-error"
        />
      )}

      <div data-testid="regions-list" data-state={loading ? 'loading' : error !== null ? 'error' : 'ready'}>
        <Table<Region>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          pagination={false}
          locale={{ emptyText: t('regions.empty') }}
          onRow={(r) => ({ 'data-level': r.level }) as HTMLAttributes<HTMLElement>}
          scroll={{ x: 'max-content' }}
          data-testid="regions-table"
        />
      </div>
      <div className="qz-pager">
        <Space>
          <Button
            icon={<LeftOutlined />}
            disabled={page === 0 || loading}
            onClick={() => setPagerState({ ...pager, page: page - 1 })}
            data-testid="regions-prev"
          >
            {t('regions.prev')}
          </Button>
          <span data-testid="regions-page">{t('regions.page', { page: page + 1 })}</span>
          <Button disabled={!data?.next_cursor || loading} onClick={nextPage} data-testid="regions-next">
            {t('regions.next')}
            <RightOutlined />
          </Button>
          <Select<number>
            value={pageSize}
            onChange={setPageSize}
            options={PAGE_SIZES.map((n) => ({ value: n, label: t('regions.pageSize', { n }) }))}
            style={{ width: 130 }}
          />
        </Space>
      </div>
    </div>
  );
}
