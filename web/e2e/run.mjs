#!/usr/bin/env node
// End-to-end tests: the real quanze binary serving web/dist, driven by
// Debian's Chromium through playwright-core, with node:test as the runner.
//
//   QUANZE_BIN=/path/to/quanze npm run e2e      # against the real server
//
// What it does:
//   1. makes a temp dir; runs `$QUANZE_BIN demo --db DIR/q.db`
//   2. starts `$QUANZE_BIN serve --db DIR/q.db --listen 127.0.0.1:0 --web-root web/dist`
//      and reads its first stdout line, `listening on http://HOST:PORT`
//   3. opens Chromium (/usr/bin/chromium, or $CHROMIUM) in a fresh profile
//   4. runs the tests below in order (they share one browser and one session)
//   5. stops the server with SIGTERM and expects exit status 0
// Screenshots of each page go to web/e2e/screenshots/ (git-ignored). On
// failure the temp dir with the demo and server logs is kept and printed.
//
// Environment: QUANZE_BIN (required), QUANZE_E2E_USER and
// QUANZE_E2E_PASSWORD (default admin / admin-demo-2026), CHROMIUM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(WEB, '..');
const DIST = join(WEB, 'dist');
const SHOTS = join(WEB, 'e2e', 'screenshots');
const USERNAME = process.env.QUANZE_E2E_USER ?? 'admin';
const PASSWORD = process.env.QUANZE_E2E_PASSWORD ?? 'admin-demo-2026';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STARTUP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 60_000;
/** 桥头镇, the demo's pilot town with the largest catalogue. */
const PILOT = '990121101';
/** Where the render timing of the 600-item catalogue is written (read by bench/README.md's figure). */
const TIMING_FILE = join(WEB, 'e2e', 'screenshots', 'catalogue-render-timing.json');

// ---------------------------------------------------------------------------
// The binary

/** The command that runs quanze: [program, ...leading args]. */
function quanzeCommand() {
  const bin = process.env.QUANZE_BIN;
  if (!bin) {
    throw new Error(
      'QUANZE_BIN is not set. Build the server and run e.g.\n' +
        `  QUANZE_BIN=${join(REPO, 'bin', 'quanze')} npm run e2e`,
    );
  }
  const path = resolve(bin);
  if (!existsSync(path)) throw new Error(`QUANZE_BIN=${bin}: no such file`);
  return [path];
}

/**
 * Starts `serve` and resolves with the base URL from its first stdout line.
 * @param {string[]} cmd
 * @param {string} db
 * @param {string} logPath
 */
function startServer(cmd, db, logPath) {
  const log = createWriteStream(logPath);
  const [program, ...lead] = /** @type {[string, ...string[]]} */ (cmd);
  const args = [...lead, 'serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', DIST];
  log.write(`$ ${program} ${args.join(' ')}\n`);
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  /** @type {Promise<number | null>} */
  const exited = new Promise((res) =>
    child.once('exit', (code, signal) => res(signal ? 128 + (constants.signals[signal] ?? 0) : code)),
  );
  child.stderr.on('data', (d) => log.write(d));

  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not print "listening on http://HOST:PORT" within ${STARTUP_TIMEOUT_MS} ms; see ${logPath}`));
    }, STARTUP_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    let first = true;
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (!first) return;
      first = false;
      clearTimeout(timer);
      const m = /^listening on (https?:\/\/\S+?)\/?$/.exec(line.trim());
      if (!m) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first line from the server: ${JSON.stringify(line)}; see ${logPath}`));
        return;
      }
      resolveUrl({ child, exited, baseUrl: /** @type {string} */ (m[1]), log });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (first) reject(new Error(`server exited (code ${code}, signal ${signal}) before listening; see ${logPath}`));
    });
  });
}

// ---------------------------------------------------------------------------
// Shared state

/** @type {string} */ let workDir;
/** @type {string} */ let profileDir;
/** @type {string} */ let baseUrl;
/** @type {import('node:child_process').ChildProcess} */ let server;
/** @type {Promise<number | null>} */ let serverExited;
/** @type {import('node:fs').WriteStream} */ let serverLog;
/** @type {import('playwright-core').BrowserContext} */ let context;
/** @type {import('playwright-core').Page} */ let page;
/** @type {Error[]} */ const pageErrors = [];
let failures = 0;

/**
 * A test that shares the browser; counts failures so the logs are kept, and
 * fails if the page threw an uncaught error while it ran.
 * @param {string} name
 * @param {() => Promise<void>} fn
 * @param {number} [timeout]
 */
function e2e(name, fn, timeout = TEST_TIMEOUT_MS) {
  test(name, { timeout }, async () => {
    pageErrors.length = 0;
    try {
      await fn();
      assert.deepEqual(pageErrors.map(String), [], 'uncaught errors in the page');
    } catch (e) {
      failures++;
      await shot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw e;
    }
  });
}

/** @param {string} name */
async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** @param {string} path */
const url = (path) => new URL(path, baseUrl).toString();

before(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html not found: run \`npm run build\` first`);
  const cmd = quanzeCommand();
  rmSync(SHOTS, { recursive: true, force: true }); // no stale screenshots from an earlier run
  mkdirSync(SHOTS, { recursive: true });
  workDir = mkdtempSync(join(tmpdir(), 'quanze-e2e-'));
  profileDir = mkdtempSync(join(tmpdir(), 'quanze-e2e-chromium-'));
  const db = join(workDir, 'q.db');

  const [program, ...lead] = /** @type {[string, ...string[]]} */ (cmd);
  const demo = spawnSync(program, [...lead, 'demo', '--db', db], { encoding: 'utf8', timeout: 120_000 });
  const demoLog = join(workDir, 'demo.log');
  await import('node:fs/promises').then((fs) => fs.writeFile(demoLog, `${demo.stdout ?? ''}\n${demo.stderr ?? ''}`));
  if (demo.error) throw demo.error;
  assert.equal(demo.status, 0, `"quanze demo" failed (status ${demo.status}); see ${demoLog}`);

  const started = /** @type {any} */ (await startServer(cmd, db, join(workDir, 'server.log')));
  ({ child: server, exited: serverExited, baseUrl, log: serverLog } = started);
  console.log(`# server at ${baseUrl} (logs in ${workDir})`);

  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    locale: 'zh-CN',
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(15_000);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e));
});

