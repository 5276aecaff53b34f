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
 */
function e2e(name, fn) {
  test(name, { timeout: TEST_TIMEOUT_MS }, async () => {
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
  await page.getByText('赋权目录即将公开').waitFor();
  await shot('portal-catalogue');
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
