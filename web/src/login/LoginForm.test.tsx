// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppProviders } from '../AppProviders';
import type { Lang } from '../i18n/I18nProvider';
import { ProblemError } from '../lib/api';
import { LoginForm, USERNAME_MAX, type LoginValues } from './LoginForm';

function renderForm(onSubmit: (v: LoginValues) => Promise<unknown>, lang: Lang = 'zh') {
  render(
    <AppProviders lang={lang}>
      <LoginForm onSubmit={onSubmit} />
    </AppProviders>,
  );
  return {
    user: userEvent.setup(),
    username: () => screen.getByLabelText(lang === 'zh' ? '用户名' : 'Username'),
    password: () => screen.getByLabelText(lang === 'zh' ? '密码' : 'Password'),
    submit: () => screen.getByRole('button', { name: lang === 'zh' ? /登\s*录/ : /Sign in/ }),
  };
}

const wrongPassword = new ProblemError({
  type: 'https://quanze.example/problems/unauthenticated',
  title: 'Unauthorized',
  status: 401,
  code: 'bad_credentials',
  detail: 'invalid username or password',
  message_zh: '用户名或密码错误',
  message_en: 'Wrong username or password',
});

describe('LoginForm', () => {
  it('does not send an empty form and says what is missing', async () => {
    const onSubmit = vi.fn(async () => {});
    const f = renderForm(onSubmit);
    await f.user.click(f.submit());
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    expect(await screen.findByText('请输入密码')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('treats a blank username as missing', async () => {
    const onSubmit = vi.fn(async () => {});
    const f = renderForm(onSubmit);
    await f.user.type(f.username(), '   ');
    await f.user.type(f.password(), 'secret');
    await f.user.click(f.submit());
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('rejects an over-long username', async () => {
    const onSubmit = vi.fn(async () => {});
    const f = renderForm(onSubmit);
    await f.user.click(f.username());
    await f.user.paste('x'.repeat(USERNAME_MAX + 1));
    await f.user.type(f.password(), 'secret');
    await f.user.click(f.submit());
    expect(await screen.findByText(`不能超过 ${USERNAME_MAX} 个字符`)).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends the trimmed username and the password once valid', async () => {
    const onSubmit = vi.fn(async () => {});
    const f = renderForm(onSubmit);
    await f.user.type(f.username(), '  admin ');
    await f.user.type(f.password(), 'admin-demo-2026');
    await f.user.click(f.submit());
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({ username: 'admin', password: 'admin-demo-2026' });
  });

  it("shows the server's problem+json message in Chinese", async () => {
    const f = renderForm(async () => {
      throw wrongPassword;
    });
    await f.user.type(f.username(), 'admin');
    await f.user.type(f.password(), 'wrong');
    await f.user.click(f.submit());
    const alert = await screen.findByTestId('login-error');
    expect(alert).toHaveTextContent('登录失败');
    expect(alert).toHaveTextContent('用户名或密码错误');
  });

  it("shows the server's message in English when the UI is English", async () => {
    const f = renderForm(async () => {
      throw wrongPassword;
    }, 'en');
    await f.user.type(f.username(), 'admin');
    await f.user.type(f.password(), 'wrong');
    await f.user.click(f.submit());
    expect(await screen.findByTestId('login-error')).toHaveTextContent('Wrong username or password');
  });
});
