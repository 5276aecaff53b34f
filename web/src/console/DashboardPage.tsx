import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Card, Col, Descriptions, Row, Statistic, Typography } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/api';
import {
  getEvaluation,
  getHealth,
  listCases,
  listPublicTowns,
  POWER_KINDS,
  type CaseRow,
  type Health,
} from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { kindLabel } from '../catalogue/format';
import { useDefaultRegion } from './townScope';
import { useSession } from '../session/SessionProvider';
import { roleLabel, scopeLabel } from './roles';

export default function DashboardPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const [health, setHealth] = useState<Health | null>(null);
  const [healthError, setHealthError] = useState<unknown>(null);

  useEffect(() => {
    const ac = new AbortController();
    getHealth(ac.signal).then(setHealth, (e: unknown) => !ac.signal.aborted && setHealthError(e));
    return () => ac.abort();
  }, []);

  if (!user) return null;
  return (
    <div className="qz-dashboard">
      <Typography.Title level={3} data-testid="dashboard-welcome">
        {t('dashboard.welcome', { name: user.name })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('dashboard.role')}>{roleLabel(t, user.role)}</Descriptions.Item>
              <Descriptions.Item label={t('dashboard.scope')}>{scopeLabel(t, user.scope)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.server')}>
            {healthError ? (
              <Typography.Text type="danger">{errorMessage(healthError, lang)}</Typography.Text>
            ) : (
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('dashboard.version')}>{health?.version ?? '…'}</Descriptions.Item>
                <Descriptions.Item label={t('dashboard.db')}>{health?.db ?? '…'}</Descriptions.Item>
                <Descriptions.Item label={t('dashboard.ledgerSize')}>{health?.ledger_size ?? '…'}</Descriptions.Item>
              </Descriptions>
            )}
          </Card>
        </Col>
      </Row>
      <WallCharts scope={user.scope} />
    </div>
  );
}

const EChart = lazy(() => import('./EChart'));

/** Open cases counted for the clock chart (at most two pages of 500). */
const CASE_SAMPLE = 1000;

async function openCases(signal: AbortSignal): Promise<CaseRow[]> {
  const out: CaseRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await listCases({ state: 'open', limit: 500, cursor }, signal);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < CASE_SAMPLE);
  return out;
}

function ChartCard({ title, extra, children, testId }: { title: string; extra?: string; children: React.ReactNode; testId: string }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={title} extra={extra} data-testid={testId}>
      <Suspense fallback={<div className="qz-chart">{t('dash.chartLoading')}</div>}>{children}</Suspense>
    </Card>
  );
}

/** The county leader's wall screen: case clocks, satisfaction, grants per town. */
function WallCharts({ scope }: { scope: string }) {
  const { t, lang } = useI18n();
  const region = useDefaultRegion(scope);
  const cases = useFetch('dash|cases', (signal) => openCases(signal));
  const ev = useFetch(`dash|ev|${region}`, (signal) => getEvaluation({ region, by: 'town' }, signal), { enabled: !!region });
  const towns = useFetch('dash|towns', (signal) => listPublicTowns({ limit: 500 }, signal));

  const counts = useMemo(() => {
    const c = { on: 0, yellow: 0, red: 0, suspended: 0 };
    for (const k of cases.data ?? []) {
      if (k.clock_status === 'red') c.red++;
      else if (k.clock_status === 'yellow') c.yellow++;
      else if (k.clock_status === 'suspended') c.suspended++;
      else c.on++;
    }
    return c;
  }, [cases.data]);

  const clockOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      color: ['#52c41a', '#faad14', '#f5222d', '#bfbfbf'],
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          label: { formatter: '{b}\n{c}' },
          data: [
            { name: t('dash.onTime'), value: counts.on },
            { name: t('dash.yellow'), value: counts.yellow },
            { name: t('dash.red'), value: counts.red },
            { name: t('dash.suspended'), value: counts.suspended },
          ],
        },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [counts, lang],
  );

  const evItems = ev.data?.items ?? [];
  const satOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: evItems.map((r) => r.label), axisLabel: { interval: 0, rotate: evItems.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: t('eval.satisfaction'), type: 'bar', data: evItems.map((r) => Math.round((r.satisfaction_rate ?? 0) * 1000) / 10) },
        { name: t('eval.onTimeRate'), type: 'bar', data: evItems.map((r) => Math.round(r.on_time_rate * 1000) / 10) },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ev.data, lang],
  );

  const townItems = (towns.data?.items ?? []).filter((x) => x.item_count > 0);
  const grantOption = useMemo(() => {
    const kinds = POWER_KINDS.filter((k) => townItems.some((x) => (x.counts_by_kind[k] ?? 0) > 0));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 48, right: 16, top: 16, bottom: 64 },
      xAxis: { type: 'category', data: townItems.map((x) => x.name), axisLabel: { interval: 0, rotate: townItems.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: kinds.map((k) => ({ name: kindLabel(t, k), type: 'bar', stack: 'kind', data: townItems.map((x) => x.counts_by_kind[k] ?? 0) })),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [towns.data, lang]);

  return (
    <Row gutter={[16, 16]} className="qz-section" data-testid="dashboard-charts">
      {cases.error === null && (
        <Col xs={24} lg={12}>
          <ChartCard title={t('dash.cases')} extra={t('dash.casesSub', { n: CASE_SAMPLE })} testId="dash-cases">
            <Row gutter={8} style={{ marginBottom: 8 }}>
              <Col span={8}>
                <Statistic title={t('dash.onTime')} value={counts.on} loading={cases.loading} valueStyle={{ color: '#389e0d' }} />
              </Col>
              <Col span={8}>
                <Statistic title={t('dash.yellow')} value={counts.yellow} loading={cases.loading} valueStyle={{ color: '#d48806' }} />
              </Col>
              <Col span={8}>
                <Statistic title={t('dash.red')} value={counts.red} loading={cases.loading} valueStyle={{ color: '#cf1322' }} data-testid="dash-red" />
              </Col>
            </Row>
            {cases.data && <EChart option={clockOption} testId="chart-clocks" />}
          </ChartCard>
        </Col>
      )}
      {ev.error === null && (
        <Col xs={24} lg={12}>
          <ChartCard title={t('dash.satisfaction')} testId="dash-satisfaction">
            {ev.data && <EChart option={satOption} testId="chart-satisfaction" />}
          </ChartCard>
        </Col>
      )}
      <Col xs={24}>
        <ChartCard title={t('dash.grants')} testId="dash-grants">
          {towns.data && <EChart option={grantOption} className="qz-chart qz-chart-big" testId="chart-grants" />}
        </ChartCard>
      </Col>
    </Row>
  );
}
