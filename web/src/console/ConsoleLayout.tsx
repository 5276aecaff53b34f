import { useState, type ReactNode } from 'react';
import { App, Button, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  DashboardOutlined,
  FileProtectOutlined,
  FlagOutlined,
  GlobalOutlined,
  LineChartOutlined,
  LogoutOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { errorMessage } from '../lib/api';
import { useSession } from '../session/SessionProvider';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageLoading } from '../components/RouteStates';
import { canManageUsers, canReadStaffing, roleLabel } from './roles';

interface Item {
  key: string;
  label: MessageKey;
  icon: ReactNode;
  /** Not built yet: shown greyed out. */
  later?: boolean;
  /** Shown only to roles that may use it. */
  visible?: (role: string) => boolean;
}

const ITEMS: Item[] = [
  { key: '/console', label: 'console.menu.dashboard', icon: <DashboardOutlined /> },
  { key: '/console/regions', label: 'console.menu.regions', icon: <ApartmentOutlined /> },
  { key: 'batches', label: 'console.menu.batches', icon: <FlagOutlined />, later: true },
  { key: '/console/catalogue', label: 'console.menu.powers', icon: <ProfileOutlined /> },
  { key: '/console/grants', label: 'console.menu.catalogue', icon: <AuditOutlined /> },
  { key: '/console/cases', label: 'console.menu.cases', icon: <SolutionOutlined /> },
  { key: '/console/organisation', label: 'console.menu.organisation', icon: <BankOutlined />, visible: canReadStaffing },
  { key: '/console/accountability', label: 'console.menu.accountability', icon: <WarningOutlined /> },
  { key: '/console/evaluation', label: 'console.menu.evaluation', icon: <LineChartOutlined /> },
  { key: 'ledger', label: 'console.menu.ledger', icon: <FileProtectOutlined />, later: true },
  { key: '/console/users', label: 'console.menu.users', icon: <TeamOutlined />, visible: canManageUsers },
];

export default function ConsoleLayout() {
  // antd's App gives message/modal hooks the theme and locale.
  return (
    <App>
      <ConsoleFrame />
    </App>
  );
}

function ConsoleFrame() {
  const { t, lang } = useI18n();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [collapsed, setCollapsed] = useState(false);

  if (session.status === 'loading') return <PageLoading />;
  if (session.status !== 'authenticated' || !session.user) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const user = session.user;

  const selected = ITEMS.filter((i) => !i.later && (location.pathname === i.key || location.pathname.startsWith(`${i.key}/`)))
    .map((i) => i.key)
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);

  const shown = ITEMS.filter((i) => !i.visible || i.visible(user.role));
  const items: MenuProps['items'] = shown.map((i) => ({
    key: i.key,
    icon: i.icon,
    disabled: i.later,
    title: i.later ? t(i.label) + t('console.menu.later') : t(i.label),
    label: i.later ? (
      <span className="qz-menu-later">{t(i.label)}</span>
    ) : (
      <Link to={i.key} data-testid={`menu-${i.key.split('/').pop()}`}>
        {t(i.label)}
      </Link>
    ),
  }));

  const onLogout = async () => {
    try {
      await session.logout();
    } catch (e) {
      message.warning(`${t('console.logoutFailed')}: ${errorMessage(e, lang)}`);
    }
    navigate('/login', { replace: true });
  };

  return (
    <Layout className="qz-console" hasSider>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        width={216}
        theme="light"
        className="qz-console-sider"
      >
        <Link to="/console" className="qz-console-brand">
          <span className="qz-emblem small" aria-hidden="true">
            权
          </span>
          {!collapsed && <span className="qz-console-brand-text">{t('app.consoleTitle')}</span>}
        </Link>
        <Menu mode="inline" selectedKeys={selected} items={items} data-testid="console-menu" />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="qz-console-header">
          <Space size="middle" wrap>
            <Link to="/">
              <Button type="text" size="small" icon={<GlobalOutlined />}>
                {t('console.portal')}
              </Button>
            </Link>
            <Link to="/verify">
              <Button type="text" size="small" icon={<SafetyCertificateOutlined />}>
                {t('nav.verify')}
              </Button>
            </Link>
          </Space>
          <Space size="middle" className="qz-console-user">
            <LanguageSwitch />
            <Typography.Text strong data-testid="console-user">
              {user.name}
            </Typography.Text>
            <Tag color="red">{roleLabel(t, user.role)}</Tag>
            <Button icon={<LogoutOutlined />} onClick={onLogout} data-testid="logout">
              {t('console.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="qz-console-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
