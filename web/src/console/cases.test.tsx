// @vitest-environment jsdom
// Case pages: the step form driven by next_steps, and the server's refusals
// (authority findings as a ✓/✗ checklist, failing guards); the new-case form's
// validation.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter as Router, Route, Routes } from 'react-router';
import { AppProviders } from '../AppProviders';
import { SessionProvider } from '../session/SessionProvider';
import { mockApi, problem } from '../test/mockApi';
import { NewCaseModal } from './CasesPage';
import CasePage, { StepForm } from './CasePage';
import type { CaseDetail, CaseOfficer, NextStep } from '../lib/endpoints';
import { todayInChina } from '../lib/dates';

function wrap(node: ReactNode) {
  render(
    <AppProviders lang="zh">
      <SessionProvider>
        <App>
          <Router>{node}</Router>
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

// --- issue 13: lawful outcomes -------------------------------------------------------

const PROCEDURES = {
  'GET /api/v1/procedures': {
    body: {
      max_backdate_days: 3,
      items: [
        {
          id: 'penalty_general',
          version: 1,
          name_zh: '行政处罚普通程序',
          name_en: 'x',
          states: [],
          steps: [],
          limits: null,
          clocks: [{ id: 'decision', label_zh: '作出处罚决定期限', label_en: 'Decision', limit_days: 90, unit: 'calendar', statutory: true, waiting: false, party_duty: false }],
        },
        {
          id: 'penalty_summary',
          version: 1,
          name_zh: '行政处罚简易程序',
          name_en: 'x',
          states: [],
          steps: [],
          limits: { natural_person_fen: 20000, organisation_fen: 300000, collect_on_spot_fen: 10000 },
        },
      ],
    },
  },
};

const penaltyStep = (o: Partial<NextStep>): NextStep => ({ ...grantStep, leader: false, decision: false, outcome: '', documents: [], missing_documents: [], evidence_facts: [], records: '', ...o });
const penaltyCase = (o: Partial<CaseDetail>) =>
  ({ ...kase, power_code: 'CF-04-0005', procedure: 'penalty_general', power_kind: 'penalty', party: '松岭建材有限公司', party_kind: 'organisation', ...o }) as unknown as CaseDetail;

function daysBefore(iso: string, n: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

const inputOf = (el: HTMLElement) => (el.tagName === 'INPUT' ? el : (el.querySelector('input') ?? el));

describe('StepForm: the step’s typed records', () => {
  it('at open_case asks the violation dates; serious harm needs a written reason', async () => {
    const open = penaltyStep({ code: 'open_case', label_zh: '立案', records: 'violation', documents: ['case_filing_form'], missing_documents: ['case_filing_form'] });
    const { calls } = mockApi({ ...SESSION, ...PROCEDURES, 'POST /api/v1/cases/2033/steps': { body: { case_id: 2033, step: 'open_case', state: 'opened' } } });
    const user = wrap(<StepForm k={penaltyCase({ state: 'lead', next_steps: [open] })} officers={officers} myPersonId={23} onDone={() => {}} />);
    await screen.findByTestId('violation-section');
    expect(screen.getByTestId('violation-note')).toHaveTextContent('2 年内未被发现');
    // No facts may be asserted at this step: no fact boxes at all.
    expect(screen.queryByText('重大案件')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('step-submit'));
    expect((await screen.findAllByText('此项必填')).length).toBeGreaterThanOrEqual(2);
    fireEvent.change(screen.getByTestId('violation-committed'), { target: { value: '2026-09-01' } });
    fireEvent.change(screen.getByTestId('violation-discovered'), { target: { value: '2026-08-01' } });
    await user.click(screen.getByTestId('step-submit'));
    expect(await screen.findByText('发现日期不能早于违法行为日期')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('violation-discovered'), { target: { value: '2026-11-20' } });
    await user.click(screen.getByTestId('violation-serious'));
    expect(await screen.findByText(/适用五年追责期须在下方“理由”中写明/)).toBeInTheDocument();
    await user.click(screen.getByTestId('step-submit'));
    expect(await screen.findByText('须写明理由')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.type(screen.getByTestId('step-reason'), '涉及食品安全，造成多人腹泻');
    await user.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      step: 'open_case',
      officers: [23],
      reason: '涉及食品安全，造成多人腹泻',
      violation: { committed_on: '2026-09-01', discovered_on: '2026-11-20', serious_harm: true },
    });
  });

  it('a date before today needs a backdate reason and names the limit', async () => {
    const review = penaltyStep({ code: 'review', label_zh: '审查调查结果', evidence_facts: ['major_case'] });
    const { calls } = mockApi({
      ...SESSION,
      ...PROCEDURES,
      'POST /api/v1/cases/2033/steps': problem(409, 'rule_violation', '步骤日期最多可早于登记日3个工作日（本步骤早4个工作日）', 'too far back', { guard: 'backdate', working_days: 4 }),
    });
    const user = wrap(<StepForm k={penaltyCase({ state: 'investigated', next_steps: [review] })} officers={officers} myPersonId={23} onDone={() => {}} />);
    const on = await screen.findByTestId('step-on');
    const today = todayInChina();
    expect(on).toHaveValue(today);
    // The step's evidence facts, and only those, can be ticked.
    expect(within(screen.getByTestId('step-facts')).getAllByRole('checkbox')).toHaveLength(1);
    expect(screen.getByTestId('step-facts')).toHaveTextContent('重大案件');
    expect(screen.queryByTestId('step-backdate-reason')).not.toBeInTheDocument();

    const earlier = daysBefore(today, 2);
    fireEvent.change(on, { target: { value: earlier } });
    const hint = await screen.findByTestId('step-backdate-hint');
    await waitFor(() => expect(hint).toHaveTextContent('最多可补录 3 个工作日'));
    await user.click(screen.getByTestId('step-submit'));
    expect(await screen.findByText('早于今天的日期须写明补录理由')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.type(screen.getByTestId('step-backdate-reason'), '当日系统停机，次日补录');
    await user.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ step: 'review', on: earlier, backdate_reason: '当日系统停机，次日补录' });
    // The refusal names its rule in words.
    const guard = await screen.findByTestId('problem-guard');
    expect(guard).toHaveAttribute('data-guard', 'backdate');
    expect(guard).toHaveTextContent('补录：须写明补录理由，且不得超过补录期限');
    expect(screen.getByTestId('step-error')).toHaveTextContent('本步骤早4个工作日');

    // A future date is refused in the form.
    fireEvent.change(on, { target: { value: '2999-01-01' } });
    await user.click(screen.getByTestId('step-submit'));
    expect(await screen.findByText('办理日期不能晚于今天')).toBeInTheDocument();
  });

  it('the notice states the proposed penalty and the hearing rule; amounts go out in fen', async () => {
    const notify = penaltyStep({ code: 'notify', label_zh: '告知拟处罚', records: 'proposal', documents: ['penalty_notice'], missing_documents: ['penalty_notice'] });
    const disc = {
      power_code: 'CF-04-0005',
      scheme: 'four_tier',
      basis: '食品安全法第一百二十六条',
      violation: '未按规定查验进货',
      tiers: [{ code: 'general', label_zh: '一般', circumstances: '数量小', min_fen: 500000, max_fen: 1850000, no_penalty: false }],
    };
    const { calls } = mockApi({
      ...SESSION,
      ...PROCEDURES,
      'GET /api/v1/public/discretion/CF-04-0005': (c) => ({ body: c.url.includes('tier=general') ? { ...disc, range: { tier: 'general', min_fen: 500000, max_fen: 1850000 } } : disc }),
      'POST /api/v1/cases/2033/steps': problem(422, 'validation_failed', '拟罚款超出法定幅度', 'outside the statutory range', { guard: 'statutory_range' }),
    });
    const user = wrap(<StepForm k={penaltyCase({ state: 'reviewed', next_steps: [notify] })} officers={officers} myPersonId={23} onDone={() => {}} />);
    const section = await screen.findByTestId('proposal-section');
    expect(section).toHaveTextContent('拟作出的行政处罚（告知书载明）');
    expect(screen.getByTestId('hearing-threshold')).toHaveTextContent('5 个工作日内申请听证');
    expect(screen.queryByTestId('decision-content')).not.toBeInTheDocument();
    fireEvent.mouseDown(await screen.findByLabelText('裁量档次'));
    await user.click(await screen.findByText(/一般 — 数量小/, { selector: '.ant-select-item-option-content' }));
    await user.type(inputOf(screen.getByTestId('decision-amount')), '12000.5');
    await user.type(inputOf(screen.getByTestId('decision-confiscation')), '300');
    await user.click(screen.getByTestId('doc-penalty_notice'));
    await user.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    const body = calls.find((c) => c.method === 'POST')?.body as Record<string, unknown>;
    expect(body).toMatchObject({ step: 'notify', documents: ['penalty_notice'], proposal: { tier: 'general', amount_fen: 1200050, confiscation_fen: 30000 } });
    expect(body.decision).toBeUndefined();
    const guard = await screen.findByTestId('problem-guard');
    expect(guard).toHaveTextContent('超出法定处罚幅度');
  });

  it('an on-the-spot collection needs the receipt number and shows the cap', async () => {
    const collect = penaltyStep({ code: 'collect_on_spot', label_zh: '当场收缴罚款', records: 'collection', documents: ['fine_receipt'], missing_documents: ['fine_receipt'] });
    const { calls } = mockApi({ ...SESSION, ...PROCEDURES, 'POST /api/v1/cases/2033/steps': { body: { case_id: 2033, step: 'collect_on_spot', state: 'served' } } });
    const user = wrap(
      <StepForm k={penaltyCase({ procedure: 'penalty_summary', state: 'served', fine_fen: 5000, next_steps: [collect] })} officers={officers} myPersonId={23} onDone={() => {}} />,
    );
    const section = await screen.findByTestId('collection-section');
    expect(section).toHaveTextContent('50.00 元');
    expect(await screen.findByTestId('collection-cap')).toHaveTextContent('100.00 元');
    expect(screen.getByText('省级财政部门统一制发的专用票据号码（行政处罚法第七十条）')).toBeInTheDocument();
    await user.click(screen.getByTestId('step-submit'));
    expect(await screen.findByText('此项必填')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    await user.type(screen.getByTestId('collection-receipt'), 'JX2026-000123');
    await user.click(screen.getByTestId('step-submit'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ step: 'collect_on_spot', receipt_number: 'JX2026-000123' });
  });

  it('explains an all_leaders denial and names the guards of a 409', async () => {
    const discuss = penaltyStep({ code: 'collective_discussion', label_zh: '集体讨论', all_leaders: true });
    let n = 0;
    mockApi({
      ...SESSION,
      ...PROCEDURES,
      'POST /api/v1/cases/2033/steps': () =>
        n++ === 0
          ? problem(403, 'authority_denied', '无法定授权，不得执行：吴悦娜不是负责人', 'x', {
              findings: [{ code: 'all_leaders', ok: false, message_zh: '吴悦娜不是负责人', message_en: 'not a head' }],
            })
          : problem(409, 'rule_violation', '不满足条件', 'x', {
              failures: [{ guard: 'separation', item: 'investigate', message_zh: '主持人参加过调查', message_en: 'took part' }],
            }),
    });
    const user = wrap(<StepForm k={penaltyCase({ state: 'reviewed', next_steps: [discuss] })} officers={officers} myPersonId={23} onDone={() => {}} />);
    expect(await screen.findByTestId('step-requires')).toHaveTextContent('参加人员须全部为负责人');
    await user.click(screen.getByTestId('step-submit'));
    const findings = await screen.findByTestId('problem-findings');
    expect(findings).toHaveTextContent('吴悦娜不是负责人（集体讨论的参加人员须全部为行政机关负责人）');
    await user.click(screen.getByTestId('step-submit'));
    const failures = await screen.findByTestId('problem-failures');
    expect(within(failures).getByRole('listitem')).toHaveAttribute('data-guard', 'separation');
    expect(failures).toHaveTextContent('职能分离');
    expect(failures).toHaveTextContent('主持人参加过调查');
  });
});

describe('CasePage: flags, typed records, clocks, appeal', () => {
  const detail = {
    ...penaltyCase({}),
    id: 856,
    state: 'served',
    state_label: '已送达',
    facts: ['fine_imposed', 'hearing_rights_notified', 'hearing_waived', 'party_notified', 'penalty_imposed'],
    flags: ['backdated'],
    violation: { committed_on: '2026-09-24', discovered_on: '2026-11-10', serious_harm: false },
    proposal: { tier: 'general', amount_fen: 4100000, confiscation_fen: 0, licence_revoked_or_closure: false },
    fine_fen: 4100000,
    late_payment: { days_late: 3, surcharge_fen: 369000, basis: '行政处罚法第七十二条' },
    clocks: [
      { id: 'decision', label_zh: '作出处罚决定期限', label_en: 'Decision', status: 'year_not_loaded', error: '2027年的节假日安排尚未载入 / No holiday schedule is loaded for 2027' },
      { id: 'hearing_request', label_zh: '当事人申请听证期限', label_en: 'Hearing request', deadline: '2026-11-27', limit_days: 5, unit: 'working', used_days: 6, left_days: -1, excluded_days: 0, extension_days: 0, extensions: 0, status: 'stopped_on_time', statutory: true, suspended: false, waiting: true, party_duty: false },
      { id: 'service', label_zh: '决定书送达期限', label_en: 'Service', deadline: '2026-12-09', limit_days: 7, unit: 'working', used_days: 2, left_days: 5, excluded_days: 0, extension_days: 0, extensions: 0, status: 'stopped_on_time', statutory: true, suspended: false, waiting: false, party_duty: false },
      { id: 'payment', label_zh: '缴纳罚款期限', label_en: 'Payment', deadline: '2026-12-04', limit_days: 15, unit: 'calendar', used_days: 18, left_days: -3, excluded_days: 0, extension_days: 0, extensions: 0, status: 'red', statutory: true, suspended: false, waiting: false, party_duty: true, late_payment: { days_late: 3, surcharge_fen: 369000, basis: '第七十二条' } },
    ],
    steps: [
      { seq: 1, step: 'open_case', label_zh: '立案', label_en: 'Open', on: '2026-11-11', performer_id: 39, detail: { documents: ['case_filing_form'], backdated: { reason: '当日停电', recorded_on: '2026-11-12' } }, receipt: { index: 5 } },
    ],
    decision: { outcome: 'penalty', decided_on: '2026-11-30', amount_fen: 4100000, tier: 'general', appeal: { pending: true, note_zh: '行政复议、行政诉讼期限自决定书送达之日起计算', note_en: 'from service' } },
    disclosure: { title: '行政处罚决定', due_on: null, due_flag: '2027年的节假日安排尚未载入，无法计算 / No holiday schedule is loaded for 2027', late: false, published_on: null, withdrawn_on: null, withdraw_reason: '' },
    next_steps: [],
  };

  function renderCase(body: unknown) {
    mockApi({
      ...SESSION,
      ...PROCEDURES,
      'GET /api/v1/cases/856': { body },
      'GET /api/v1/cases/856/officers': { body: { case_id: 856, items: officers } },
      'GET /api/v1/me': { body: { user: { id: 7, name: 'qiaotou.chief', role: 'town_officer', scope: '990121101' }, person: null } },
    });
    render(
      <AppProviders lang="zh">
        <SessionProvider>
          <App>
            <Router initialEntries={['/console/cases/856']}>
              <Routes>
                <Route path="/console/cases/:id" element={<CasePage />} />
              </Routes>
            </Router>
          </App>
        </SessionProvider>
      </AppProviders>,
    );
  }

  it('shows the flags, the violation, the proposal, the late payment and the clocks by kind', async () => {
    renderCase(detail);
    const flags = await screen.findByTestId('case-flags');
    expect(within(flags).getByText('补录')).toHaveAttribute('data-flag', 'backdated');
    expect(flags).toHaveTextContent('放弃听证');
    expect(flags).toHaveTextContent('逾期缴款：逾期 3 日，加处罚款 3,690.00 元');
    expect(flags).toHaveTextContent('当事人责任，不追究承办人');
    expect(screen.getByTestId('case-committed-on')).toHaveTextContent('2026-09-24');
    expect(screen.getByTestId('case-discovered-on')).toHaveTextContent('2026-11-10');
    expect(screen.getByTestId('case-proposal')).toHaveTextContent('一般');
    expect(screen.getByTestId('case-proposal')).toHaveTextContent('41,000.00 元');
    expect(screen.getByTestId('case-proposal')).toHaveTextContent('已告知听证权利');
    expect(screen.getByTestId('timeline-backdated-open_case')).toHaveTextContent('补录（2026-11-12 登记）：当日停电');

    const clocks = screen.getByTestId('case-clocks');
    const row = (id: string) => clocks.querySelector(`tr[data-id="${id}"]`) as HTMLElement;
    expect(row('hearing_request')).toHaveAttribute('data-kind', 'waiting');
    expect(row('hearing_request')).toHaveClass('qz-clock-waiting');
    expect(row('hearing_request')).toHaveTextContent('等待期（不得提前）');
    expect(row('hearing_request')).not.toHaveTextContent('超期');
    expect(row('payment')).toHaveAttribute('data-kind', 'party');
    expect(row('payment')).toHaveClass('qz-clock-party');
    expect(row('payment')).toHaveTextContent('当事人义务期限');
    expect(within(row('payment')).getByTestId('clock-late-payment')).toHaveTextContent('加处罚款 3,690.00 元');
    expect(row('service')).toHaveAttribute('data-kind', 'officer');
    expect(row('decision')).toHaveTextContent('2027年的节假日安排尚未载入');
    // A clock that cannot be evaluated keeps its kind (from the procedure).
    await waitFor(() => expect(row('decision')).toHaveAttribute('data-kind', 'officer'));
    expect(row('decision')).not.toHaveTextContent('No holiday');
  });

  it('appeal routes wait for service; a disclosure without a due date shows why', async () => {
    renderCase(detail);
    const pending = await screen.findByTestId('appeal-pending');
    expect(pending).toHaveTextContent('待送达后起算');
    expect(pending).toHaveTextContent('自决定书送达之日起计算');
    expect(screen.getByTestId('disclosure-due-flag')).toHaveTextContent('公开期限无法计算');
    expect(screen.getByTestId('disclosure-flag')).toHaveTextContent('2027年的节假日安排尚未载入');
  });

  it('after service the routes carry their deadlines', async () => {
    renderCase({
      ...detail,
      decision: {
        ...detail.decision,
        appeal: {
          served_on: '2026-12-02',
          reconsideration: { body: '清河县人民政府', days: 60, basis: '行政复议法第二十条', deadline: '2027-01-31' },
          litigation: { body: '清河县人民法院', months: 6, basis: '行政诉讼法第四十六条', deadline: null, deadline_flag: '2027年的节假日安排尚未载入 / not loaded' },
        },
      },
    });
    const routes = await screen.findByTestId('appeal-routes');
    expect(routes).toHaveAttribute('data-served-on', '2026-12-02');
    expect(screen.getByTestId('appeal-reconsideration')).toHaveTextContent('清河县人民政府，60 日内');
    expect(screen.getByTestId('appeal-reconsideration')).toHaveTextContent('→ 2027-01-31');
    expect(screen.getByTestId('appeal-litigation')).toHaveTextContent('期限待人工核定');
    expect(screen.queryByTestId('appeal-pending')).not.toBeInTheDocument();
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
