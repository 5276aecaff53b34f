// @vitest-environment jsdom
// Case pages: the step form driven by next_steps, and the server's refusals
// (authority findings as a ✓/✗ checklist, failing guards); the new-case form's
// validation.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { AppProviders } from '../AppProviders';
import { SessionProvider } from '../session/SessionProvider';
import { mockApi, problem } from '../test/mockApi';
import { NewCaseModal } from './CasesPage';
import { StepForm } from './CasePage';
import type { CaseDetail, CaseOfficer, NextStep } from '../lib/endpoints';

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

vi.setConfig({ testTimeout: 30_000 });
afterEach(() => vi.unstubAllGlobals());

const SESSION = {
  'GET /api/v1/session': { body: { user: { id: 7, name: 'qiaotou.clerk', role: 'town_officer', scope: '990121101' }, csrf_token: 'tok' } },
};

const grantStep: NextStep = {
  code: 'grant',
  label_zh: '准予许可',
  label_en: 'Grant the licence',
  min_officers: 1,
  certificate: false,
  leader: true,
  legal_reviewer: false,
  enforcement: false,
  decision: true,
  reason: false,
  documents: ['license_decision'],
  missing_documents: ['license_decision'],
  facts: [],
  missing_steps: [],
  outcome: 'granted',
};

const kase = {
  id: 2033,
  town_code: '990121101',
  power_code: 'XK-11-0004',
  power_name: '文艺表演团体设立审批',
  power_kind: 'licensing',
  procedure: 'licensing',
  procedure_version: 1,
  origin: 'online',
  party: '欧阳**',
  party_kind: 'natural_person',
  state: 'reviewed',
  state_label: '已审查',
  terminal: false,
  outcome: '',
  opened_on: '2026-11-28',
  closed_on: null,
  deadline: '2026-12-11',
  clock_status: 'running',
  clocks: [],
  handler_id: 25,
  agency_id: 3,
  receipt_code: 'GRFJ-MZU6-SCR7',
  summary: '',
  documents: ['acceptance_receipt', 'review_opinion'],
  facts: [],
  files: [],
  steps: [],
  next_steps: [grantStep],
  decision: null,
  disclosure: null,
} as unknown as CaseDetail;

const officers: CaseOfficer[] = [
  { id: 23, name: '蔡建涛', post: '局长岗', agency_id: 3, active: true, is_leader: true, legal_reviewer: false, certificate_valid: false, certificate_valid_to: '' },
  { id: 25, name: '吴悦娜', post: '审批岗', agency_id: 3, active: true, is_leader: false, legal_reviewer: false, certificate_valid: false, certificate_valid_to: '' },
];

const denied = problem(403, 'authority_denied', '无法定授权，不得执行：吴悦娜不是负责人', 'no legal authority for this act', {
  findings: [
    { code: 'grant_effective', ok: true, message_zh: '990121101已被赋予事项 XK-11-0004，赋权已生效', message_en: 'granted and effective' },
    { code: 'leader', ok: false, message_zh: '吴悦娜不是负责人，不得执行此步骤', message_en: '吴悦娜 is not a leader' },
  ],
});

