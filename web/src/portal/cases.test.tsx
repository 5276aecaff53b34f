// @vitest-environment jsdom
// Public case pages: the online application (validation, the tracking code,
// a refusal naming the competent body), progress with the rating form, and
// the disclosures of a town.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { I18nProvider } from '../i18n/I18nProvider';
import { mockApi, problem } from '../test/mockApi';
import ApplyPage from './ApplyPage';
import ProgressPage from './ProgressPage';
import DisclosuresPage from './DisclosuresPage';

vi.setConfig({ testTimeout: 30_000 });
afterEach(() => vi.unstubAllGlobals());

function at(path: string, route: string, el: React.ReactNode) {
  render(
    <I18nProvider lang="zh">
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={el} />
        </Routes>
      </MemoryRouter>
    </I18nProvider>,
  );
  return userEvent.setup();
}

const ITEM = 'GET /api/v1/public/towns/990121101/catalogue/items/XK-11-0004';
const item = { body: { code: 'XK-11-0004', name: '文艺表演团体设立审批', kind: 'licensing' } };
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], '申请书.png', { type: 'image/png' });

describe('ApplyPage', () => {
  it('validates, sends the materials as base64 and shows the tracking code', async () => {
    const { calls } = mockApi({
      [ITEM]: item,
      'POST /api/v1/public/applications': {
        status: 201,
        body: {
          case_id: 1,
          receipt_code: 'K7QM-2XPD-9RTA',
          state: 'applied',
          state_label: '已收到申请',
          power_name: '文艺表演团体设立审批',
          opened_on: '2026-11-28',
          deadline: '2026-12-04',
          clocks: [],
          receipt: { index: 5, leaf_hash: 'CdRPyZWoZdOtJdPwlSfSGO14Ub3WfHwSNICiNVhAktI=' },
        },
      },
    });
    const user = at('/catalogue/990121101/items/XK-11-0004/apply', '/catalogue/:town/items/:code/apply', <ApplyPage />);
    await screen.findByText('在线申请：文艺表演团体设立审批');
    await user.type(screen.getByTestId('apply-id'), '1234');
    await user.click(screen.getByTestId('apply-submit'));
    expect(screen.getByText('请填写申请人')).toBeInTheDocument();
    expect(screen.getByText('证件号码格式不正确')).toBeInTheDocument();
    expect(screen.getByTestId('apply-files-error')).toHaveTextContent('请至少上传一份材料');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.clear(screen.getByTestId('apply-id'));
    await user.type(screen.getByTestId('apply-id'), '11010119900307123X');
    await user.type(screen.getByTestId('apply-name'), '欧阳明远');
    await user.upload(screen.getByTestId('apply-files'), png());
    await user.click(screen.getByTestId('apply-submit'));
    expect(await screen.findByTestId('apply-receipt-code')).toHaveTextContent('K7QM-2XPD-9RTA');
    const body = calls.find((c) => c.method === 'POST')?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      town_code: '990121101',
      power_code: 'XK-11-0004',
      applicant: { kind: 'natural_person', name: '欧阳明远', id_number: '11010119900307123X' },
      materials: [{ kind: 'application_form', file_name: '申请书.png', content_type: 'image/png', data_base64: 'iVBORw0KGgo=' }],
    });
  });

  it('names the competent body when the town does not hold the item', async () => {
    mockApi({
      [ITEM]: item,
      'POST /api/v1/public/applications': problem(422, 'validation_failed', '本镇未承接该事项', 'the town does not hold this item', {
        competent_body: '清河县文化和旅游局',
      }),
    });
    const user = at('/catalogue/990121101/items/XK-11-0004/apply', '/catalogue/:town/items/:code/apply', <ApplyPage />);
    await user.type(await screen.findByTestId('apply-name'), '欧阳明远');
    await user.upload(screen.getByTestId('apply-files'), png());
    await user.click(screen.getByTestId('apply-submit'));
    expect(await screen.findByTestId('apply-error')).toHaveTextContent('本镇未承接该事项');
    expect(screen.getByText('有权办理的机关：清河县文化和旅游局')).toBeInTheDocument();
  });
});

