// 用户管理 (admins): the accounts and a form to add one.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider';
import { createUser, listUsers, ROLES, type Role, type UserRow } from '../lib/endpoints';
import { useFetch } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { formatDateTime } from '../catalogue/format';
import { roleLabel, scopeLabel } from './roles';

export const NAME_RE = /^[a-z][a-z0-9._-]{1,63}$/;
export const PASSWORD_MIN = 10;

interface NewUser {
  name: string;
  role: Role;
  scope: string;
  password: string;
  confirm: string;
}

export default function UsersPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const users = useFetch('users', (signal) => listUsers(signal), { onUnauthorized: session.expire });
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  const columns: TableColumnsType<UserRow> = [
    { title: t('users.name'), dataIndex: 'name', render: (n: string) => <span className="qz-mono">{n}</span> },
    { title: t('users.role'), dataIndex: 'role', render: (r: string) => <Tag color="red">{roleLabel(t, r)}</Tag> },
    { title: t('users.scope'), dataIndex: 'scope', render: (s: string) => <span className="qz-mono">{scopeLabel(t, s)}</span> },
    {
      title: t('users.status'),
      dataIndex: 'disabled',
      width: 90,
      render: (d: boolean) => (d ? <Tag>{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>),
    },
    { title: t('users.createdAt'), dataIndex: 'created_at', width: 190, render: (s: string) => formatDateTime(s, lang) },
  ];

  return (
    <div className="qz-console-page" data-testid="users-page">
      <Typography.Title level={3}>{t('users.title')}</Typography.Title>
      <Card size="small" className="qz-filter">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="users-add">
          {t('users.add')}
        </Button>
      </Card>
      {created && <Alert type="success" showIcon closable message={t('users.created', { name: created })} onClose={() => setCreated(null)} style={{ marginBottom: 12 }} />}
      {users.error !== null && <ProblemAlert error={users.error} />}
      <Table<UserRow>
        rowKey="id"
        columns={columns}
        dataSource={users.data?.items ?? []}
        loading={users.loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="users-table"
      />
      <NewUserModal
        open={open}
        onClose={(name) => {
          setOpen(false);
          if (name) {
            setCreated(name);
            users.reload();
          }
        }}
      />
    </div>
  );
}

export function NewUserModal({ open, onClose }: { open: boolean; onClose: (name: string | null) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<NewUser>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const role = Form.useWatch('role', form);
  const needsScope = role !== undefined && role !== 'admin' && role !== 'auditor';
  const required = { required: true, whitespace: true, message: t('form.required') };

  return (
    <Modal
      open={open}
      title={t('users.add')}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(null)}
      destroyOnHidden
      forceRender
    >
      <Form<NewUser>
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            await createUser({ name: v.name.trim(), role: v.role, scope: needsScope ? v.scope.trim() : 'all', password: v.password });
            form.resetFields();
            onClose(v.name.trim());
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label={t('users.name')} rules={[required, { pattern: NAME_RE, message: t('users.nameInvalid') }]}>
          <Input autoComplete="off" data-testid="user-name" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('form.required') }]}>
          <Select data-testid="user-role" options={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))} />
        </Form.Item>
        {needsScope && (
          <Form.Item
            name="scope"
            label={t('users.scope')}
            extra={t('users.scopeHelp')}
            rules={[required, { pattern: /^\s*\d{6,12}\s*$/, message: t('regions.parentInvalid') }]}
          >
            <Input className="qz-mono" data-testid="user-scope" />
          </Form.Item>
        )}
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[
            { required: true, message: t('form.required') },
            { min: PASSWORD_MIN, message: t('users.passwordShort', { n: PASSWORD_MIN }) },
            { max: 256, message: t('login.tooLong', { max: 256 }) },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('users.confirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('form.required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('password') === value ? Promise.resolve() : Promise.reject(new Error(t('users.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="user-confirm" />
        </Form.Item>
      </Form>
      {error !== null && <ProblemAlert error={error} testId="user-error" />}
    </Modal>
  );
}
