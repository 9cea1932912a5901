// The centre page in Debian's chromium (playwright-core) against the real alerts service (PostgreSQL peer, the
// centre seed across three provinces) and the console: ranking, Thai names, BE dates, charts, inbox links, exports
// scoped like the page, no sideways scroll at 1366 and 390 px, and axe-core finding nothing serious.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { firstSheetRows, zipEntries } from '@paywatch/ktb-formats';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { seededCentre } from '../../alerts/test/centre-seed.ts';
import type { PgService } from '../../alerts/test/helpers.ts';
import { buildConsoleService } from '../src/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts/console');
const PASSWORD = 'paywatch-demo';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[centre browser tests] SKIPPED: no chromium at ${CHROMIUM}`);

describe.skipIf(!haveChromium)('centre page in a real browser', () => {
  let s: PgService;
  let browser: Browser;
  let base = '';
  let stopConsole: (() => Promise<void>) | undefined;
  const axeSource = readFileSync(resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');

  beforeAll(async () => {
    const jwtSecret = randomBytes(32).toString('hex');
    const seeded = await seededCentre({ extra: { jwtSecret, demoPasswords: { 'central-1': PASSWORD, 'auditor-19': PASSWORD } } });
    s = seeded.s;
    // Seeded in September–November 2026; from here the clock stands at the real time, so sessions and tokens are current.
    seeded.clock.advance(Date.now() - seeded.clock.now().getTime());
    await s.service.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = s.service.app.server.address();
    const alerts = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    // Only alerts is called by the centre and inbox pages; ingest and detector are never reached here.
    const c = await buildConsoleService({ logger: createLogger({ service: 'console', level: 'error' }), metrics: createMetricsRegistry('console'), jwtSecret, cookieSecret: randomBytes(32).toString('hex'), upstream: { ingest: alerts, detector: alerts, alerts } });
    await c.app.listen({ port: 0, host: '127.0.0.1' });
    const caddr = c.app.server.address();
    base = `http://127.0.0.1:${typeof caddr === 'object' && caddr ? caddr.port : 0}`;
    stopConsole = c.stop;
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopConsole?.();
    await s?.close();
  }, 30_000);

  async function signIn(username: string, width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('ชื่อผู้ใช้').fill(username);
    await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    // Auditors land on their inbox; the centre is one menu item away.
    if (new URL(page.url()).pathname !== '/centre') await page.getByRole('navigation').getByRole('link', { name: 'ศูนย์เฝ้าระวัง' }).click();
    await page.waitForURL((u) => u.pathname === '/centre');
    return page;
  }

  /** The page never scrolls sideways, and axe-core finds no serious or critical violation. */
  async function fitsAndPassesAxe(page: Page, name: string) {
    const { scrollWidth, innerWidth } = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return { scrollWidth: g.document.documentElement.scrollWidth, innerWidth: g.innerWidth };
    });
    expect(scrollWidth, `${name}: page wider than the viewport`).toBeLessThanOrEqual(innerWidth);
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] }> } }).axe.run());
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    expect(bad, `${name}: axe violations`).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  it('when central opens the centre at 1366 px, then provinces and LAOs are ranked by open baht with Thai names, BE dates, labelled charts and inbox links', async () => {
    const page = await signIn('central-1', 1366);
    const provinces = page.locator('#province-ranking tbody tr');
    expect(await provinces.locator('th').allInnerTexts()).toEqual(['พิจิตร', 'นครสวรรค์', 'สระบุรี']);
    expect(await provinces.first().innerText()).toContain('1,001,400.00 บาท');
    expect(await page.locator('#lao-ranking tbody tr').first().innerText()).toMatch(/เทศบาลเมืองพิจิตร.*6600101.*เมืองพิจิตร\s+พิจิตร\s+1,000,700.00 บาท/s);
    expect(await page.locator('#centre-summary').innerText()).toContain('1,201,400.00 บาท');
    expect(await page.locator('main .notice').innerText()).toMatch(/ข้อมูล ณ \d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d/);
    // The baht trend spans 3,000 to 2.5 million baht: a log axis, said so on the axis; both axes are titled.
    const bahtChart = await page.locator('svg#trend-baht').textContent();
    expect(bahtChart).toContain('บาท (สเกลลอการิทึม)');
    expect(bahtChart).toContain('เดือนที่พบ (พ.ศ.)');
    expect(bahtChart).toMatch(/พ\.ย\.\s*2569/);
    expect(await page.locator('svg#trend-raised').textContent()).toContain('จำนวนการแจ้งเตือน');
    expect(await page.locator('#ageing tbody tr').first().innerText()).toMatch(/วิกฤต\s+3 วัน/);
    expect(await page.locator('#rule-outcomes').innerText()).toMatch(/จ่ายซ้ำ\s+2\s+3\s+1 \(33\.3%\)/);
    await fitsAndPassesAxe(page, 'centre-1366');
    await page.screenshot({ path: join(ARTIFACTS, 'centre-ranking.png') });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(join(ROOT, 'docs/screenshots'), { recursive: true });
      await copyFile(join(ARTIFACTS, 'centre-ranking.png'), join(ROOT, 'docs/screenshots/centre-ranking.png'));
    }
    await provinces.first().getByRole('link', { name: 'พิจิตร' }).click();
    await page.waitForURL((u) => u.pathname === '/inbox' && u.searchParams.get('province') === '66');
    expect(await page.locator('#alerts tbody tr').count()).toBeGreaterThan(0);
    await page.goto(`${base}/centre`);
    await page.locator('#lao-ranking').getByRole('link', { name: 'เทศบาลเมืองพิจิตร' }).click();
    await page.waitForURL((u) => u.pathname === '/inbox' && u.searchParams.get('lao') === '6600101');
    await page.context().close();
  });

  it('when the centre is opened on a 390 px phone, then nothing scrolls sideways and axe finds nothing serious', async () => {
    const page = await signIn('central-1', 390);
    expect(await page.locator('#province-ranking tbody tr').count()).toBe(3);
    await fitsAndPassesAxe(page, 'centre-390');
    await page.screenshot({ path: join(ARTIFACTS, 'centre-390-top.png') });
    await page.locator('section', { has: page.locator('#trend-h') }).screenshot({ path: join(ARTIFACTS, 'centre-390-trend.png') });
    await page.context().close();
  });

  it('when a provincial auditor opens the centre and exports, then page, CSV and XLSX hold their province only', async () => {
    const page = await signIn('auditor-19', 1366);
    expect(await page.locator('#province-ranking tbody th').allInnerTexts()).toEqual(['สระบุรี']);
    expect(await page.locator('main').innerText()).not.toMatch(/พิจิตร|นครสวรรค์/);
    const csv = await page.request.get(`${base}/centre/ranking.csv`);
    expect([csv.status(), csv.headers()['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
    const rows = parse((await csv.text()).replace(/^\uFEFF/, '')) as string[][];
    expect(rows.slice(1).map((r) => r[2])).toEqual(['19', '19']); // the province, then its one LAO
    const xlsx = await page.request.get(`${base}/centre/rules.xlsx`);
    expect(xlsx.status()).toBe(200);
    const bytes = new Uint8Array(await xlsx.body());
    const sheet: string[][] = [];
    for await (const r of firstSheetRows(bytes, zipEntries(bytes)!, 5_000)) sheet.push(r.cells);
    expect(sheet[0]![0]).toBe('รหัสกฎ');
    // Province 19 had four rules fire (duplicate-payment resolved as a false positive once there).
    expect(sheet.slice(1).map((r) => r[0]).sort()).toEqual(['amount-outlier', 'duplicate-payment', 'near-threshold', 'split-payment']);
    expect(sheet.find((r) => r[0] === 'duplicate-payment')!.slice(2, 8)).toEqual(['0', '1', '0', '1', '0', '0']);
    expect((await page.request.get(`${base}/centre/secrets.csv`)).status()).toBe(404);
    await page.context().close();
  });
});
