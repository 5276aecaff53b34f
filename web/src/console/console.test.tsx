// @vitest-environment jsdom
// Console forms: validation before sending, and the server's problem+json
// (with its row errors, open items or violations) shown to the user.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { AppProviders } from '../AppProviders';
import { SessionProvider } from '../session/SessionProvider';
import { ADMIN_SESSION, mockApi, problem } from '../test/mockApi';
import { GrantPanel } from './GrantsPage';
import { ImportModal } from './PowersPage';
import { QuotaModal } from './OrganisationPage';
import { NewUserModal } from './UsersPage';
import type { Agency, Grant } from '../lib/endpoints';

function wrap(node: ReactNode) {
  render(
    <AppProviders lang="zh">
      <SessionProvider>
        <App>
          <MemoryRouter>{node}</MemoryRouter>
        </App>
      </SessionProvider>
    </AppProviders>,
  );
  return userEvent.setup({ applyAccept: false });
}

// antd forms in jsdom are slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => vi.unstubAllGlobals());

const grant: Grant = {
  id: 1797,
  power_code: 'QR-01-0001',
  power_name: '农村宅基地使用权确认',
  kind: 'confirmation',
  department: '县自然资源局',
  town_code: '990121101',
  town_name: '桥头镇',
  county_code: '990121',
  batch_id: 1,
  mode: 'delegation',
  decision_doc: { issuer: '', number: '', title: '', date: '' },
  readiness: [
    { key: 'staff_trained', done: true, note: '', done_at: '2026-01-15' },
    { key: 'system_access', done: false, note: '', done_at: null },
    { key: 'network_port', done: false, note: '', done_at: null },
    { key: 'guidance_contact', done: false, note: '', done_at: null },
  ],
  open_items: ['system_access', 'network_port', 'guidance_contact'],
  state: 'proposed',
  allowed_actions: ['mark_ready', 'revoke'],
  valid_from: '2026-02-01',
  valid_to: null,
  next_evaluation: null,
  state_reason: '',
};

describe('GrantPanel', () => {
  it('shows a refused transition with the open readiness items', async () => {
    const { calls } = mockApi({
      ...ADMIN_SESSION,
      'GET /api/v1/grants/1797': { body: grant },
      'POST /api/v1/grants/1797/transitions': problem(
        409,
        'conflict',
        '赋权1797不能确认具备承接条件：承接准备事项未完成（业务系统权限开通、网络端口接通、部门业务指导联系人明确）',
        'grant 1797 cannot mark_ready: readiness items still open',
        { open_items: ['system_access', 'network_port', 'guidance_contact'] },
      ),
    });
    const user = wrap(<GrantPanel id={1797} manage />);
    await user.click(await screen.findByTestId('action-mark_ready'));
    const err = await screen.findByTestId('grant-error');
    expect(err).toHaveTextContent('操作被拒绝');
    expect(err).toHaveTextContent('承接准备事项未完成');
    expect(within(err).getByText('业务系统权限开通')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ action: 'mark_ready' });
  });

  it('saves the readiness checklist, then moves the grant on', async () => {
    const { calls } = mockApi({
      ...ADMIN_SESSION,
      'GET /api/v1/grants/1797': { body: grant },
      'PATCH /api/v1/grants/1797/readiness': {
        body: { ...grant, open_items: [], readiness: grant.readiness.map((r) => ({ ...r, done: true, done_at: '2026-11-28' })) },
      },
      'POST /api/v1/grants/1797/transitions': { body: { ...grant, open_items: [], state: 'ready', allowed_actions: ['make_effective', 'revoke'] } },
    });
    const user = wrap(<GrantPanel id={1797} manage />);
    for (const k of ['system_access', 'network_port', 'guidance_contact']) await user.click(await screen.findByTestId(`readiness-${k}`));
    await user.click(screen.getByTestId('readiness-save'));
    expect(await screen.findByTestId('grant-notice')).toHaveTextContent('承接准备情况已保存');
    const patch = calls.find((c) => c.method === 'PATCH');
    expect((patch?.body as { items: { key: string; done: boolean }[] }).items.map((i) => [i.key, i.done])).toEqual([
      ['system_access', true],
      ['network_port', true],
      ['guidance_contact', true],
    ]);
    expect(patch?.url).toBeDefined();
    await user.click(screen.getByTestId('action-mark_ready'));
    await waitFor(() => expect(screen.getByTestId('grant-panel')).toHaveAttribute('data-grant-state', 'ready'));
    expect(screen.getByTestId('action-make_effective')).toBeInTheDocument();
  });

  it('does not send make_effective without a decision document', async () => {
    const { calls } = mockApi({
      ...ADMIN_SESSION,
      'GET /api/v1/grants/1797': { body: { ...grant, state: 'ready', open_items: [], allowed_actions: ['make_effective', 'revoke'] } },
    });
    const user = wrap(<GrantPanel id={1797} manage />);
    await user.click(await screen.findByTestId('action-make_effective'));
    await user.clear(screen.getByTestId('transition-on-date'));
    await user.type(screen.getByTestId('transition-on-date'), '2026/11/28');
    await user.click(screen.getByTestId('transition-submit'));
    expect(await screen.findByText('日期格式应为 YYYY-MM-DD')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText('此项必填').length).toBeGreaterThanOrEqual(3));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });
});