const progress = {
  receipt_code: 'GRFJ-MZU6-SCR7',
  town_code: '990121101',
  town_name: '桥头镇',
  power_code: 'XK-11-0004',
  power_name: '文艺表演团体设立审批',
  procedure: 'licensing',
  state: 'decided',
  state_label: '已决定',
  terminal: false,
  outcome: 'granted',
  opened_on: '2026-11-28',
  closed_on: null,
  deadline: '2026-12-11',
  clocks: [
    { id: 'decision', label_zh: '许可决定期限', label_en: 'Decision', deadline: '2026-12-25', limit_days: 20, unit: 'working', used_days: 0, left_days: 20, excluded_days: 0, extension_days: 0, extensions: 0, status: 'stopped_on_time', statutory: true, suspended: false },
  ],
  steps: [{ step: 'accept', label_zh: '受理', label_en: 'Accept', on: '2026-11-28', receipt: { index: 23219 } }],
  decision: {
    outcome: 'granted',
    decided_on: '2026-11-28',
    appeal: { reconsideration: { body: '清河县人民政府', days: 60, basis: '行政复议法第二十条', deadline: null }, litigation: { body: '清河县人民法院', months: 6, basis: '行政诉讼法第四十六条', deadline: null } },
  },
  can_rate: true,
  rated: false,
};

describe('ProgressPage', () => {
  it('checks the code, shows the decision and appeal routes, and rates', async () => {
    const { calls } = mockApi({
      'GET /api/v1/public/applications/GRFJ-MZU6-SCR7': { body: progress },
      'POST /api/v1/public/ratings': { body: { rating_id: 1, level: 5, rectification: 'none', callback_due: null, fix_due: null, receipt: { index: 9, leaf_hash: 'x' } } },
    });
    const user = at('/progress', '/progress', <ProgressPage />);
    await user.type(screen.getByTestId('progress-code'), 'abc');
    await user.click(screen.getByTestId('progress-submit'));
    expect(screen.getByTestId('progress-code-error')).toHaveTextContent('查询码格式应为');
    await user.clear(screen.getByTestId('progress-code'));
    await user.type(screen.getByTestId('progress-code'), 'grfjmzu6scr7');
    await user.click(screen.getByTestId('progress-submit'));
    expect(await screen.findByTestId('progress-state')).toHaveTextContent('已决定');
    expect(screen.getByTestId('progress-decision')).toHaveTextContent('行政复议：清河县人民政府，60 日内');
    expect(screen.getByTestId('progress-steps')).toHaveTextContent('受理');

    await user.click(screen.getByTestId('rating-submit'));
    expect(screen.getByTestId('rating-level-error')).toHaveTextContent('请选择总体评价');
    await user.click(screen.getByTestId('rating-level-5'));
    await user.selectOptions(screen.getByTestId('rating-score-timeliness'), '5');
    await user.click(screen.getByTestId('rating-submit'));
    expect(await screen.findByTestId('rating-done')).toHaveTextContent('评价已提交（存证回执 #9）');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ receipt_code: 'GRFJ-MZU6-SCR7', level: 5, scores: { timeliness: 5 } });
  });
});

describe('DisclosuresPage', () => {
  it('lists the decisions with masked names, late and withdrawn ones marked', async () => {
    mockApi({
      'GET /api/v1/public/towns': { body: { items: [{ code: '990121101', name: '桥头镇' }], next_cursor: null } },
      'GET /api/v1/public/towns/990121101/disclosures': {
        body: {
          town_code: '990121101',
          next_cursor: 2,
          items: [
            { case_id: 1, kind: 'licensing', title: '行政许可决定：文艺表演团体设立审批', content: '准予欧阳**设立文艺表演团体', decided_on: '2026-11-28', due_on: '2026-12-08', published_on: '2026-11-28', late: false, withdrawn_on: null, withdraw_reason: '', receipt: { index: 7 } },
            { case_id: 2, kind: 'penalty', title: '行政处罚决定：某店', content: '', decided_on: '2026-07-24', due_on: '2026-08-04', published_on: '2026-11-28', late: true, withdrawn_on: '2026-11-29', withdraw_reason: '决定已被撤销', receipt: { index: 8 } },
          ],
        },
      },
    });
    at('/catalogue/990121101/disclosures', '/catalogue/:town/disclosures', <DisclosuresPage />);
    expect(await screen.findByText('桥头镇行政决定公开')).toBeInTheDocument();
    const items = await screen.findAllByTestId('disclosure');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('准予欧阳**设立文艺表演团体');
    expect(items[1]).toHaveTextContent('逾期公开');
    expect(items[1]).toHaveTextContent('已于 2026-11-29 撤回：决定已被撤销');
    expect(screen.getByTestId('disclosures-next')).toBeEnabled();
  });
});
