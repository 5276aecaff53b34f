// 通用目录: the province's master catalogue — search and filters (cursor
// pagination), an item's detail, CSV/JSON import with every bad row shown,
// and an export of the filtered list.
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Modal,
  Progress,
  Result,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
  type TableColumnsType,
} from 'antd';
import { DownloadOutlined, InboxOutlined, LeftOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/api';
import {
  getPower,
  importPowers,
  listPowers,
  POWER_KINDS,
  type ImportResult,
  type PowerKind,
  type PowerRow,
} from '../lib/endpoints';
import { useCursorList, useFetch } from '../lib/useCursorList';
import { useSession } from '../session/SessionProvider';
import { KIND_COLORS, kindLabel } from '../catalogue/format';
import { PowerDetail } from '../catalogue/PowerDetail';
import { ProblemAlert } from '../catalogue/ProblemAlert';
import { canManageCatalogue } from './roles';

const PAGE_SIZES = [20, 50, 100];

interface Filters {
  q: string;
  kind: string;
  department: string;
}

export default function PowersPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const filters: Filters = { q: params.get('q') ?? '', kind: params.get('kind') ?? '', department: params.get('department') ?? '' };
  const [pageSize, setPageSize] = useState(20);
  const [form] = Form.useForm<Filters>();
  const [openCode, setOpenCode] = useState<string | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [exporting, setExporting] = useState<{ done: number } | null>(null);
  const { message } = App.useApp();
  const manage = canManageCatalogue(session.user?.role ?? '');

  const list = useCursorList<PowerRow>(
    `${filters.q}|${filters.kind}|${filters.department}|${pageSize}`,
    (cursor, signal) => listPowers({ ...filters, cursor, limit: pageSize }, signal),
    { onUnauthorized: session.expire },
  );

  const apply = (v: Filters) => {
    const next = new URLSearchParams();
    if (v.q?.trim()) next.set('q', v.q.trim());
    if (v.kind) next.set('kind', v.kind);
    if (v.department?.trim()) next.set('department', v.department.trim());
    setParams(next);
  };

  /** Every page of the filtered list, as CSV (UTF-8 with BOM, for Excel). */
  const exportCsv = async () => {
    setExporting({ done: 0 });
    try {
      const rows: PowerRow[] = [];
      let cursor: string | null = null;
      do {
        const page = await listPowers({ ...filters, cursor, limit: 500 });
        rows.push(...page.items);
        cursor = page.next_cursor;
        setExporting({ done: rows.length });
      } while (cursor);
      const esc = (s: unknown) => {
        const v = s === null || s === undefined ? '' : String(s);
        return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      };
      const header = ['事项编码', '事项名称', '事项类型', '上级事项编码', '原实施部门', '有效期起', '有效期止', '版本'];
      const lines = [header.join(',')].concat(
        rows.map((r) =>
          [r.code, r.name, kindLabel(t, r.kind), r.parent_code, r.department, r.valid_from, r.valid_to, r.version].map(esc).join(','),
        ),
      );
      const blob = new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'master-catalogue.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      message.success(t('powers.exported', { n: rows.length }));
    } catch (e) {
      message.error(errorMessage(e, lang));
    } finally {
      setExporting(null);
    }
  };

  const columns: TableColumnsType<PowerRow> = [
    {
      title: t('field.code'),
      dataIndex: 'code',
      width: 140,
      render: (c: string) => (
        <a className="qz-mono" onClick={() => setOpenCode(c)} data-testid={`power-${c}`}>
          {c}
        </a>
      ),
    },
    { title: t('field.name'), dataIndex: 'name' },
    {
      title: t('field.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: PowerKind) => <Tag color={KIND_COLORS[k]}>{kindLabel(t, k)}</Tag>,
    },
    { title: t('field.originating_department'), dataIndex: 'department', width: 180 },
    { title: t('field.valid_from'), dataIndex: 'valid_from', width: 110, responsive: ['lg'] },
    { title: t('field.version'), dataIndex: 'version', width: 70, responsive: ['lg'] },
  ];

  return (
    <div className="qz-console-page" data-testid="powers-page">
      <Typography.Title level={3}>{t('powers.title')}</Typography.Title>
      <Card size="small" className="qz-filter">
        <Form form={form} layout="inline" initialValues={filters} onFinish={apply}>
          <Form.Item name="q" label={t('powers.q')} rules={[{ max: 100, message: t('login.tooLong', { max: 100 }) }]}>
            <Input allowClear style={{ width: 220 }} placeholder={t('powers.qPlaceholder')} data-testid="powers-q" />
          </Form.Item>
          <Form.Item name="kind" label={t('field.kind')}>
            <Select
              style={{ width: 140 }}
              data-testid="powers-kind"
              options={[{ value: '', label: t('catalogue.allKinds') }, ...POWER_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))]}
            />
          </Form.Item>
          <Form.Item name="department" label={t('field.originating_department')} rules={[{ max: 100, message: t('login.tooLong', { max: 100 }) }]}>
            <Input allowClear style={{ width: 180 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="powers-search">
                {t('regions.search')}
              </Button>
              <Button
                onClick={() => {
                  form.setFieldsValue({ q: '', kind: '', department: '' });
                  setParams(new URLSearchParams());
                }}
              >
                {t('regions.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <Space className="qz-toolbar">
          {manage && (
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="powers-import">
              {t('powers.import')}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} onClick={exportCsv} loading={exporting !== null} data-testid="powers-export">
            {exporting ? t('powers.exporting', { n: exporting.done }) : t('powers.export')}
          </Button>
        </Space>
      </Card>

      {list.error !== null && <ProblemAlert error={list.error} />}
      <div data-testid="powers-list" data-state={list.loading ? 'loading' : list.error !== null ? 'error' : 'ready'}>
        <Table<PowerRow>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="powers-table"
        />
      </div>
      <div className="qz-pager">
        <Space>
          <Button icon={<LeftOutlined />} disabled={list.page === 0 || list.loading} onClick={list.prev}>
            {t('regions.prev')}
          </Button>
          <span>{t('regions.page', { page: list.page + 1 })}</span>
          <Button disabled={!list.hasNext || list.loading} onClick={list.next} data-testid="powers-next">
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

      <Drawer open={openCode !== null} onClose={() => setOpenCode(null)} width={860} title={openCode} destroyOnHidden>
        {openCode && <PowerDrawerBody code={openCode} />}
      </Drawer>
      <ImportModal
        open={importOpen}
        onClose={(changed) => {
          setImportOpen(false);
          if (changed) list.reload();
        }}
      />
    </div>
  );
}

function PowerDrawerBody({ code }: { code: string }) {
  const session = useSession();
  const p = useFetch(`power|${code}`, (signal) => getPower(code, undefined, signal), { onUnauthorized: session.expire });
  if (p.error !== null) return <ProblemAlert error={p.error} />;
  if (!p.data) return null;
  return <PowerDetail power={p.data} />;
}

export function ImportModal({ open, onClose }: { open: boolean; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  const reset = () => {
    setFile(null);
    setResult(null);
    setError(null);
    setLocalError(null);
  };

  const submit = async () => {
    setError(null);
    setResult(null);
    if (!file) {
      setLocalError(t('import.pickFile'));
      return;
    }
    const name = file.name.toLowerCase();
    if (name.endsWith('.xlsx') || name.endsWith('.xls')) {
      setLocalError(t('import.noXlsx'));
      return;
    }
    if (!name.endsWith('.csv') && !name.endsWith('.json')) {
      setLocalError(t('import.badType'));
      return;
    }
    if (file.size > 32 * 1024 * 1024) {
      setLocalError(t('import.tooBig'));
      return;
    }
    setLocalError(null);
    setBusy(true);
    try {
      setResult(await importPowers(file, name.endsWith('.json') ? 'application/json' : 'text/csv'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('powers.import')}
      width={820}
      onCancel={() => {
        const changed = result !== null;
        reset();
        onClose(changed);
      }}
      footer={
        result ? (
          <Button
            type="primary"
            onClick={() => {
              reset();
              onClose(true);
            }}
          >
            {t('common.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={submit} data-testid="import-submit">
              {t('import.submit')}
            </Button>
          </Space>
        )
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('import.help')}</Typography.Paragraph>
      {!result && (
        <Upload.Dragger
          accept=".csv,.json,text/csv,application/json"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setLocalError(null);
            setError(null);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: 'f', name: file.name, status: 'done' }] : []}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('import.drop')}</p>
        </Upload.Dragger>
      )}
      {localError && <Alert type="error" showIcon message={localError} style={{ marginTop: 12 }} data-testid="import-local-error" />}
      {busy && (
        <div className="qz-section" data-testid="import-progress">
          <Progress percent={100} status="active" showInfo={false} />
          <Typography.Text type="secondary">{t('import.running')}</Typography.Text>
        </div>
      )}
      {error !== null && (
        <div className="qz-section">
          <ProblemAlert error={error} title={t('import.failed')} testId="import-error" />
        </div>
      )}
      {result && (
        <Result
          status="success"
          title={t('import.done')}
          subTitle={t('import.summary', { added: result.added, updated: result.updated, unchanged: result.unchanged, total: result.total })}
          extra={result.receipt ? <span className="qz-mono">{t('common.receipt', { n: result.receipt.index })}</span> : null}
          data-testid="import-result"
        />
      )}
    </Modal>
  );
}
