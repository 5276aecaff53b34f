import { Card, Typography } from 'antd';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { useSession } from '../session/SessionProvider';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageLoading } from '../components/RouteStates';
import { LoginForm } from './LoginForm';

/** Only console paths are valid targets after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  return next && /^\/console(\/|$|\?)/.test(next) ? next : '/console';
}

export default function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  if (session.status === 'loading') return <PageLoading />;
  if (session.status === 'authenticated') return <Navigate to={next} replace />;

  return (
    <div className="qz-login">
      <div className="qz-login-top">
        <Link to="/">{t('login.backToPortal')}</Link>
        <LanguageSwitch />
      </div>
      <Card className="qz-login-card">
        <div className="qz-login-head">
          <span className="qz-emblem" aria-hidden="true">
            权
          </span>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('login.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
        </div>
        <LoginForm
          onSubmit={async ({ username, password }) => {
            await session.login(username, password);
            navigate(next, { replace: true });
          }}
        />
      </Card>
    </div>
  );
}
