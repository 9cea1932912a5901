// End-to-end: the real pipeline (`paywatch dev` as a child process) + the console + Debian's chromium via
// playwright-core. Every page is checked with axe-core (no serious/critical violations) and screenshotted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { readTopic } from '@paywatch/testkit';
import { buildConsoleService } from '../src/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts/console');
const SCREENSHOTS = resolve(import.meta.dirname, '../screenshots');
const PASSWORD = 'paywatch-demo';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[console browser tests] SKIPPED: no chromium at ${CHROMIUM} (apt-get install chromium; the test command installs it on CI)`);

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => { const s = createServer(); s.once('error', () => res(false)); s.listen(port, '127.0.0.1', () => s.close(() => res(true))); });
}
async function freePortBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20_000 + Math.floor(Math.random() * 2_000) * 10;
    if ((await Promise.all([0, 1, 2, 3].map((d) => portFree(base + d)))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

describe.skipIf(!haveChromium)('console in a real browser', () => {
  let dev: ChildProcess | undefined;
  let dataDir = '';
  let browser: Browser;
  let base = '';
  let urls: { ingest: string; detector: string; alerts: string };
  let stopConsole: (() => Promise<void>) | undefined;
  let jwtSecret = '';
  const axeSource = readFileSync(resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');
  const shots: string[] = [];

  beforeAll(async () => {
    const portBase = await freePortBase();
    jwtSecret = randomBytes(32).toString('hex');
    dataDir = await mkdtemp(join(tmpdir(), 'paywatch-console-e2e-'));
    dev = spawn(process.execPath, ['--import', 'tsx', 'apps/paywatch/src/main.ts', 'dev', '--port-base', String(portBase), '--data-dir', dataDir], {
      cwd: ROOT, env: { ...process.env, JWT_SECRET: jwtSecret, LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let consoleUrl: string | null = null;
    await new Promise<void>((res, rej) => {
      dev!.once('exit', (code) => rej(new Error(`paywatch dev exited with ${code}`)));
      createInterface({ input: dev!.stdout! }).on('line', (line) => {
        const m = /^\s*console\s+(http:\/\/\S+?)\/login/.exec(line);
        if (m) consoleUrl = m[1]!;
        if (line.includes('press Ctrl-C')) res();
      });
    });
    urls = { ingest: `http://127.0.0.1:${portBase + 1}`, detector: `http://127.0.0.1:${portBase + 2}`, alerts: `http://127.0.0.1:${portBase + 3}` };
    if (consoleUrl) base = consoleUrl;
    else {
      // Until `paywatch dev` starts the console itself, run it here against the child's services.
      const c = await buildConsoleService({ logger: createLogger({ service: 'console', level: 'error' }), metrics: createMetricsRegistry('console'), jwtSecret, cookieSecret: randomBytes(32).toString('hex'), upstream: urls });
      await c.app.listen({ port: 0, host: '127.0.0.1' });
      const addr = c.app.server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      stopConsole = c.stop;
    }
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'] });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stopConsole?.();
    if (dev && dev.exitCode === null) {
      const exited = new Promise((r) => dev!.once('exit', r));
      dev.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (dev.exitCode === null) dev.kill('SIGKILL');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    // Tests write only to test-artifacts/; `UPDATE_SCREENSHOTS=1 pnpm vitest run services/console` refreshes the
    // committed ones the README shows, so an ordinary test run never dirties the working tree.
    if (shots.length && process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(SCREENSHOTS, { recursive: true });
      for (const f of await readdir(ARTIFACTS)) if (shots.includes(f)) await copyFile(join(ARTIFACTS, f), join(SCREENSHOTS, f));
    }
  }, 30_000);

  /** Records every Content-Security-Policy violation of the page's documents (installed before any page script runs). */
  const CSP_WATCH = `globalThis.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => globalThis.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`;

  /** The page renders under the console's CSP (nothing it needs was blocked); axe-core finds no serious or critical violations. */
  async function checkPage(page: Page, name: string) {
    const csp = await page.evaluate(() => (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? null);
    expect(csp, `${name}: CSP violations (null: the page was opened without the CSP watch)`).toEqual([]);
    // Evaluated through the debugger, not as an inline <script>: the console's CSP rightly refuses those.
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] }> } }).axe.run());
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    expect(bad, `${name}: axe violations`).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    shots.push(`${name}.png`);
  }

  async function signIn(username: string, at = base): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    await context.addInitScript(CSP_WATCH);
    const page = await context.newPage();
    await page.goto(`${at}/login`);
    await page.getByLabel('ชื่อผู้ใช้').fill(username);
    await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  it('login page is Thai, labelled and accessible', async () => {
    const page = await browser.newPage();
    await page.addInitScript(CSP_WATCH);
    await page.goto(`${base}/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('th');
    // load() first: under load the page can be checked before the bundled font has finished loading.
    expect(await page.evaluate(async () => {
      const fonts = (globalThis as unknown as { document: { fonts: { load(font: string, text: string): Promise<unknown>; check(font: string, text: string): boolean } } }).document.fonts;
      // load() resolves with the faces it loaded: none means the page declares no Sarabun at all.
      const loaded = (await fonts.load('16px Sarabun', 'ก')) as unknown[];
      return loaded.length > 0 && fonts.check('16px Sarabun', 'ก');
    })).toBe(true);
    await checkPage(page, '01-login');
    await page.close();
  });

  it('finance uploads a Windows-874 file, watches it processed, sees its rejected rows in Thai; the same file again says so', async () => {
    const page = await signIn('finance-6600101');
    expect(new URL(page.url()).pathname).toBe('/upload');
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(0); // the demo batches
    await checkPage(page, '02-upload');
    // The upload page fits a 390 px phone and 1366 px without sideways scrolling, axe-clean at both widths.
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      // Wide tables may scroll inside their own box (.scroll); nothing else may stick out.
      const wide = scrollWidth > width ? await page.evaluate((w) => Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ id: string; tagName: string; closest(s: string): unknown; getBoundingClientRect(): { right: number } }> } }).document.querySelectorAll("main *"))
        .filter((e) => e.getBoundingClientRect().right > w && !e.closest('.scroll')).slice(0, 6).map((e) => `${e.tagName}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`), width) : [];
      expect(scrollWidth, `upload page at ${width} px; too wide: ${wide.join(' | ')}`).toBeLessThanOrEqual(width);
      await checkPage(page, `02-upload-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const file = { name: 'ktb-bulk-cp874.txt', mimeType: 'text/plain', buffer: readFileSync(join(ROOT, 'examples/ktb-bulk-cp874.txt')) };
    await page.setInputFiles('#file', file);
    // Before the upload commits: the detected format and encoding.
    await expect.poll(() => page.locator('#file-preview').innerText()).toContain('Windows-874');
    expect(await page.locator('#file-preview').innerText()).toContain('KTB bulk');
    await page.getByRole('button', { name: 'อัปโหลด', exact: true }).click();
    await page.waitForURL(/\/batches\/b_[0-9a-f]{24}$/);
    await expect.poll(() => page.locator('#rejects tbody tr').count()).toBeGreaterThan(0);
    const body = await page.locator('main').innerText();
    expect(body).toContain('windows-874');
    expect(body).toContain('ประมวลผลเสร็จ');
    expect(body).toMatch(/รหัสธนาคาร|วันที่/); // reasons in Thai
    await checkPage(page, '03-batch-rejects');
    const csvHref = await page.getByRole('link', { name: 'ดาวน์โหลด CSV' }).getAttribute('href');
    const csv = await page.request.get(`${base}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('reason_th');

    await page.goto(`${base}/upload`);
    await page.setInputFiles('#file', file);
    await page.getByRole('button', { name: 'อัปโหลด', exact: true }).click();
    await page.waitForURL(/\?duplicate=1$/);
    expect(await page.locator('main').innerText()).toContain('ไฟล์นี้เคยอัปโหลดแล้ว');
    await page.context().close();
  });

  it('finance uploads a payee list with one bad row, sees the new version and the refused row in Thai, and a list of another LAO is refused whole', async () => {
    // LAO 6000101 has no demo list and no payments after this test, so the detector's alerts stay as the other tests expect.
    const page = await signIn('finance-6000101');
    const payees = ['ชื่อผู้รับเงิน,รหัสธนาคาร,เลขที่บัญชี,สถานะ', 'หจก. รุ่งเรืองการช่าง,006,1234567890,ใช้งาน', 'ร้านสมใจพาณิชย์,002,2223334445,ใช้งาน', 'นายไม่มีธนาคาร,999,5556667778,ใช้งาน'].join('\r\n');
    await page.getByLabel('ประเภทรายการ').selectOption({ label: 'ทะเบียนผู้รับเงินโอน' });
    await page.setInputFiles('#ref-file', { name: 'payees-6000101.csv', mimeType: 'text/csv', buffer: Buffer.from(payees, 'utf8') });
    await page.getByRole('button', { name: 'อัปโหลดรายการอ้างอิง' }).click();
    await page.waitForURL(/\/reference\/payees\/6000101\?uploaded=1$/);
    expect(await page.locator('h1').innerText()).toContain('ทะเบียนผู้รับเงินโอน ฉบับที่ 1');
    expect(await page.locator('#reference-notice').innerText()).toContain('ใช้งานแล้ว');
    expect(await page.locator('#reference-summary').innerText()).toMatch(/รายการที่รับ\s+2/);
    const refused = page.locator('#reference-rejects tbody tr');
    expect(await refused.count()).toBe(1);
    expect(await refused.first().innerText()).toMatch(/4\s+รหัสธนาคาร\s+.*[\u0E00-\u0E7F]/);
    expect(await refused.first().innerText()).toContain('999');
    await checkPage(page, '10-reference-list');
    const csv = await page.request.get(`${base}/reference/payees/6000101/rejects.csv`);
    expect(await csv.text()).toContain('reason_th');

    await page.goto(`${base}/upload`);
    expect(await page.locator('#reference-lists').innerText()).toMatch(/ทะเบียนผู้รับเงินโอน\s+6000101\s+1\s+2\s+1\s+\d+ [ก-๙.]+ 25\d\d/);
    await page.getByLabel('ประเภทรายการ').selectOption('payees');
    await page.setInputFiles('#ref-file', { name: 'payees-other.csv', mimeType: 'text/csv', buffer: Buffer.from('รหัส อปท.,ชื่อผู้รับเงิน,รหัสธนาคาร,เลขที่บัญชี\r\n6600101,ร้าน ก,006,1111111111\r\n', 'utf8') });
    await page.getByRole('button', { name: 'อัปโหลดรายการอ้างอิง' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#reference-error').innerText()).toContain('6600101');
    expect(await page.locator('#reference-error').innerText()).toContain('รายการที่ใช้อยู่เดิมยังคงใช้ต่อไป');
    expect(await page.locator('#reference-lists tbody tr').count()).toBe(1); // version 1 stays in force
    await checkPage(page, '11-reference-refused');
    await page.context().close();
  });

  it('finance replacing the list in force sees the diff and must confirm (twice for a drop of more than half); the page fits 1366 and 390 px without sideways scrolling, and version 1 stays in force', async () => {
    // After the payee-list test above: version 1 of 6000101 holds 2 payees; this one keeps neither and adds one.
    const page = await signIn('finance-6000101');
    const next = ['ชื่อผู้รับเงิน,รหัสธนาคาร,เลขที่บัญชี,สถานะ', 'ร้านใหม่เอี่ยม จำกัด สาขาตลาดเทศบาลตำบลหนองบัว,014,5000000009,ใช้งาน'].join('\r\n');
    await page.getByLabel('ประเภทรายการ').selectOption('payees');
    await page.setInputFiles('#ref-file', { name: 'payees-6000101-v2.csv', mimeType: 'text/csv', buffer: Buffer.from(next, 'utf8') });
    await page.getByRole('button', { name: 'อัปโหลดรายการอ้างอิง' }).click();
    await page.waitForURL(/\/reference\/payees\/6000101\/staged\/[0-9a-f]+$/);
    const counts = await page.locator('#staged-counts').innerText();
    expect(counts).toMatch(/2\s+รายการในฉบับที่ใช้อยู่/);
    expect(counts).toMatch(/1\s+เพิ่ม/);
    expect(counts).toMatch(/2\s+ลบ/);
    expect(await page.locator('#staged-large-drop').innerText()).toContain('ลบ 2 จาก 2 รายการ');
    expect(await page.locator('#diff-removed tbody tr').count()).toBe(2);
    expect(await page.locator('#diff-added').innerText()).toContain('******0009');
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const [scrollWidth, clientWidth] = await page.evaluate(() => { const el = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return [el.scrollWidth, el.clientWidth]; });
      expect(scrollWidth, `sideways scroll at ${width} px`).toBeLessThanOrEqual(clientWidth);
      await checkPage(page, `12-reference-diff-${width}`);
    }
    // The second confirmation is a required checkbox: without it the browser does not send the form.
    await page.getByRole('button', { name: 'ยืนยันใช้ฉบับใหม่' }).click();
    expect(page.url()).toMatch(/\/staged\/[0-9a-f]+$/);
    await page.getByLabel(/ยืนยันว่าต้องการลบ 2 รายการ/).check();
    await page.getByRole('button', { name: 'ยืนยันใช้ฉบับใหม่' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#staged-status').innerText()).toContain('รอผู้อนุมัติคนที่สอง');
    // The clerk cannot be the second person: no approve button for them, and version 1 is still the one in force.
    expect(await page.locator('#staged-approve').count()).toBe(0);
    await page.goto(`${base}/reference/payees/6000101`);
    expect(await page.locator('h1').innerText()).toContain('ฉบับที่ 1');
    await page.context().close();
  });

  it("auditor of province 66 sees a 66 alert with its chart, resolves it, and cannot open province 60's alert", async () => {
    const login = await fetch(`${urls.alerts}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'central-1', password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const all = (await (await fetch(`${urls.alerts}/v1/alerts?limit=200`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { alertId: string; provinceCode: string; ruleIds: string[] }[] };
    const other = all.items.find((a) => a.provinceCode === '60')!;
    expect(other).toBeTruthy();

    const page = await signIn('auditor-66');
    expect(new URL(page.url()).pathname).toBe('/inbox');
    const provinces = await page.locator('#alerts tbody tr td:nth-child(4)').allInnerTexts();
    expect(provinces.length).toBeGreaterThan(0);
    expect(new Set(provinces)).toEqual(new Set(['พิจิตร'])); // province 66, by name
    await checkPage(page, '04-inbox');

    await page.getByRole('link', { name: 'แบ่งจ่ายเลี่ยงวงเงิน' }).first().click();
    await page.waitForURL(/\/alerts\/al_/);
    await expect.poll(() => page.locator('canvas[data-rendered="true"]').count()).toBeGreaterThan(0);
    // The split payments stacked against the threshold, and the alert's payments over time with the flagged one marked.
    expect(await page.locator('canvas[data-chart="chart-0"]').getAttribute('aria-label')).toMatch(/วงเงิน: วงเงิน [\d,]+/);
    expect(await page.locator('canvas[data-chart="chart-payments"][data-rendered="true"]').getAttribute('aria-label')).toContain('รายการที่ถูกแจ้งเตือน');
    expect(await page.locator('.reason').first().innerText()).toMatch(/[\u0E00-\u0E7F]/);
    expect(await page.locator('#payments').innerText()).toMatch(/\*{4,}\d{4}/);
    expect(await page.locator('#legal-basis').innerText()).toContain('พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ');
    expect(await page.locator('main').innerText()).not.toMatch(/\b\d{10,14}\b/); // no account in clear before the reveal
    await checkPage(page, '05-alert');

    // The audited reveal: the digits appear once, and the trail names who revealed.
    await page.getByLabel('วัตถุประสงค์ (ไม่บังคับ)').fill('เทียบกับสมุดบัญชี');
    await page.getByRole('button', { name: 'เปิดดูเลขบัญชี' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#revealed-values .revealed').first().innerText()).toMatch(/\d{10,14}/);
    expect(await page.locator('#audit').innerText()).toContain('เปิดดูเลขบัญชี/เลขประจำตัวที่ปิดบัง');

    await page.getByRole('button', { name: 'มอบหมาย' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').innerText()).toContain('auditor-66');
    await page.getByLabel('ผลการตรวจสอบ').selectOption('false-positive');
    await page.getByLabel('เหตุผล', { exact: true }).first().fill('ตรวจฎีกาแล้ว เป็นการจัดซื้อสองสัญญาแยกกันตามระเบียบ');
    await page.getByRole('button', { name: 'ปิดเรื่อง' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#alert-status').innerText()).toContain('ปิดแล้ว');
    expect(await page.locator('#audit li').count()).toBeGreaterThanOrEqual(3);

    const res = await page.goto(`${base}/alerts/${other.alertId}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('main').innerText()).toContain('ไม่พบข้อมูลที่ขอ');
    await checkPage(page, '06-not-found');

    await page.goto(`${base}/inbox?status=resolved&rule=split-payment`);
    expect(await page.locator('#alerts tbody tr').count()).toBe(1);
    // The filter form is a plain GET form: a Buddhist-era date typed by hand filters on the server.
    await page.goto(`${base}/inbox`);
    await page.getByLabel('จ่ายตั้งแต่วันที่ (วว/ดด/ปปปป พ.ศ.)').fill('1/1/2500');
    await page.getByRole('button', { name: 'กรอง' }).click();
    await page.waitForURL(/from=1%2F1%2F2500/);
    expect(await page.locator('#alerts tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('จ่ายตั้งแต่วันที่ (วว/ดด/ปปปป พ.ศ.)').inputValue()).toBe('1/1/2500');
    await page.goto(`${base}/inbox?from=31/02/2569`);
    expect(await page.locator('#filter-error').innerText()).toContain('"from"');
    await page.goto(`${base}/inbox?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe('Alert inbox');
    await page.context().close();
  });

  it('the centre sees provinces ranked by open baht at risk, the monthly trend and per-rule outcomes', async () => {
    const page = await signIn('central-1');
    expect(new URL(page.url()).pathname).toBe('/centre');
    expect(await page.locator('#province-ranking tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#province-ranking').innerText()).toContain('นครสวรรค์');
    expect(await page.locator('svg#trend-raised rect').count()).toBeGreaterThan(0);
    await checkPage(page, '07-centre');
    await page.context().close();
  });

  it('ops sees every service ready and the consumer lag per partition', async () => {
    const page = await signIn('ops-1');
    expect(new URL(page.url()).pathname).toBe('/ops');
    expect(await page.locator('#ready .ok').count()).toBe(3);
    expect(await page.locator('#lag tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#lag').innerText()).toContain('disbursements.v1');
    // Every consumer group: the detector's two stages and the alerts service's store and dead-letter reader.
    const groups = await page.locator('#lag-groups').innerText();
    for (const g of ['detector', 'alerts', 'alerts-dead-letters']) expect(groups).toContain(g);
    expect(await page.locator('#lag').innerText()).toContain('alerts.v1');
    expect(await page.locator('#reference-table').innerText()).toContain('อ่านครบแล้ว');
    expect(await page.locator('#notif-counts').innerText()).toMatch(/\d/);
    expect(await page.locator('#channels').innerText()).toContain('email');
    const rejectedRow = page.locator('#throughput tr', { hasText: 'แถวที่ไม่รับ' });
    expect(Number(await rejectedRow.locator('td').first().innerText())).toBeGreaterThanOrEqual(2); // the demo file's two broken rows
    await checkPage(page, '08-ops');
    await page.context().close();
  });

  it('ops sees a dead letter without payment data, replays it once, and the record is back on its source topic with x-paywatch-replay-of', async () => {
    // The demo pipeline produces no dead letters, and its event log lives inside the child process: this scenario
    // runs its own alerts service (PostgreSQL peer, in-process log) and console next to the child's ingest and detector.
    const { serviceOnPg } = await import('../../alerts/test/helpers.ts');
    const alerts = await serviceOnPg({ extra: { jwtSecret, demoPasswords: { 'ops-1': PASSWORD } } });
    let ownConsole: Awaited<ReturnType<typeof buildConsoleService>> | undefined;
    try {
      const producer = await alerts.eventLog.producer();
      const record = JSON.stringify({ laoCode: '6600101', payeeAccount: '0123454321', payeeName: 'นายสมชาย ใจดี', amountSatang: 'not a number' });
      await producer.send('disbursements.v1.dlq', [{ key: '6600101', value: record, headers: { 'x-dlq-reason': 'amountSatang: Invalid input: expected number, received string', 'x-dlq-source': 'disbursements.v1/2/17' } }]);
      await producer.close();
      await alerts.service.start();
      await alerts.service.app.listen({ port: 0, host: '127.0.0.1' });
      const addr = alerts.service.app.server.address();
      const alertsUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      ownConsole = await buildConsoleService({ logger: createLogger({ service: 'console', level: 'error' }), metrics: createMetricsRegistry('console'), jwtSecret, cookieSecret: randomBytes(32).toString('hex'), upstream: { ...urls, alerts: alertsUrl } });
      await ownConsole.app.listen({ port: 0, host: '127.0.0.1' });
      const caddr = ownConsole.app.server.address();
      const consoleUrl = `http://127.0.0.1:${typeof caddr === 'object' && caddr ? caddr.port : 0}`;

      const page = await signIn('ops-1', consoleUrl);
      await expect.poll(async () => { await page.reload(); return page.locator('#dead-letters tbody tr').count(); }, { timeout: 15_000 }).toBe(1);
      const table = await page.locator('#dead-letter-section').innerText();
      expect(table).toContain('disbursements.v1.dlq');
      expect(table).toContain('amountSatang');
      for (const secret of ['0123454321', 'สมชาย', 'not a number']) expect(table).not.toContain(secret);
      await checkPage(page, '09-dead-letters');

      await page.getByRole('button', { name: 'ส่งกลับเข้าคิว' }).click();
      await page.waitForURL(/\/ops\?replayed=\d+/);
      expect(await page.locator('#replay-notice').innerText()).toContain('ส่งข้อความหมายเลข');
      expect(await page.locator('#dead-letters tbody tr').first().innerText()).toContain('ops-1');
      expect(await page.getByRole('button', { name: 'ส่งกลับเข้าคิว' }).count()).toBe(0);
      const [replayed] = await readTopic(alerts.eventLog, 'disbursements.v1', 1);
      expect(replayed!.value.toString()).toBe(record);
      expect(replayed!.headers['x-paywatch-replay-of']).toBe('disbursements.v1/2/17');
      await page.context().close();
    } finally {
      await ownConsole?.stop();
      await alerts.close();
    }
  }, 60_000);
});
