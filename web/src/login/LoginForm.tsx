import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/api';

export interface LoginValues {
  username: string;
  password: string;
}

export const USERNAME_MAX = 64;
export const PASSWORD_MAX = 256;

/**
 * The sign-in form. Validates before calling onSubmit; shows the server's
 * problem+json message (in the UI language) when onSubmit rejects.
 */
export function LoginForm({ onSubmit }: { onSubmit: (values: LoginValues) => Promise<unknown> }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async (values: LoginValues) => {
    setError(null);
    setSubmitting(true);
    try {
      await onSubmit({ username: values.username.trim(), password: values.password });
    } catch (e) {
      setError(e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form<LoginValues>
      name="login"
      layout="vertical"
      requiredMark={false}
      onFinish={onFinish}
      onValuesChange={() => error && setError(null)}
      disabled={submitting}
    >
      {error !== null && (
        <Alert
          className="qz-login-error"
          type="error"
          showIcon
          message={t('login.failed')}
          description={errorMessage(error, lang)}
          data-testid="login-error"
          role="alert"
        />
      )}
      <Form.Item
        label={t('login.username')}
        name="username"
        rules={[
          { required: true, whitespace: true, message: t('login.usernameRequired') },
          { max: USERNAME_MAX, message: t('login.tooLong', { max: USERNAME_MAX }) },
        ]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
      </Form.Item>
      <Form.Item
        label={t('login.password')}
        name="password"
        rules={[
          { required: true, message: t('login.passwordRequired') },
          { max: PASSWORD_MAX, message: t('login.tooLong', { max: PASSWORD_MAX }) },
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form.Item>
    </Form>
  );
}