describe('StepForm', () => {
  it('highlights missing documents and shows a denial as a checklist of facts', async () => {
    const { calls } = mockApi({ ...SESSION, 'POST /api/v1/cases/2033/steps': denied });
    const user = wrap(<StepForm k={kase} officers={officers} myPersonId={25} onDone={() => {}} />);
    const doc = await screen.findByTestId('doc-license_decision');
    expect(doc).toHaveAttribute('data-missing', 'true');
    expect(doc).toHaveTextContent('准予行政许可决定书 缺少');
    expect(screen.getByTestId('step-requires')).toHaveTextContent('须负责人');

    // The decision content is required before anything is sent.
    await user.click(screen.getByTestId('step-submit'));
    expect(await screen.findByText('此项必填')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.click(doc);
    await user.type(screen.getByTestId('decision-content'), '准予许可');
    await user.click(screen.getByTestId('step-submit'));
    const err = await screen.findByTestId('step-error');
    const list = within(err).getByTestId('problem-findings');
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveAttribute('data-ok', 'true');
    expect(items[0]).toHaveTextContent('✓');
    expect(items[1]).toHaveAttribute('data-ok', 'false');
    expect(items[1]).toHaveTextContent('✗吴悦娜不是负责人');
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toMatchObject({ step: 'grant', officers: [25], documents: ['license_decision'], decision: { content: '准予许可' } });
  });

  it('lists every failing guard of a 409', async () => {
    mockApi({
      ...SESSION,
      'POST /api/v1/cases/2033/steps': problem(409, 'rule_violation', '不满足“准予许可”的条件：缺少文书', 'step refused', {
        failures: [{ guard: 'documents', item: 'license_decision', message_zh: '缺少文书：license_decision', message_en: 'document missing' }],
      }),
    });
    const user = wrap(<StepForm k={kase} officers={officers} myPersonId={25} onDone={() => {}} />);
    await user.type(await screen.findByTestId('decision-content'), '准予许可');
    await user.click(screen.getByTestId('step-submit'));
    const failures = await screen.findByTestId('problem-failures');
    expect(failures).toHaveTextContent('缺少文书：license_decision');
    expect(screen.getByTestId('step-error')).toHaveTextContent('不满足“准予许可”的条件');
  });

  it('shows the allowed range of a penalty tier and warns outside it', async () => {
    const decide: NextStep = { ...grantStep, code: 'decide', label_zh: '作出行政处罚决定', leader: true, documents: ['penalty_decision'], missing_documents: [] };
    const penalty = { ...kase, power_code: 'CF-04-0009', procedure: 'penalty_general', power_kind: 'penalty', next_steps: [decide] } as unknown as CaseDetail;
    const disc = {
      power_code: 'CF-04-0009',
      scheme: 'five_tier',
      basis: '产品质量法第五十条',
      violation: '以次充好',
      tiers: [{ code: 'general', label_zh: '一般', circumstances: '无从轻、从重情节', no_penalty: false }],
    };
    const m = mockApi({
      ...SESSION,
      'GET /api/v1/public/discretion/CF-04-0009': (c) => ({
        body: c.url.includes('tier=general') ? { ...disc, range: { tier: 'general', min_fen: 125000, max_fen: 225000 } } : disc,
      }),
    });
    const user = wrap(<StepForm k={penalty} officers={officers} myPersonId={23} onDone={() => {}} />);
    await screen.findByTestId('discretion-helper');
    fireEvent.mouseDown(await screen.findByLabelText('裁量档次'));
    const option = await screen.findByText(/一般 — 无从轻/, { selector: '.ant-select-item-option-content' });
    await user.click(option);
    await user.type(screen.getByTestId('decision-base').querySelector('input') ?? screen.getByTestId('decision-base'), '1000');
    await user.type(screen.getByTestId('decision-amount').querySelector('input') ?? screen.getByTestId('decision-amount'), '5000');
    await waitFor(() => expect(m.calls.map((c) => c.url).join(' ')).toContain('tier=general'));
    const range = await screen.findByTestId('discretion-range');
    await waitFor(() => expect(range).toHaveAttribute('data-outside', 'true'));
    expect(range).toHaveTextContent('1,250.00 元');
    expect(range).toHaveTextContent('超出裁量范围');
  });
});

describe('NewCaseModal', () => {
  it('validates before sending', async () => {
    const { calls } = mockApi({
      ...SESSION,
      'GET /api/v1/public/towns/990121101/catalogue': { body: { items: [], town_code: '990121101' } },
    });
    wrap(<NewCaseModal open towns={[{ code: '990121101', name: '桥头镇' }]} defaultTown="990121101" onClose={() => {}} />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('new-case-submit'));
    expect((await screen.findAllByText('此项必填')).length).toBeGreaterThanOrEqual(2);
    await user.type(screen.getByTestId('new-case-id'), '12#');
    expect(await screen.findByText('证件号码格式不正确')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });
});