after(async () => {
  await context?.close().catch(() => {});
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  serverLog?.end();
  rmSync(profileDir ?? '', { recursive: true, force: true });
  if (workDir) {
    if (failures > 0) {
      console.log(`# kept ${workDir} (demo.log, server.log)`);
      const tail = existsSync(join(workDir, 'server.log')) ? readFileSync(join(workDir, 'server.log'), 'utf8').split('\n').slice(-30).join('\n') : '';
      if (tail) console.log(tail.replace(/^/gm, '# server: '));
    } else {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
});

// ---------------------------------------------------------------------------
// Tests (in order; they share the browser's cookies)

e2e('healthz answers ok', async () => {
  const res = await context.request.get(url('/healthz'));
  assert.equal(res.status(), 200);
  const h = await res.json();
  assert.equal(h.status, 'ok');
  assert.equal(typeof h.version, 'string');
  assert.ok(Number.isInteger(h.ledger_size), 'ledger_size is an integer');
});

e2e('portal home renders the Chinese title', async () => {
  await page.goto(url('/'));
  const title = page.getByTestId('portal-title');
  await title.waitFor();
  assert.equal((await title.textContent())?.trim(), '经济发达镇权责公开平台');
  assert.equal(await page.title(), '经济发达镇权责公开平台');
  for (const nav of ['首页', '赋权目录', '存证核验', '登录']) {
    assert.ok(await page.getByRole('link', { name: nav, exact: true }).first().isVisible(), `nav link ${nav}`);
  }
  await page.getByTestId('home-ledger-size').filter({ hasText: /\d/ }).waitFor();
  await shot('portal-home');
  // English second: the switch changes the UI language, and back.
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('portal-title').filter({ hasText: 'Town powers public portal' }).waitFor();
  await shot('portal-home-en');
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('portal-title').filter({ hasText: '经济发达镇权责公开平台' }).waitFor();
});

e2e('deep links fall back to index.html', async () => {
  const res = await page.goto(url('/catalogue'));
  assert.equal(res?.status(), 200);
  await page.locator('[data-testid="towns-list"][data-state="ready"]').waitFor();
  await page.getByTestId(`town-${PILOT}`).waitFor();
  await shot('portal-towns');
});

e2e('the public catalogue of a town: search, filter by kind, item detail, versions and diff', async () => {
  await page.goto(url('/catalogue'));
  await page.getByTestId(`town-${PILOT}`).click();
  await page.waitForURL(new RegExp(`/catalogue/${PILOT}$`));
  const list = page.locator('[data-testid="catalogue-list"][data-state="ready"]');
  await list.waitFor();
  assert.match((await page.getByTestId('town-catalogue-title').textContent()) ?? '', /桥头镇/);
  const total = Number(await list.getAttribute('data-count'));
  assert.ok(total > 300, `桥头镇 lists ${total} items`);
  assert.equal(await page.locator('[data-testid="catalogue-table"] tbody tr[data-code]').count(), 20, 'the first page shows 20 rows');
  await shot('portal-catalogue');

  // Search by name.
  await page.getByTestId('catalogue-search').fill('土地');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="catalogue-list"]')?.getAttribute('data-count')) < n, total);
  const names = await page.locator('[data-testid="catalogue-table"] tbody [data-testid="catalogue-item-link"]').allTextContents();
  assert.ok(names.length > 0 && names.every((n) => n.includes('土地')), `every match names 土地: ${names.join(' / ')}`);
  // And by kind.
  await page.getByTestId('catalogue-kind').selectOption('penalty');
  await page.waitForURL(/kind=penalty/);
  // The URL changes before the list is drawn again: wait for the redraw.
  await page
    .waitForFunction(
      () => [...document.querySelectorAll('[data-testid="catalogue-table"] tbody tr[data-code] .qz-tag')].every((e) => e.textContent === '行政处罚'),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => {});
  const kinds = await page.locator('[data-testid="catalogue-table"] tbody tr[data-code] .qz-tag').allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === '行政处罚'), `only 行政处罚: ${kinds.join(',')}`);
  await shot('portal-catalogue-filtered');

  // Item detail: legal basis, limits, fees, 办理流程.
  await page.locator('[data-testid="catalogue-item-link"]').first().click();
  await page.waitForURL(/\/items\//);
  await page.locator('[data-testid="item-page"][data-state="ready"]').waitFor();
  assert.ok((await page.getByTestId('item-legal-basis').locator('li').count()) > 0, 'legal basis listed');
  assert.ok((await page.getByTestId('item-process').locator('li').count()) > 0, '办理流程 listed');
  await page.getByTestId('item-fee').waitFor();
  await shot('portal-item');

  // Versions and the diff between the last two.
  await page.goto(url(`/catalogue/${PILOT}/versions`));
  await page.getByTestId('diff-view').waitFor();
  assert.ok((await page.locator('[data-testid="versions-table"] tbody tr[data-version]').count()) >= 3, 'three versions or more');
  assert.match((await page.getByTestId('diff-added-count').textContent()) ?? '', /^\+\d+$/);
  await shot('portal-versions-diff');
});

e2e('a wrong password shows the server message', async () => {
  await page.goto(url('/login'));
  await page.getByTestId('login-username').fill(USERNAME);
  await page.getByTestId('login-password').fill(`${PASSWORD}-wrong`);
  await page.getByTestId('login-submit').click();
  const err = page.getByTestId('login-error');
  await err.waitFor();
  const text = (await err.textContent()) ?? '';
  assert.match(text, /登录失败/);
  assert.match(text, /[\u4e00-\u9fff]{2,}.*[\u4e00-\u9fff]/s, 'a Chinese message from the server');
  await shot('login-error');
});

