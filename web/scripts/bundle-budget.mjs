#!/usr/bin/env node
// Bundle budget: after `vite build`, report the gzipped JavaScript a browser
// must download before each page can render, and fail if the public portal
// goes over budget.
//
// "First load" of a page = the entry chunk + every chunk it imports
// statically (transitively) + for a lazy page, its chunk and static imports.
// Read from Vite's build manifest (dist/.vite/manifest.json), which is
// removed afterwards so the server never publishes it.
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');

/** Budgets in KiB of gzipped JS, for pages a citizen can land on. */
const BUDGETS = {
  'portal (/)': 300,
  '/verify': 300,
  '/catalogue': 300,
  '/catalogue/:town': 300,
  '/catalogue/:town/items/:code': 300,
  '/catalogue/:town/versions': 300,
  '/catalogue/:town/items/:code/apply': 300,
  '/catalogue/:town/disclosures': 300,
  '/progress': 300,
};

if (!existsSync(manifestPath)) {
  console.error(`bundle-budget: ${manifestPath} not found (is build.manifest on in vite.config.ts?)`);
  process.exit(1);
}
/** @type {Record<string, {file: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[], src?: string}>} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const gz = new Map();
/** @param {string} file */
function gzipSize(file) {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return /** @type {number} */ (gz.get(file));
}

/** @param {string[]} keys */
function closure(keys) {
  const seen = new Set();
  const visit = (/** @type {string} */ k) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const i of manifest[k]?.imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return [...seen].map((k) => /** @type {{file: string}} */ (manifest[k]).file).filter((f) => f.endsWith('.js'));
}

const kib = (/** @type {number} */ n) => (n / 1024).toFixed(1);
const sum = (/** @type {string[]} */ files) => files.reduce((a, f) => a + gzipSize(f), 0);

const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
if (!entryKey) {
  console.error('bundle-budget: no entry in the manifest');
  process.exit(1);
}
const entryFiles = closure([entryKey]);
/** @type {[string, number][]} */
const rows = [['portal (/)', sum(entryFiles)]];

const pages = {
  '/verify': 'src/portal/VerifyPage.tsx',
  '/catalogue': 'src/portal/CataloguePage.tsx',
  '/catalogue/:town': 'src/portal/TownCataloguePage.tsx',
  '/catalogue/:town/items/:code': 'src/portal/ItemPage.tsx',
  '/catalogue/:town/versions': 'src/portal/VersionsPage.tsx',
  '/catalogue/:town/items/:code/apply': 'src/portal/ApplyPage.tsx',
  '/catalogue/:town/disclosures': 'src/portal/DisclosuresPage.tsx',
  '/progress': 'src/portal/ProgressPage.tsx',
  '/login': 'src/login/LoginPage.tsx',
  '/console': ['src/console/ConsoleLayout.tsx', 'src/console/DashboardPage.tsx'],
  '/console/regions': ['src/console/ConsoleLayout.tsx', 'src/console/RegionsPage.tsx'],
  '/console/catalogue': ['src/console/ConsoleLayout.tsx', 'src/console/PowersPage.tsx'],
  '/console/grants': ['src/console/ConsoleLayout.tsx', 'src/console/GrantsPage.tsx'],
  '/console/organisation': ['src/console/ConsoleLayout.tsx', 'src/console/OrganisationPage.tsx'],
  '/console/users': ['src/console/ConsoleLayout.tsx', 'src/console/UsersPage.tsx'],
  '/console/cases': ['src/console/ConsoleLayout.tsx', 'src/console/CasesPage.tsx'],
  '/console/cases/:id': ['src/console/ConsoleLayout.tsx', 'src/console/CasePage.tsx'],
  '/console/accountability': ['src/console/ConsoleLayout.tsx', 'src/console/AccountabilityPage.tsx'],
  '/console/evaluation': ['src/console/ConsoleLayout.tsx', 'src/console/EvaluationPage.tsx'],
};
for (const [page, src] of Object.entries(pages)) {
  const keys = [entryKey, ...(Array.isArray(src) ? src : [src])];
  if (keys.some((k) => !manifest[k])) continue;
  rows.push([page, sum(closure(keys))]);
}

let failed = false;
console.log('\nFirst-load JavaScript (gzip -9, KiB):');
for (const [page, bytes] of rows) {
  const budget = BUDGETS[/** @type {keyof typeof BUDGETS} */ (page)];
  const over = budget !== undefined && bytes > budget * 1024;
  if (over) failed = true;
  console.log(`  ${page.padEnd(36)} ${kib(bytes).padStart(7)}${budget ? `  (budget ${budget})` : ''}${over ? '  OVER BUDGET' : ''}`);
}
console.log(`  entry chunk(s): ${entryFiles.join(', ')}`);

rmSync(join(dist, '.vite'), { recursive: true, force: true });
if (failed) {
  console.error('\nbundle-budget: the public portal is over budget; keep heavy components in lazy chunks.');
  process.exit(1);
}
