// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders } from '../AppProviders';
import { mockApi, problem } from '../test/mockApi';
import TownCataloguePage, { matchesQuery } from './TownCataloguePage';
import ItemPage from './ItemPage';
import VersionsPage from './VersionsPage';

const TOWN = '990121101';

function summary(i: number, kind: string, name: string, fee = false) {
  return {
    code: `${kind === 'penalty' ? 'CF' : 'XK'}-01-${String(i).padStart(4, '0')}`,
    name,
    kind,
    parent_code: null,
    department: '县自然资源局',
    statutory_limit: { days: 20, unit: 'working' },
    promised_limit: { days: 5, unit: 'working' },
    has_fee: fee,
    mode: 'delegation',
    grant_id: String(i),
  };
}

function catalogue(n: number) {
  const items = Array.from({ length: n }, (_, i) =>
    i % 3 === 0 ? summary(i + 1, 'licensing', `乡村建设规划许可${i + 1}`, i % 2 === 0) : summary(i + 1, 'penalty', `对违法占用土地的处罚${i + 1}`),
  );
  return {
    town_code: TOWN,
    town_name: '桥头镇',
    county_code: '990121',
    county_name: '清河县',
    exercising_body: '桥头镇人民政府',
    version: 3,
    published_at: '2026-11-28T12:41:39+08:00',
    content_hash: 'fc08b508dfac2f1e45e50a49d24c475e41ff1be69735495598a97db3eb4b1c4b',
    ledger_index: 7248,
    item_count: n,
    counts_by_kind: { licensing: items.filter((x) => x.kind === 'licensing').length, penalty: items.filter((x) => x.kind === 'penalty').length },
    is_demo: true,
    view: 'summary',
    items,
  };
}

const versions = {
  town_code: TOWN,
  town_name: '桥头镇',
  items: [3, 2, 1].map((v) => ({
    version: v,
    published_at: '2026-11-28T12:41:39+08:00',
    content_hash: `${v}`.repeat(64),
    item_count: 600 - v,
    counts_by_kind: {},
    ledger_index: 100 * v,
  })),
};

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/catalogue/:town', Component: TownCataloguePage },
      { path: '/catalogue/:town/items/:code', Component: ItemPage },
      { path: '/catalogue/:town/versions', Component: VersionsPage },
    ],
    { initialEntries: [path] },
  );
  render(
    <AppProviders lang="zh">
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { router, user: userEvent.setup() };
}

const rows = () => screen.getByTestId('catalogue-table').querySelectorAll('tbody tr[data-code]');

vi.setConfig({ testTimeout: 30_000 });

afterEach(() => vi.unstubAllGlobals());

describe('matchesQuery', () => {
  it('matches every word in the name or the code, ignoring case', () => {
    const i = { code: 'XK-01-0001', name: '乡村建设规划许可证核发' };
    expect(matchesQuery(i, '')).toBe(true);
    expect(matchesQuery(i, '规划 许可')).toBe(true);
    expect(matchesQuery(i, 'xk-01')).toBe(true);
    expect(matchesQuery(i, '规划 处罚')).toBe(false);
  });
});

describe('TownCataloguePage', () => {
  it('renders a 600-item catalogue one page at a time', async () => {
    mockApi({
      [`GET /api/v1/public/towns/${TOWN}/catalogue`]: { body: catalogue(600) },
      [`GET /api/v1/public/towns/${TOWN}/catalogue/versions`]: { body: versions },
    });
    renderAt(`/catalogue/${TOWN}`);
    expect(await screen.findByText('桥头镇赋权目录')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('catalogue-list')).toHaveAttribute('data-state', 'ready'));
    expect(screen.getByTestId('catalogue-list')).toHaveAttribute('data-count', '600');
    expect(rows()).toHaveLength(20);
    expect(screen.getByTestId('catalogue-total')).toHaveTextContent('共 600 项');
    expect(screen.getByTestId('catalogue-item-count')).toHaveTextContent('600');
    // Fee from has_fee; limits formatted.
    expect(within(rows()[0] as HTMLElement).getByText('收费')).toBeInTheDocument();
    expect(within(rows()[0] as HTMLElement).getAllByText('5 个工作日').length).toBeGreaterThan(0);
  });

  it('filters by name and by kind, and pages through the matches', async () => {
    mockApi({
      [`GET /api/v1/public/towns/${TOWN}/catalogue`]: { body: catalogue(600) },
      [`GET /api/v1/public/towns/${TOWN}/catalogue/versions`]: { body: versions },
    });
    const { user, router } = renderAt(`/catalogue/${TOWN}`);
    await waitFor(() => expect(rows()).toHaveLength(20));

    await user.type(screen.getByTestId('catalogue-search'), '规划许可');
    await waitFor(() => expect(screen.getByTestId('catalogue-list')).toHaveAttribute('data-count', '200'));
    for (const r of rows()) expect(r).toHaveTextContent('规划许可');
    expect(router.state.location.search).toContain('q=');

    await user.clear(screen.getByTestId('catalogue-search'));
    await user.selectOptions(screen.getByTestId('catalogue-kind'), 'penalty');
    await waitFor(() => expect(screen.getByTestId('catalogue-list')).toHaveAttribute('data-count', '400'));
    for (const r of rows()) expect(r).toHaveTextContent('行政处罚');
    expect(router.state.location.search).toContain('kind=penalty');

    await user.click(within(screen.getByTestId('catalogue-pager')).getByRole('button', { name: '2' }));
    expect(router.state.location.search).toContain('page=2');

    await user.type(screen.getByTestId('catalogue-search'), '没有这个事项');
    expect(await screen.findByTestId('catalogue-empty')).toHaveTextContent('没有符合条件的事项');
  });

  it("shows the server's problem+json message", async () => {
    mockApi({
      [`GET /api/v1/public/towns/${TOWN}/catalogue`]: problem(404, 'not_found', '镇990121101没有第9版目录', 'town 990121101 has no catalogue version 9'),
      [`GET /api/v1/public/towns/${TOWN}/catalogue/versions`]: { body: versions },
    });
    renderAt(`/catalogue/${TOWN}?version=9`);
    expect(await screen.findByTestId('catalogue-error')).toHaveTextContent('镇990121101没有第9版目录');
  });
});