e2e('sign in with the demo admin and see the console', async () => {
  await page.goto(url('/login'));
  await page.getByTestId('login-username').fill(USERNAME);
  await page.getByTestId('login-password').fill(PASSWORD);
  await shot('login');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/console\/?$/);
  await page.getByTestId('dashboard-welcome').waitFor();
  const menu = page.getByTestId('console-menu');
  await menu.getByText('工作台').waitFor();
  await menu.getByText('区划').waitFor();
  assert.ok(((await page.getByTestId('console-user').textContent()) ?? '').trim().length > 0, 'user name shown');
  await shot('console-dashboard');
});

e2e('the regions table lists towns', async () => {
  await page.getByTestId('menu-regions').click();
  await page.waitForURL(/\/console\/regions/);
  const table = page.getByTestId('regions-table');
  const rows = table.locator('tbody tr[data-row-key]');
  // The page marks its list data-state="loading" | "ready" | "error".
  const waitLoaded = async () => {
    const list = page.locator('[data-testid="regions-list"]:not([data-state="loading"])');
    await list.waitFor();
    if ((await list.getAttribute('data-state')) !== 'ready') {
      assert.fail(`regions did not load: ${await page.getByTestId('regions-error').textContent()}`);
    }
  };
  const townCount = () => rows.locator('[data-level="town"]').count();
  const drillCodes = async () =>
    (await rows.locator('[data-testid^="drill-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? '')))
      .map((id) => id.slice('drill-'.length));
  await waitLoaded();
  assert.ok((await rows.count()) > 0, 'the top level lists regions');

  // Drill down with the button once (the UI path) ...
  const first = (await drillCodes())[0];
  if ((await townCount()) === 0 && first) {
    await rows.locator(`[data-testid="drill-${first}"]`).click();
    await page.waitForURL((u) => new URL(u).searchParams.get('parent') === first);
    await rows.locator(`[data-testid="drill-${first}"]`).waitFor({ state: 'detached' });
    await waitLoaded();
  }
  // ... then search the tree depth-first (by deep link) for a level with towns.
  /** @param {string} parent '' for the top level @param {number} depth @returns {Promise<boolean>} */
  const search = async (parent, depth) => {
    await page.goto(url(parent ? `/console/regions?parent=${encodeURIComponent(parent)}` : '/console/regions'));
    await waitLoaded();
    if ((await townCount()) > 0) return true;
    if (depth >= 3) return false;
    for (const code of (await drillCodes()).slice(0, 6)) {
      if (await search(code, depth + 1)) return true;
    }
    return false;
  };
  if ((await townCount()) === 0) assert.ok(await search('', 0), 'found a level that lists towns');
  assert.ok((await townCount()) > 0, 'some towns are listed');
  await shot('console-regions');
});

/** @returns {Promise<{size: number, leafHash: string}>} */
async function receiptForEntry0() {
  const cp = await context.request.get(url('/api/v1/ledger/checkpoint'));
  assert.equal(cp.status(), 200);
  const size = Number((await cp.text()).split('\n')[1]);
  assert.ok(size > 0, `checkpoint size ${size} > 0`);
  const pr = await context.request.get(url(`/api/v1/ledger/proof/inclusion?index=0&size=${size}`));
  assert.equal(pr.status(), 200);
  const proof = await pr.json();
  assert.equal(proof.index, 0);
  return { size, leafHash: proof.leaf_hash };
}

/** @param {'ok' | 'fail'} want */
async function verdict(want) {
  const v = page.getByTestId('verify-verdict');
  await v.waitFor();
  assert.equal(await v.getAttribute('data-status'), want, (await v.textContent()) ?? '');
  return (await v.textContent()) ?? '';
}

e2e('a receipt for entry 0 verifies: the record is in the public log', async () => {
  const { leafHash } = await receiptForEntry0();
  await page.goto(url(`/verify?index=0&leaf_hash=${encodeURIComponent(leafHash)}`));
  const text = await verdict('ok');
  assert.match(text, /该记录已在公开日志中/);
  const steps = page.locator('[data-testid^="verify-step-"]');
  assert.equal(await steps.count(), 9);
  assert.equal(await page.locator('[data-testid^="verify-step-"][data-status="ok"]').count(), 9, 'every step passed');
  await shot('verify-ok');
});

e2e('a receipt pasted as JSON verifies', async () => {
  const { leafHash } = await receiptForEntry0();
  await page.goto(url('/verify'));
  await page.getByTestId('verify-mode').getByText('粘贴回执').click();
  await page.getByTestId('verify-json').fill(JSON.stringify({ index: 0, leaf_hash: leafHash }));
  await page.getByTestId('verify-submit').click();
  assert.match(await verdict('ok'), /该记录已在公开日志中/);
});

e2e('a tampered leaf hash is not in the log', async () => {
  const { leafHash } = await receiptForEntry0();
  const bytes = Buffer.from(leafHash, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  const tampered = bytes.toString('base64');
  await page.goto(url(`/verify?index=0&leaf_hash=${encodeURIComponent(tampered)}`));
  const text = await verdict('fail');
  assert.doesNotMatch(text, /该记录已在公开日志中/);
  assert.match(text, /核验未通过/);
  assert.equal(await page.getByTestId('verify-verdict').getAttribute('data-failed-step'), 'leaf');
  await shot('verify-tampered');
});

/** The session's CSRF token, for API calls made by the tests themselves. */
async function csrf() {
  const res = await context.request.get(url('/api/v1/session'));
  assert.equal(res.status(), 200, 'signed in');
  return (await res.json()).csrf_token;
}

/** @param {string} method @param {string} path @param {unknown} body @param {string} token */
async function apiCall(method, path, body, token) {
  const res = await context.request.fetch(url(`/api/v1/${path}`), {
    method,
    headers: { 'X-CSRF-Token': token, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${text.slice(0, 400)}`);
  return text ? JSON.parse(text) : undefined;
}

e2e('the master catalogue lists powers and shows every bad row of a refused import', async () => {
  await page.goto(url('/console'));
  await page.getByTestId('menu-catalogue').click();
  await page.waitForURL(/\/console\/catalogue/);
  await page.locator('[data-testid="powers-list"][data-state="ready"]').waitFor();
  assert.ok((await page.locator('[data-testid="powers-table"] tbody tr[data-row-key]').count()) > 0, 'powers listed');
  await shot('console-master-catalogue');

  const csv =
    '事项编码,事项名称,事项类型,设定依据,原实施部门,法定时限,承诺时限,时限单位,有效期起\r\n' +
    'BAD-0001,测试事项,行政审批,《某法》第一条,县局,10,20,工作日,2024-01-01\r\n';
  await page.getByTestId('powers-import').click();
  await page.locator('.ant-modal input[type="file"]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-submit').click();
  const err = page.getByTestId('import-error');
  await err.waitFor();
  const text = (await err.textContent()) ?? '';
  assert.match(text, /未导入任何事项/);
  assert.match(text, /未知的事项类型/);
  assert.match(text, /承诺时限/);
  assert.ok((await err.locator('[data-testid="import-errors"] tbody tr').count()) >= 2, 'one table row per problem');
  await shot('console-import-errors');
});

e2e('a grant is made effective through its readiness checklist, published, and seen in the public catalogue', async () => {
  const token = await csrf();
  const proposed = await apiCall('GET', `grants?town=${PILOT}&state=proposed`, undefined, token);
  const grant = proposed.items.find((/** @type {any} */ g) => g.open_items.length > 0 && g.open_items.length < 4) ?? proposed.items[0];
  assert.ok(grant, 'the demo leaves a proposal open in 桥头镇');

  await page.goto(url(`/console/grants?town=${PILOT}&state=proposed`));
  await page.locator('[data-testid="grants-list"][data-state="ready"]').waitFor();
  await shot('console-grants');
  await page.getByTestId(`grant-${grant.id}`).click();
  const panel = page.getByTestId('grant-panel');
  await panel.waitFor();

  // Readiness incomplete: the server refuses and names the open items.
  await page.getByTestId('action-mark_ready').click();
  const refusal = page.getByTestId('grant-error');
  await refusal.waitFor();
  assert.match((await refusal.textContent()) ?? '', /承接准备事项未完成/);
  await shot('console-grant-refused');

  for (const key of grant.open_items) await page.getByTestId(`readiness-${key}`).check();
  await page.getByTestId('readiness-save').click();
  await page.getByTestId('grant-notice').filter({ hasText: '承接准备情况已保存' }).waitFor();
  await page.getByTestId('action-mark_ready').click();
  await page.locator('[data-testid="grant-panel"][data-grant-state="ready"]').waitFor();
  await page.getByTestId('action-make_effective').click();
  await page.getByTestId('decision-issuer').fill('东海省人民政府');
  await page.getByTestId('decision-number').fill('东政发〔2026〕30号');
  await page.getByTestId('decision-title').fill('关于赋予桥头镇部分县级管理权限的决定（演示）');
  await page.getByTestId('decision-date').fill('2026-03-01');
  await page.getByTestId('transition-submit').click();
  await page.locator('[data-testid="grant-panel"][data-grant-state="effective"]').waitFor();
  await shot('console-grant-effective');
  await page.locator('.ant-drawer-close').click();
  await page.getByTestId('grant-panel').waitFor({ state: 'detached' });

  // Publish a new version.
  const before = await apiCall('GET', `towns/${PILOT}/catalogue/versions`, undefined, token);
  const next = before.items[0].version + 1;
  await page.getByTestId('grants-publish').click();
  await page.locator('.ant-modal-confirm .ant-btn-primary').click();
  const published = page.getByTestId('publish-result');
  await published.waitFor();
  assert.match((await published.textContent()) ?? '', new RegExp(`已发布第 ${next} 版`));
  await shot('console-published');

  // The public catalogue shows it.
  await page.goto(url(`/catalogue/${PILOT}?q=${encodeURIComponent(grant.power_name)}`));
  await page.locator('[data-testid="catalogue-list"][data-state="ready"]').waitFor();
  assert.equal(((await page.getByTestId('catalogue-version').textContent()) ?? '').trim(), `第 ${next} 版`);
  await page.locator(`[data-testid="catalogue-table"] tr[data-code="${grant.power_code}"]`).waitFor();
  await shot('portal-catalogue-new-grant');
});

e2e('a staffing change that breaks a rule is refused with its explanation', async () => {
  await page.goto(url(`/console/organisation?town=${PILOT}`));
  await page.locator('[data-testid="agencies-list"][data-state="ready"]').waitFor();
  await shot('console-organisation');
  const token = await csrf();
  const agencies = await apiCall('GET', `agencies?town=${PILOT}`, undefined, token);
  const agency = agencies.items.find((/** @type {any} */ a) => a.kind === 'integrated' && a.quotas.some((/** @type {any} */ q) => q.kind === 'administrative'));
  await page.getByTestId(`agency-${agency.id}`).click();
  await page.getByTestId('agency-panel').waitFor();
  await page.getByTestId('adjust-quota').click();
  const approved = agency.quotas.find((/** @type {any} */ q) => q.kind === 'administrative').approved;
  await page.getByTestId('quota-count').fill(String(approved + 9));
  await page.getByTestId('quota-doc').fill('清编〔2026〕99号');
  await page.getByTestId('quota-submit').click();
  const err = page.getByTestId('change-error');
  await err.waitFor();
  const text = (await err.textContent()) ?? '';
  assert.match(text, /变更被拒绝/);
  assert.match(text, /编制总量只减不增/);
  assert.match(text, /只减不增/);
  await shot('console-staffing-refused');

  // The violations list of the county, with explanations.
  await page.goto(url(`/console/organisation?town=${PILOT}&tab=violations`));
  await page.getByTestId('violations-region').fill('990121');
  await page.getByTestId('violations-region').press('Enter');
  await page.getByTestId('violations-summary').waitFor();
  await page.locator('[data-testid="violations-list"][data-state="ready"]').waitFor();
  // The county scan can answer after the list shell is ready: wait for the first row.
  await page.locator('[data-testid="violations-table"] tbody tr[data-row-key]').first().waitFor({ timeout: 30_000 });
  assert.ok((await page.locator('[data-testid="violations-table"] tbody tr[data-row-key]').count()) > 0, 'violations listed');
  assert.match((await page.getByTestId('violations-table').textContent()) ?? '', /超职数配备干部|超机构规格提拔干部|超审批权限设置机构/);
  await shot('console-violations');
});

e2e('admins see the accounts', async () => {
  await page.goto(url('/console/users'));
  await page.getByTestId('users-table').getByText('qiaotou.leader').waitFor();
  await shot('console-users');
});

e2e(
  'a 600-item catalogue renders in under a second',
  async () => {
    const token = await csrf();
    const current = (await apiCall('GET', `public/towns/${PILOT}/catalogue`, undefined, token)).item_count;
    const extra = Math.max(0, 600 - current);
    if (extra > 0) {
      // Extra powers in the master catalogue, granted to 桥头镇 through the API's ordinary lifecycle.
      const rows = ['事项编码,事项名称,事项类型,设定依据,原实施部门,法定时限,承诺时限,时限单位,有效期起'];
      const codes = [];
      for (let i = 1; i <= extra; i++) {
        const code = `JC-99-${String(i).padStart(4, '0')}`;
        codes.push(code);
        rows.push(`${code},对演示经营场所第${i}号事项的监督检查,行政检查,《中华人民共和国行政处罚法》第五十四条,县市场监督管理局,20,10,工作日,2024-01-01`);
      }
      const imp = await context.request.post(url('/api/v1/powers/import'), {
        headers: { 'X-CSRF-Token': token, 'Content-Type': 'text/csv' },
        data: Buffer.from(rows.join('\r\n') + '\r\n'),
      });
      assert.equal(imp.status(), 200, await imp.text());
      const made = await apiCall('POST', 'grants', { items: codes.map((c) => ({ town_code: PILOT, power_code: c, batch_id: 1, mode: 'delegation' })) }, token);
      const ids = made.items.map((/** @type {any} */ g) => g.id);
      const doc = { issuer: '东海省人民政府', number: '东政发〔2026〕31号', title: '性能测试（演示）', date: '2026-03-01' };
      const all = ['staff_trained', 'system_access', 'network_port', 'guidance_contact'].map((key) => ({ key, done: true }));
      const work = async (/** @type {number} */ id) => {
        await apiCall('PATCH', `grants/${id}/readiness`, { items: all }, token);
        await apiCall('POST', `grants/${id}/transitions`, { action: 'mark_ready' }, token);
        await apiCall('POST', `grants/${id}/transitions`, { action: 'make_effective', decision_doc: doc }, token);
      };
      for (let i = 0; i < ids.length; i += 8) await Promise.all(ids.slice(i, i + 8).map(work));
      await apiCall('POST', `towns/${PILOT}/catalogue/publish`, undefined, token);
    }

    /**
     * Navigation start → the rows are painted, in ms, from the page's own
     * performance marks (qz-catalogue-rendered: rows committed to the DOM;
     * qz-catalogue-painted: the next frame), plus when the catalogue JSON arrived.
     */
    const measure = async (/** @type {string} */ path) => {
      await page.goto(url(path));
      await page.waitForFunction(() => performance.getEntriesByName('qz-catalogue-painted').length > 0);
      return page.evaluate(() => {
        const l = /** @type {Element} */ (document.querySelector('[data-testid="catalogue-list"]'));
        const mark = (/** @type {string} */ n) => Math.round(performance.getEntriesByName(n)[0]?.startTime ?? -1);
        const json = performance
          .getEntriesByType('resource')
          .find((e) => /\/public\/towns\/\d+\/catalogue(\?|$)/.test(e.name));
        return {
          ms: mark('qz-catalogue-painted'),
          rendered: mark('qz-catalogue-rendered'),
          jsonArrived: Math.round(/** @type {PerformanceResourceTiming | undefined} */ (json)?.responseEnd ?? -1),
          jsonBytes: /** @type {PerformanceResourceTiming | undefined} */ (json)?.encodedBodySize ?? -1,
          count: Number(l.getAttribute('data-count')),
          rows: l.querySelectorAll('tbody tr[data-code]').length,
        };
      });
    };
    /** @type {any[]} */
    const results = [];
    const median = (/** @type {number[]} */ xs) => /** @type {number} */ ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
    for (const path of [`/catalogue/${PILOT}`, `/catalogue/${PILOT}?size=100`]) {
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(await measure(path));
      const last = /** @type {any} */ (runs[runs.length - 1]);
      results.push({
        path,
        paintedMs: runs.map((r) => r.ms),
        median: median(runs.map((r) => r.ms)),
        medianRendered: median(runs.map((r) => r.rendered)),
        medianJsonArrived: median(runs.map((r) => r.jsonArrived)),
        jsonBytes: last.jsonBytes,
        count: last.count,
        rows: last.rows,
      });
    }
    // In-app: from the town list, click → the list is drawn.
    await page.goto(url('/catalogue'));
    await page.getByTestId(`town-${PILOT}`).waitFor();
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId(`town-${PILOT}`).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalogue-list"][data-state="ready"] tbody tr[data-code]').length > 0);
    const inApp = Math.round((await page.evaluate(() => performance.now())) - t0);
    // Filtering all items by a name: keystroke → list redrawn.
    const f0 = await page.evaluate(() => performance.now());
    await page.getByTestId('catalogue-search').fill('监督检查');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="catalogue-list"]')?.getAttribute('data-count')) < 600);
    const filter = Math.round((await page.evaluate(() => performance.now())) - f0);

    await shot('portal-catalogue-600');
    const report = { town: PILOT, items: results[0]?.count, coldLoad: results, inAppNavigationMs: inApp, filterMs: filter, at: new Date().toISOString() };
    console.log(`# catalogue render timing: ${JSON.stringify(report)}`);
    await import('node:fs/promises').then((fs) => fs.writeFile(TIMING_FILE, JSON.stringify(report, null, 2) + '\n'));
    assert.ok((results[0]?.count ?? 0) >= 600, `the town has ${results[0]?.count} items`);
    // The page as a citizen opens it (20 rows a page) must be drawn within 1 s.
    const first = results[0];
    assert.ok(first.median < 1000, `${first.path}: median ${first.median} ms ≥ 1 s (${first.paintedMs.join(', ')})`);
    assert.ok(inApp < 1000, `in-app navigation ${inApp} ms`);
  },
  240_000,
);

// ---------------------------------------------------------------------------
// Cases: a licensing case from the online application to its disclosure.

const DEMO_PASSWORD = 'demo-pass-2026';
/** The licensing item of 桥头镇 applied for online. */
const LICENCE_ITEM = 'XK-11-0004';
/** A tiny PNG (signature + IHDR is enough for the server's content sniffing). */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
/** @type {{code: string, caseId: number, denialIndex?: number}} */
const flow = { code: '', caseId: 0 };

/** Signs in as another account (the cookies are dropped first). @param {string} user @param {string} [next] */
async function signInAs(user, next = '/console') {
  await context.clearCookies();
  await page.goto(url(`/login?next=${encodeURIComponent(next)}`));
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(user === 'admin' ? PASSWORD : DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => new URL(u).pathname.startsWith('/console'));
}

/** The open antd dropdown's options. */
const dropdownOptions = () => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');

/**
 * Picks a step in the case page's step form. The list is searchable (a
 * licensing case offers some twenty steps once reviewed), so the code is typed
 * to narrow it first.
 * @param {string} code
 */
async function pickStep(code) {
  await page.getByTestId('step-select').click();
  await page.keyboard.type(`(${code})`);
  await dropdownOptions().filter({ hasText: `(${code})` }).first().click();
  await page.locator(`[data-testid="step-form"][data-step="${code}"]`).waitFor();
  await page.getByTestId('step-submit').filter({ hasText: /./ }).waitFor();
}

/** The real-name person of a demo account (signs in with the API; the cookies are dropped first). @param {string} user */
async function personOf(user) {
  await context.clearCookies();
  const res = await context.request.post(url('/api/v1/session'), { data: { username: user, password: DEMO_PASSWORD } });
  assert.equal(res.status(), 200, `sign-in of ${user}`);
  const me = await (await context.request.get(url('/api/v1/me'))).json();
  assert.ok(me.person, `${user} is linked to a person`);
  return /** @type {{id: number, name: string}} */ (me.person);
}

e2e('a citizen applies online for a licensing item and gets a tracking code', async () => {
  await context.clearCookies();
  await page.goto(url(`/catalogue/${PILOT}/items/${LICENCE_ITEM}`));
  await page.locator('[data-testid="item-page"][data-state="ready"]').waitFor();
  await page.getByTestId('item-apply').click();
  await page.waitForURL(/\/apply$/);
  await page.getByTestId('apply-form').waitFor();
  // Validation before sending: the name and the materials are required.
  await page.getByTestId('apply-submit').click();
  await page.getByTestId('apply-files-error').waitFor();
  await page.getByTestId('apply-name').fill('欧阳明远');
  await page.getByTestId('apply-id').fill('110101199003071234');
  await page.getByTestId('apply-phone').fill('13800000000');
  await page.getByTestId('apply-summary').fill('设立文艺表演团体（端到端测试）');
  await page.getByTestId('apply-files').setInputFiles({ name: '申请书.png', mimeType: 'image/png', buffer: PNG });
  await shot('portal-apply');
  await page.getByTestId('apply-submit').click();
  const code = ((await page.getByTestId('apply-receipt-code').textContent()) ?? '').trim();
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  flow.code = code;
  await shot('portal-apply-done');
});

e2e('the clerk accepts and reviews it; granting is denied with the facts of the authority check', async () => {
  assert.ok(flow.code, 'applied');
  await signInAs('qiaotou.clerk', '/console/cases?mine=1');
  await page.locator('[data-testid="cases-list"][data-state="ready"]').waitFor();
  await shot('console-cases-inbox');
  // Find the case of the tracking code (the inbox of the town, sorted by deadline).
  const token = await csrf();
  /** @type {string | null} */ let cursor = null;
  do {
    const pageOf = await apiCall('GET', `cases?town=${PILOT}&state=open&limit=500${cursor ? `&cursor=${cursor}` : ''}`, undefined, token);
    // Staff see only the last 4 characters of a receipt code: the newest case with them.
    const hits = pageOf.items.filter((/** @type {any} */ c) => c.receipt_code.slice(-4) === flow.code.slice(-4) && c.origin === 'online');
    for (const hit of hits) flow.caseId = Math.max(flow.caseId || 0, hit.id);
    cursor = pageOf.next_cursor;
  } while (!flow.caseId && cursor);
  assert.ok(flow.caseId > 0, `case of ${flow.code} found`);

  await page.goto(url(`/console/cases/${flow.caseId}`));
  await page.locator('[data-testid="case-page"][data-case-state="applied"]').waitFor();
  await pickStep('accept');
  assert.equal(await page.locator('[data-testid="doc-acceptance_receipt"][data-missing="true"]').count(), 1, 'the receipt is highlighted as missing');
  await page.getByTestId('doc-acceptance_receipt').click();
  await page.getByTestId('step-submit').click();
  await page.getByTestId('step-done').waitFor();
  await page.locator('[data-testid="case-page"][data-case-state="accepted"]').waitFor();

  await pickStep('review');
  await page.getByTestId('doc-review_opinion').click();
  await page.getByTestId('step-submit').click();
  await page.locator('[data-testid="case-page"][data-case-state="reviewed"]').waitFor();

  // The clerk may not sign the decision (谁审批谁负责): 403 with the findings.
  await pickStep('grant');
  await page.getByTestId('doc-license_decision').click();
  await page.getByTestId('decision-content').fill('准予欧阳明远设立文艺表演团体');
  await page.getByTestId('step-submit').click();
  const err = page.getByTestId('step-error');
  await err.waitFor();
  const findings = err.getByTestId('problem-findings');
  await findings.waitFor();
  assert.ok((await findings.locator('li[data-ok="false"]').count()) >= 1, 'a failed fact');
  assert.ok((await findings.locator('li[data-ok="true"]').count()) >= 1, 'facts that held');
  assert.match((await err.textContent()) ?? '', /不是负责人|不得执行/);
  await shot('console-case-denied');
});

e2e('the head of the approval bureau grants it and publishes the decision', async () => {
  await signInAs('qiaotou.approver', `/console/cases/${flow.caseId}`);
  await page.locator('[data-testid="case-page"][data-case-state="reviewed"]').waitFor();
  await pickStep('grant');
  await page.getByTestId('doc-license_decision').click();
  await page.getByTestId('decision-content').fill('准予欧阳明远设立文艺表演团体');
  await page.getByTestId('step-submit').click();
  await page.getByTestId('step-done').waitFor();
  await page.locator('[data-testid="case-page"][data-case-state="decided"]').waitFor();
  await page.getByTestId('case-decision').waitFor();
  // Not served yet: the appeal periods wait for the delivery (行政许可法 第四十四条).
  assert.match((await page.getByTestId('appeal-pending').textContent()) ?? '', /待送达后起算/);
  assert.ok((await page.locator('[data-testid="case-timeline"] .qz-receipt-link').count()) >= 3, 'every step has its receipt');
  await page.getByTestId('disclosure-publish').click();
  await page.getByTestId('disclosure-result').waitFor();
  await page.locator('[data-testid="case-disclosure"][data-published="true"]').waitFor();
  await shot('console-case-decided');
});

e2e('the decision is on the public disclosures page with the name masked', async () => {
  await page.goto(url(`/catalogue/${PILOT}/disclosures`));
  await page.locator('[data-testid="disclosures-list"][data-state="ready"]').waitFor();
  const item = page.locator(`[data-testid="disclosure"][data-case="${flow.caseId}"]`);
  await item.waitFor();
  const text = (await item.textContent()) ?? '';
  assert.match(text, /欧阳\*\*/);
  assert.doesNotMatch(text, /欧阳明远/);
  await shot('portal-disclosures');
});

e2e('progress by tracking code, a rating, and a step receipt verified', async () => {
  await context.clearCookies();
  await page.goto(url('/progress'));
  await page.getByTestId('progress-code').fill(flow.code.toLowerCase().replace(/-/g, ''));
  await page.getByTestId('progress-submit').click();
  await page.getByTestId('progress-view').waitFor();
  assert.match((await page.getByTestId('progress-state').textContent()) ?? '', /已决定/);
  await page.getByTestId('progress-decision').waitFor();
  assert.match((await page.getByTestId('progress-decision').textContent()) ?? '', /准予许可/);
  assert.match((await page.getByTestId('progress-decision').textContent()) ?? '', /行政复议/);
  await page.getByTestId('rating-level-5').click();
  await page.getByTestId('rating-score-timeliness').selectOption('5');
  await page.getByTestId('rating-score-attitude').selectOption('4');
  await shot('portal-progress');
  await page.getByTestId('rating-submit').click();
  await page.getByTestId('rating-done').waitFor();
  await shot('portal-progress-rated');

  // The receipt of the first step, verified in the browser.
  await page.getByTestId('progress-steps').locator('.qz-receipt-link').first().click();
  await page.waitForURL(/\/verify\?index=\d+&leaf_hash=/);
  assert.match(await verdict('ok'), /该记录已在公开日志中/);
  await shot('verify-case-step');
});

e2e('accountability: the denied attempt is reviewed and concluded; evaluation and the dashboard charts', async () => {
  await signInAs('qinghe.supervision', `/console/accountability?region=${PILOT}&trigger=denied_authority`);
  await page.locator('[data-testid="acc-list"][data-state="ready"]').waitFor();
  const token = await csrf();
  const recs = await apiCall('GET', `accountability?region=${PILOT}&trigger=denied_authority&state=open&limit=100`, undefined, token);
  const rec = recs.items.find((/** @type {any} */ r) => r.case_id === flow.caseId);
  assert.ok(rec, 'the denied grant opened an accountability record');
  await shot('console-accountability');
  await page.getByTestId(`acc-review-${rec.id}`).click();
  await page.getByTestId('acc-notice').waitFor();
  await page.getByTestId(`acc-conclude-${rec.id}`).click();
  await page.getByTestId('acc-conclusion').fill('窗口人员误操作，已提醒；未造成后果。');
  await page.getByTestId('acc-conclude-submit').click();
  await page.getByTestId('acc-notice').filter({ hasText: '已办结' }).waitFor();

  await page.goto(url('/console/evaluation?region=990121'));
  await page.locator('[data-testid="eval-list"][data-state="ready"]').waitFor();
  assert.ok((await page.locator('[data-testid="eval-table"] tbody tr[data-row-key]').count()) > 0, 'towns evaluated');
  await page.locator('[data-testid="eval-tier-chart"] canvas').waitFor();
  await shot('console-evaluation');

  await page.goto(url('/console'));
  await page.locator('[data-testid="chart-clocks"] canvas').waitFor();
  await page.locator('[data-testid="chart-grants"] canvas').waitFor();
  await page.locator('[data-testid="chart-satisfaction"] canvas').waitFor();
  await page.waitForTimeout(800); // let the charts finish their entry animation
  await shot('console-dashboard-charts');
}, 90_000);

// ---------------------------------------------------------------------------
// Cases: a coercive measure (查封、扣押, 行政强制法) from the console.

/** The coercion item of 桥头镇 (暂扣未取得道路运输经营许可擅自从事经营的车辆). */
const COERCION_ITEM = 'QZ-12-0001';
/** @type {{caseId: number}} */
const seizure = { caseId: 0 };

e2e('a coercion case is opened from the console and approved by the head beforehand', async () => {
  await signInAs('qiaotou.chief', '/console/cases');
  await page.locator('[data-testid="cases-list"]:not([data-state="loading"])').waitFor();
  await page.getByTestId('cases-new').click();
  await page.getByTestId('new-case-power').click();
  await page.keyboard.type(COERCION_ITEM);
  await dropdownOptions().filter({ hasText: COERCION_ITEM }).first().click();
  await page.getByTestId('new-case-origin').click();
  await dropdownOptions().filter({ hasText: '检查发现' }).click();
  await page.getByTestId('new-case-procedure').click();
  await dropdownOptions().filter({ hasText: '行政强制措施（查封、扣押）' }).click();
  await page.getByTestId('new-case-party-kind').click();
  await dropdownOptions().filter({ hasText: '法人或其他组织' }).click();
  await page.getByTestId('new-case-party').fill('青山货运有限公司（端到端测试）');
  await shot('console-case-new-coercion');
  await page.getByTestId('new-case-submit').click();
  await page.waitForURL(/\/console\/cases\/\d+$/);
  seizure.caseId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.locator('[data-testid="case-page"][data-case-state="proposed"]').waitFor();
  assert.match((await page.getByTestId('case-title').textContent()) ?? '', /暂扣/);

  // The step list names the steps; the date defaults to today; approval needs its form.
  await pickStep('approve');
  assert.match((await page.getByTestId('step-requires').textContent()) ?? '', /须负责人/);
  const on = await page.getByTestId('step-on').inputValue();
  assert.match(on, /^\d{4}-\d{2}-\d{2}$/, 'the date defaults to today');
  assert.equal(await page.getByTestId('step-facts').isVisible(), false, 'no fact can be asserted at this step');
  assert.equal(await page.locator('[data-testid="doc-coercion_approval"][data-missing="true"]').count(), 1);
  assert.match((await page.getByTestId('doc-coercion_approval').textContent()) ?? '', /实施行政强制措施审批表/);
  await page.getByTestId('doc-coercion_approval').click();
  await page.getByTestId('step-submit').click();
  await page.getByTestId('step-done').waitFor();
  await page.locator('[data-testid="case-page"][data-case-state="approved"]').waitFor();
  await shot('console-case-coercion-approved');
});

e2e('two certified officers seize, hand over the decision, and the appeal routes run from that day', async () => {
  assert.ok(seizure.caseId > 0, 'case opened');
  const inspector = await personOf('qiaotou.inspector');
  await signInAs('qiaotou.officer', `/console/cases/${seizure.caseId}`);
  await page.locator('[data-testid="case-page"][data-case-state="approved"]').waitFor();
  await pickStep('seize');
  assert.match((await page.getByTestId('step-requires').textContent()) ?? '', /至少 2 名执行人员/);
  await page.getByTestId('step-serves').waitFor(); // service: the appeal periods run from this step
  for (const d of ['onsite_record', 'seizure_decision', 'seizure_list']) await page.getByTestId(`doc-${d}`).click();
  await page.getByTestId('decision-content').fill('扣押涉案车辆一辆（清单附后），期限三十日');
  // One officer is not enough: the form says so before anything is sent.
  await page.getByTestId('step-submit').click();
  await page.locator('.ant-form-item-explain-error').filter({ hasText: /至少 2 名执行人员|2 名持有效执法证/ }).first().waitFor();
  // The second officer.
  await page.getByTestId('step-officers').click();
  await page.keyboard.type(inspector.name);
  await dropdownOptions().filter({ hasText: inspector.name }).first().click();
  await page.keyboard.press('Escape');
  await page.getByTestId('step-submit').click();
  await page.getByTestId('step-done').waitFor();
  await page.locator('[data-testid="case-page"][data-case-state="seized"]').waitFor();

  // The decision with its appeal routes, counted from the day of the seizure (served on the spot).
  const decision = page.getByTestId('case-decision');
  await decision.waitFor();
  assert.match((await decision.textContent()) ?? '', /扣押涉案车辆/);
  const routes = page.getByTestId('appeal-routes');
  await routes.waitFor();
  const served = (await routes.getAttribute('data-served-on')) ?? '';
  assert.match(served, /^\d{4}-\d{2}-\d{2}$/, 'served on the day of the seizure');
  const rec = (await page.getByTestId('appeal-reconsideration').textContent()) ?? '';
  assert.match(rec, /行政复议：.+，60 日内/);
  assert.match(rec, /→ \d{4}-\d{2}-\d{2}|期限待人工核定/, 'a deadline, or a flag when the year is not loaded');
  assert.match((await page.getByTestId('appeal-litigation').textContent()) ?? '', /行政诉讼：.+，6 个月内/);
  assert.equal(await page.getByTestId('appeal-pending').count(), 0);
  // The timeline names both officers; the seizure period is a statutory clock of the officer.
  const seize = page.getByTestId('timeline-seize');
  await seize.waitFor();
  assert.match((await seize.textContent()) ?? '', new RegExp(inspector.name));
  assert.equal(await page.locator('[data-testid="case-clocks"] tr[data-id="seizure"][data-kind="officer"]').count(), 1);
  await shot('console-case-seized');

  // English second: the same page, names not codes.
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('appeal-reconsideration').filter({ hasText: 'Administrative reconsideration' }).waitFor();
  assert.match((await page.getByTestId('case-timeline').textContent()) ?? '', /Seal up or seize/);
  await shot('console-case-seized-en');
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('appeal-reconsideration').filter({ hasText: '行政复议' }).waitFor();
}, 90_000);

e2e('sign out ends the session', async () => {
  await page.goto(url('/console'));
  await page.getByTestId('logout').click();
  await page.waitForURL(/\/login/);
  await page.goto(url('/console/regions'));
  await page.waitForURL(/\/login\?next=/);
  const res = await context.request.get(url('/api/v1/session'));
  assert.equal(res.status(), 401);
});

test('the server stops on SIGTERM with exit status 0', { timeout: TEST_TIMEOUT_MS }, async () => {
  try {
    assert.ok(server, 'server was started');
    server.kill('SIGTERM');
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const code = await Promise.race([
      serverExited,
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error('server still running 20 s after SIGTERM')), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));
    assert.equal(code, 0, `exit status ${code} after SIGTERM (143 = killed by SIGTERM, not handled)`);
  } catch (e) {
    failures++;
    throw e;
  }
});
