// 评价: per town / agency / officer — cases, on-time rate, mean days used
// against the limit, ratings and satisfaction — with the distribution of the
// discretion tiers used and the penalties far from their group's median.
import { lazy, Suspense, useMemo, useState } from 'react';
import { Card, Col, Input, Progress, Row, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { getEvaluation, listPenaltyOutliers, type EvaluationRow, type PenaltyOutlier } from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { formatFen } from '../catalogue/format';
import { tierLabel } from '../cases/labels';
import { useDefaultRegion } from './townScope';

const EChart = lazy(() => import('./EChart'));

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

export default function EvaluationPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const fallback = useDefaultRegion(session.user?.scope ?? 'all');
  const region = params.get('region') ?? fallback;
  const by = (['town', 'agency', 'officer'] as const).find((b) => b === params.get('by')) ?? 'town';
  const [regionText, setRegionText] = useState<string | null>(null);
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const ev = useFetch(`ev|${region}|${by}`, (signal) => getEvaluation({ region, by }, signal), {
    enabled: !!region,
    onUnauthorized: session.expire,
  });
  const outliers = useFetch(`out|${region}`, (signal) => listPenaltyOutliers(region, signal), { enabled: !!region });
  const dist = ev.data?.discretion_distribution ?? {};
  const tiers = Object.entries(dist).sort((a, b) => b[1] - a[1]);
  const pie = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: Object.entries(dist).map(([k, v]) => ({ name: tierLabel(t, k), value: v })),
        },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ev.data, lang],
  );

  const columns: TableColumnsType<EvaluationRow> = [
    { title: t('eval.name'), dataIndex: 'label', render: (l: string, r) => <span data-key={r.key}>{l}</span> },
    { title: t('eval.cases'), dataIndex: 'cases', width: 80, sorter: (a, b) => a.cases - b.cases },
    { title: t('eval.closed'), dataIndex: 'closed', width: 80 },
    {
      title: t('eval.onTimeRate'),
      dataIndex: 'on_time_rate',
      width: 170,
      sorter: (a, b) => a.on_time_rate - b.on_time_rate,
      render: (x: number) => (
        <Progress percent={Math.round(x * 1000) / 10} size="small" status={x < 0.8 ? 'exception' : x < 0.95 ? 'normal' : 'success'} />
      ),
    },
    {
      title: t('eval.meanDays'),
      key: 'days',
      width: 160,
      render: (_, r) => `${r.mean_days_used.toFixed(1)} / ${r.mean_limit_days.toFixed(1)}`,
    },
    { title: t('eval.ratings'), dataIndex: 'ratings', width: 80 },
    {
      title: t('eval.meanRating'),
      dataIndex: 'mean_rating',
      width: 100,
      sorter: (a, b) => (a.mean_rating ?? 0) - (b.mean_rating ?? 0),
      render: (x: number | null) => (x === null || x === undefined ? '—' : x.toFixed(2)),
    },
    {
      title: t('eval.satisfaction'),
      dataIndex: 'satisfaction_rate',
      width: 100,
      sorter: (a, b) => (a.satisfaction_rate ?? 0) - (b.satisfaction_rate ?? 0),
      render: (x: number | null) => <Typography.Text type={x !== null && x < 0.6 ? 'danger' : undefined}>{pct(x)}</Typography.Text>,
    },
  ];

  return (
    <div className="qz-console-page" data-testid="evaluation-page">
      <Typography.Title level={3}>{t('eval.title')}</Typography.Title>
      <Card size="small" className="qz-filter">
        <Space wrap>
          <Input.Search
            value={regionText ?? region}
            onChange={(e) => setRegionText(e.target.value)}
            onSearch={(v) => set('region', v.trim())}
            placeholder={t('eval.region')}
            style={{ width: 200 }}
            data-testid="eval-region"
          />
          <Segmented<string>
            value={by}
            onChange={(v) => set('by', v === 'town' ? '' : v)}
            data-testid="eval-by"
            options={[
              { value: 'town', label: t('eval.byTown') },
              { value: 'agency', label: t('eval.byAgency') },
              { value: 'officer', label: t('eval.byOfficer') },
            ]}
          />
          {ev.data ? (
            <Typography.Text type="secondary">
              {ev.data.from} – {ev.data.to}
            </Typography.Text>
          ) : null}
        </Space>
      </Card>
      {ev.error !== null && <ProblemAlert error={ev.error} />}
      <div data-testid="eval-list" data-state={ev.loading ? 'loading' : ev.error !== null ? 'error' : 'ready'}>
        <Table<EvaluationRow>
          rowKey="key"
          size="middle"
          columns={columns}
          dataSource={ev.data?.items ?? []}
          loading={ev.loading}
          pagination={(ev.data?.items.length ?? 0) > 50 ? { pageSize: 50 } : false}
          scroll={{ x: 'max-content' }}
          data-testid="eval-table"
        />
      </div>
      <Row gutter={[16, 16]} className="qz-section">
        <Col xs={24} lg={10}>
          <Card size="small" title={t('eval.tiers')} data-testid="eval-tiers">
            {tiers.length > 0 ? (
              <>
                <Suspense fallback={<div className="qz-chart">{t('dash.chartLoading')}</div>}>
                  <EChart option={pie} testId="eval-tier-chart" />
                </Suspense>
                <Space wrap>
                  {tiers.map(([k, v]) => (
                    <Tag key={k}>
                      {tierLabel(t, k)} {v}
                    </Tag>
                  ))}
                </Space>
              </>
            ) : (
              <Typography.Text type="secondary">{t('dash.noData')}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('eval.outliers')}>
            {outliers.error !== null && <ProblemAlert error={outliers.error} />}
            <Table<PenaltyOutlier>
              size="small"
              rowKey={(r) => `${r.case_id}`}
              loading={outliers.loading}
              dataSource={outliers.data?.items ?? []}
              pagination={{ pageSize: 10, size: 'small' }}
              columns={[
                { title: t('acc.case'), dataIndex: 'case_id', render: (id: number) => <Link to={`/console/cases/${id}`}>#{id}</Link> },
                { title: t('field.code'), dataIndex: 'power_code', render: (c: string) => <span className="qz-mono">{c}</span> },
                { title: t('eval.tier'), dataIndex: 'tier', render: (x: string) => tierLabel(t, x) },
                { title: t('case.amount'), dataIndex: 'amount_fen', render: (f: number) => formatFen(f, lang) },
                { title: t('eval.median'), dataIndex: 'median_fen', render: (f: number) => formatFen(f, lang) },
                { title: t('eval.deviation'), dataIndex: 'deviation', render: (d: number) => <Tag color="red">{`${d > 0 ? '+' : ''}${Math.round(d * 100)}%`}</Tag> },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
