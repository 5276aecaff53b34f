import { useEffect, useState } from 'react';
import { Card, Col, Descriptions, Result, Row, Typography } from 'antd';
import { ToolOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/api';
import { getHealth, type Health } from '../lib/endpoints';
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
      <Result icon={<ToolOutlined style={{ color: '#bfbfbf' }} />} title={t('dashboard.placeholder')} subTitle={t('dashboard.placeholderSub')} />
    </div>
  );
}