describe('ImportModal', () => {
  it('checks the file before sending', async () => {
    const { calls } = mockApi({ ...ADMIN_SESSION });
    const user = wrap(<ImportModal open onClose={() => {}} />);
    await user.click(await screen.findByTestId('import-submit'));
    expect(await screen.findByTestId('import-local-error')).toHaveTextContent('请选择要导入的文件');
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    await user.upload(input, new File(['x'], 'catalogue.xlsx'));
    await user.click(screen.getByTestId('import-submit'));
    expect(await screen.findByTestId('import-local-error')).toHaveTextContent('另存为 CSV');
    expect(calls.filter((c) => c.path.includes('powers/import'))).toHaveLength(0);
  });

  it('shows every bad row of a refused import in a table', async () => {
    const { calls } = mockApi({
      ...ADMIN_SESSION,
      'POST /api/v1/powers/import': problem(422, 'validation_failed', '导入失败：共1行有问题（第2行），未导入任何事项', 'import failed', {
        bad_rows: 1,
        errors: [
          { row: 2, column: '事项类型', column_letter: 'C', reason_zh: '未知的事项类型：行政审批', reason_en: 'unknown power kind: 行政审批' },
          { row: 2, column: '承诺时限', column_letter: 'G', reason_zh: '承诺时限（20）不能超过法定时限（10）', reason_en: 'promised > statutory' },
        ],
      }),
    });
    const user = wrap(<ImportModal open onClose={() => {}} />);
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    await user.upload(input, new File(['事项编码\r\n'], 'bad.csv', { type: 'text/csv' }));
    await user.click(screen.getByTestId('import-submit'));
    const err = await screen.findByTestId('import-error');
    expect(err).toHaveTextContent('未导入任何事项');
    const table = within(err).getByTestId('import-errors');
    expect(table.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(table).toHaveTextContent('未知的事项类型：行政审批');
    expect(table).toHaveTextContent('G');
    const sent = calls.find((c) => c.path.endsWith('powers/import'));
    expect(sent?.method).toBe('POST');
  });
});

const agency: Agency = {
  id: 4,
  town_code: '990121101',
  name: '综合行政执法局',
  nameplates: ['安全生产监督管理办公室'],
  kind: 'integrated',
  kind_zh: '党政综合办事机构',
  rank: 'township_deputy',
  rank_zh: '副科级',
  functions: '',
  approving_authority: '清河县机构编制委员会',
  approval_doc: '清编〔2020〕25号',
  approving_level: 'county',
  parent_department: '',
  localised: false,
  town_assessment_weight: 0,
  quotas: [{ kind: 'administrative', kind_zh: '行政编制', approved: 21, actual: 21 }],
  headcount: { approved: 21, actual: 21 },
  leadership_posts: [],
};

describe('QuotaModal', () => {
  it('needs an approval document', async () => {
    const { calls } = mockApi({ ...ADMIN_SESSION });
    const user = wrap(<QuotaModal agency={agency} open onClose={() => {}} />);
    await user.click(await screen.findByTestId('quota-submit'));
    expect(await screen.findByText('此项必填')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('shows a refused change with every violation and its basis', async () => {
    const { calls } = mockApi({
      ...ADMIN_SESSION,
      'POST /api/v1/staffing/changes': problem(
        409,
        'rule_violation',
        '变更被拒绝：将新增 1 项违规（编制总量只减不增）。变更后本镇行政编制总额由 126 名增至 135 名；编制总量只减不增',
        'Change refused',
        {
          violations: [
            {
              rule: 'quota_total_increase',
              rule_zh: '编制总量只减不增',
              basis_zh: '经济发达镇改革意见（只减不增）',
              agency_id: 0,
              person_id: 0,
              subject: 'administrative',
              excess: 9,
              evidence_zh: '变更后本镇行政编制总额由 126 名增至 135 名；编制总量只减不增',
              evidence_en: 'The change raises the total',
            },
          ],
        },
      ),
    });
    const onClose = vi.fn();
    const user = wrap(<QuotaModal agency={agency} open onClose={onClose} />);
    const count = await screen.findByTestId('quota-count');
    await user.clear(count);
    await user.type(count, '30');
    await user.type(screen.getByTestId('quota-doc'), '清编〔2026〕99号');
    await user.click(screen.getByTestId('quota-submit'));
    const err = await screen.findByTestId('change-error');
    expect(err).toHaveTextContent('变更被拒绝');
    const v = within(err).getByTestId('problem-violations');
    expect(v).toHaveTextContent('编制总量只减不增');
    expect(v).toHaveTextContent('由 126 名增至 135 名');
    expect(v).toHaveTextContent('经济发达镇改革意见');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      type: 'adjust_quota',
      quotas: [{ agency: 4, kind: 'administrative', count: 30 }],
      approval: { doc: '清编〔2026〕99号' },
    });
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('NewUserModal', () => {
  it('validates the name, the password and its confirmation before sending', async () => {
    const { calls } = mockApi({ ...ADMIN_SESSION });
    const user = wrap(<NewUserModal open onClose={() => {}} />);
    await user.type(await screen.findByTestId('user-name'), 'Bad Name');
    await user.type(screen.getByTestId('user-password'), 'short');
    await user.type(screen.getByTestId('user-confirm'), 'other');
    await user.click(screen.getByRole('button', { name: /提\s*交/ }));
    expect(await screen.findByText(/账号名须为 2–64 个小写字母/)).toBeInTheDocument();
    expect(screen.getByText('密码至少 10 个字符')).toBeInTheDocument();
    expect(screen.getByText('两次输入的密码不一致')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });
});