const fullItem = {
  ...summary(1, 'licensing', '乡村建设规划许可证核发'),
  legal_basis: [{ law: '中华人民共和国城乡规划法', article: '第四十一条', clause: '在乡、村庄规划区内进行……' }],
  originating_department: '县自然资源局',
  suspension_allowed: false,
  extension_allowed: true,
  max_extension_days: 10,
  fee: { charged: true, amount_fen: 2500, basis: '某收费文件' },
  materials: [{ name: '申请书', source: '申请人自备', copies: 1, required: true }],
  responsibility_items: [
    { stage: '受理', content: '审查材料是否齐全' },
    { stage: '决定', content: '作出许可决定' },
  ],
  accountability_situations: ['对符合条件的申请不予受理的'],
  valid_from: '2024-01-01',
  valid_to: null,
  version: 1,
  remarks: '',
  exercising_body: '桥头镇人民政府',
  decision_doc: { issuer: '东海省人民政府', number: '东政发〔2024〕7号', title: '决定', date: '2024-02-26' },
  grant_valid_from: '2024-03-01',
  grant_valid_to: null,
};

describe('ItemPage', () => {
  it('shows legal basis, limits, fee, materials and 办理流程 from the item endpoint', async () => {
    const { calls } = mockApi({
      [`GET /api/v1/public/towns/${TOWN}/catalogue/items/${fullItem.code}`]: { body: fullItem },
    });
    renderAt(`/catalogue/${TOWN}/items/${fullItem.code}`);
    expect(await screen.findByTestId('power-detail')).toBeInTheDocument();
    expect(screen.getByTestId('item-legal-basis')).toHaveTextContent('《中华人民共和国城乡规划法》第四十一条');
    expect(screen.getByTestId('item-fee')).toHaveTextContent('收费 25.00 元');
    expect(screen.getByTestId('item-promised')).toHaveTextContent('5 个工作日');
    expect(screen.getByTestId('item-materials')).toHaveTextContent('申请书');
    expect(screen.getByTestId('item-process').querySelectorAll('li')).toHaveLength(2);
    expect(calls.filter((c) => c.path.endsWith('/catalogue'))).toHaveLength(0);
  });

  it('falls back to the full catalogue when the item route is missing', async () => {
    const { calls } = mockApi({
      [`GET /api/v1/public/towns/${TOWN}/catalogue`]: (c) =>
        c.url.includes('view=full') ? { body: { ...catalogue(0), view: 'full', items: [fullItem] } } : undefined,
    });
    renderAt(`/catalogue/${TOWN}/items/${fullItem.code}?version=3`);
    expect(await screen.findByTestId('item-name')).toHaveTextContent('乡村建设规划许可证核发');
    expect(calls.some((c) => c.url.includes('view=full') && c.url.includes('version=3'))).toBe(true);
  });

  it('reports an item that does not exist', async () => {
    mockApi({
      [`GET /api/v1/public/towns/${TOWN}/catalogue`]: { body: { ...catalogue(0), view: 'full', items: [] } },
    });
    renderAt(`/catalogue/${TOWN}/items/NOPE-1`);
    expect(await screen.findByTestId('item-error')).toHaveTextContent('没有这个地址');
  });
});

describe('VersionsPage', () => {
  it('lists versions and shows the diff of the last two', async () => {
    const { calls } = mockApi({
      [`GET /api/v1/public/towns/${TOWN}/catalogue/versions`]: { body: versions },
      [`GET /api/v1/public/towns/${TOWN}/catalogue/diff`]: {
        body: {
          added: [fullItem],
          removed: [],
          changed: [{ code: 'CF-01-0002', fields: [{ field: 'promised_limit.days', before: 5, after: 3 }] }],
          summary: { added: 1, removed: 0, changed: 1 },
          from: versions.items[1],
          to: versions.items[0],
        },
      },
    });
    renderAt(`/catalogue/${TOWN}/versions`);
    expect(await screen.findByTestId('diff-view')).toBeInTheDocument();
    expect(screen.getByTestId('versions-table').querySelectorAll('tbody tr[data-version]')).toHaveLength(3);
    expect(screen.getByTestId('diff-added')).toHaveTextContent('乡村建设规划许可证核发');
    expect(screen.getByTestId('diff-changed')).toHaveTextContent('承诺时限');
    expect(calls.find((c) => c.path.endsWith('/diff'))?.url).toContain('from=2&to=3');
  });
});
