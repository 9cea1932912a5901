// The auditor's workbench in a real browser (ADR 0016): `paywatch dev` with its demo data as a child process, the
// console, Debian's chromium via playwright-core. A case opened from the demo alerts is assigned, commented on, given
// an attachment and closed with a disposition that resolves its alerts; the inbox sorts, saves a filter and
// bulk-acknowledges; at 1366 px and on a 390 px phone (no sideways scrolling); axe-core on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { buildConsoleService } from '../src/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts/console');
const DOC_SHOTS = join(ROOT, 'docs/screenshots');
const PASSWORD = 'paywatch-demo';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[console case browser tests] SKIPPED: no chromium at ${CHROMIUM}`);

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => { const s = createServer(); s.once('error', () => res(false)); s.listen(port, '127.0.0.1', () => s.close(() => res(true))); });
}
async function freePortBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 24_000 + Math.floor(Math.random() * 2_000) * 10;
    if ((await Promise.all([0, 1, 2, 3].map((d) => portFree(base + d)))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

interface CaseRow { caseId: string; alertCount: number; totalSatang: number; status: string; provinceCode: string }

describe.skipIf(!haveChromium)('cases and the inbox in a real browser', () => {
  let dev: ChildProcess | undefined;
  let dataDir = '';
  let browser: Browser;
  let base = '';
  let alertsUrl = '';
  let stopConsole: (() => Promise<void>) | undefined;
  const axeSource = readFileSync(resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');
  const CSP_WATCH = `globalThis.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => globalThis.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`;

  beforeAll(async () => {
    const portBase = await freePortBase();
    const jwtSecret = randomBytes(32).toString('hex');
    dataDir = await mkdtemp(join(tmpdir(), 'paywatch-cases-e2e-'));
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
    alertsUrl = `http://127.0.0.1:${portBase + 3}`;
    if (consoleUrl) base = consoleUrl;
    else {
      const c = await buildConsoleService({ logger: createLogger({ service: 'console', level: 'error' }), metrics: createMetricsRegistry('console'), jwtSecret, cookieSecret: randomBytes(32).toString('hex'),
        upstream: { ingest: `http://127.0.0.1:${portBase + 1}`, detector: `http://127.0.0.1:${portBase + 2}`, alerts: alertsUrl } });
      await c.app.listen({ port: 0, host: '127.0.0.1' });
      const addr = c.app.server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      stopConsole = c.stop;
    }
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'] });
  }, 120_000);

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
  }, 30_000);

  /** No CSP violation, no serious or critical axe-core violation, the page no wider than the viewport; screenshot. */
  async function checkPage(page: Page, name: string, docShot?: string) {
    expect(await page.evaluate(() => (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? null), `${name}: CSP`).toEqual([]);
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] }> } }).axe.run());
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    expect(bad, `${name}: axe violations`).toEqual([]);
    const width = page.viewportSize()!.width;
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth), `${name}: sideways scrolling at ${width} px`).toBeLessThanOrEqual(width);
    const file = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (docShot && process.env.UPDATE_SCREENSHOTS === '1') { await mkdir(DOC_SHOTS, { recursive: true }); await copyFile(file, join(DOC_SHOTS, docShot)); }
  }

  async function signIn(username: string, width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    await context.addInitScript(CSP_WATCH);
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('ชื่อผู้ใช้').fill(username);
    await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }
  async function apiToken(username: string): Promise<string> {
    const r = await fetch(`${alertsUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    return ((await r.json()) as { token: string }).token;
  }
  const casesOf = async (token: string, qs = ''): Promise<CaseRow[]> => ((await (await fetch(`${alertsUrl}/v1/cases?limit=200${qs}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: CaseRow[] }).items;

  it('at 1366 px: the inbox sorts cases by amount and keeps a saved filter; ticked alerts are acknowledged in bulk', async () => {
    const page = await signIn('auditor-66', 1366);
    await page.goto(`${base}/inbox?view=cases`);
    expect(await page.locator('#cases tbody tr').count()).toBeGreaterThan(0);
    await page.getByLabel('เรียงตาม').selectOption('amount');
    await page.getByRole('button', { name: 'กรอง', exact: true }).click();
    await page.waitForURL(/sort=amount/);
    const totals = (await page.locator('#cases tbody tr td:nth-child(6)').allInnerTexts()).map((t) => Number(t.replace(/[^\d.]/g, '')));
    expect(totals.length).toBeGreaterThan(1);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    await checkPage(page, '20-inbox-cases');

    await page.getByLabel('บันทึกเงื่อนไขที่ใช้อยู่เป็นชื่อ').fill('ยอดเงินสูงสุด');
    await page.getByRole('button', { name: 'บันทึกชุดเงื่อนไข' }).click();
    await page.goto(`${base}/inbox?view=alerts`);
    await page.locator('#saved-filters').getByRole('link', { name: 'ยอดเงินสูงสุด' }).click();
    await page.waitForURL(/view=cases.*sort=amount|sort=amount.*view=cases/);
    expect(await page.getByLabel('เรียงตาม').inputValue()).toBe('amount');

    // Bulk acknowledge: two new alerts ticked, both acknowledged, the counts move.
    await page.goto(`${base}/inbox?view=alerts&status=new`);
    const newBefore = Number(await page.locator('#status-counts li').first().locator('strong').innerText());
    expect(newBefore).toBeGreaterThanOrEqual(2);
    const boxes = page.locator('#alerts tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: 'รับทราบรายการที่เลือก' }).click();
    await page.waitForURL(/done=ack/);
    expect(await page.locator('#bulk-notice').innerText()).toContain('รับทราบแล้ว 2 รายการ');
    expect(Number(await page.locator('#status-counts li').first().locator('strong').innerText())).toBe(newBefore - 2);
    await checkPage(page, '21-inbox-alerts-bulk');

    // Nothing ticked: the page says so and stays.
    await page.getByRole('button', { name: 'รับทราบรายการที่เลือก' }).click();
    expect(await page.locator('#filter-error').innerText()).toContain('กรุณาเลือก');
    await page.context().close();
  });

  it('at 1366 px: a case of demo alerts is assigned, commented on, given a voucher scan and closed, which resolves its alerts', async () => {
    const token = await apiToken('auditor-66');
    const cases = (await casesOf(token, '&status=open&sort=amount')).sort((a, b) => b.alertCount - a.alertCount);
    const target = cases[0]!;
    expect(target.alertCount).toBeGreaterThanOrEqual(1);
    const page = await signIn('auditor-66', 1366);
    await page.goto(`${base}/inbox?view=cases&sort=amount`);
    await page.locator(`a[href="/cases/${target.caseId}"]`).click();
    await page.waitForURL(new RegExp(`/cases/${target.caseId}$`));
    expect(await page.locator('h1').innerText()).toMatch(/^เรื่อง: /);
    expect(await page.locator('#case-alerts tbody tr').count()).toBe(target.alertCount);
    expect(await page.locator('#case-due').innerText()).toMatch(/25\d\d/); // a Buddhist-era date
    expect(await page.locator('main').innerText()).not.toMatch(/\b\d{10,14}\b/);

    await page.getByLabel('ผู้รับผิดชอบ (ผู้ตรวจสอบในพื้นที่)').selectOption('auditor-66');
    await page.getByRole('button', { name: 'มอบหมาย', exact: true }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#case-assignee').innerText()).toContain('พิมพ์ชนก');

    await page.getByLabel('ความเห็น', { exact: true }).fill('ขอสำเนาฎีกาและหลักฐานการโอนจาก อปท. แล้ว');
    await page.getByRole('button', { name: 'บันทึกความเห็น' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#timeline').innerText()).toContain('แสดงความเห็น: “ขอสำเนาฎีกาและหลักฐานการโอนจาก อปท. แล้ว”');

    // A text file is refused by its bytes: the message stays on the case page.
    await page.setInputFiles('#attachment', { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('not a scan') });
    await page.getByRole('button', { name: 'แนบไฟล์' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#attach-error').innerText()).toContain('PDF, PNG หรือ JPEG');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await page.setInputFiles('#attachment', { name: 'ฎีกา-15-2569.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'แนบไฟล์' }).click();
    await page.waitForLoadState('load');
    const link = page.locator('#attachments').getByRole('link', { name: 'ฎีกา-15-2569.pdf' });
    const download = await page.request.get(`${base}${await link.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
    await page.reload();
    expect(await page.locator('#timeline').innerText()).toContain('ดาวน์โหลดไฟล์แนบ "ฎีกา-15-2569.pdf"');
    await checkPage(page, '22-case', 'case-page.png');

    // A blank reason is refused by the service: the chosen disposition and the page stay.
    await page.getByLabel('ผลการพิจารณา').selectOption('confirmed');
    await page.getByLabel('เหตุผล', { exact: true }).fill('   ');
    await page.getByRole('button', { name: 'ปิดเรื่องและการแจ้งเตือนทั้งหมด' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#close-error').innerText()).toMatch(/[\u0E00-\u0E7F]/);
    expect(await page.getByLabel('ผลการพิจารณา').inputValue()).toBe('confirmed');
    await page.getByLabel('เหตุผล', { exact: true }).fill('ตรวจแล้วพบว่าบัญชีไม่ใช่ของผู้รับจ้าง ส่งเรื่องให้ สตง.');
    await page.getByRole('button', { name: 'ปิดเรื่องและการแจ้งเตือนทั้งหมด' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#case-status').innerText()).toContain('ปิดแล้ว');
    const statuses = await page.locator('#case-alerts tbody tr td:nth-child(5)').allInnerTexts();
    expect(statuses.length).toBe(target.alertCount);
    for (const s of statuses) expect(s).toContain('ปิดแล้ว — ยืนยันว่าผิดปกติ');
    expect(await page.locator('#timeline').innerText()).toContain('ปิดเรื่องด้วยผลการพิจารณา "ยืนยันว่าผิดปกติ"');
    // Another province's auditor cannot open it.
    const other = await signIn('auditor-60', 1366);
    expect((await other.goto(`${base}/cases/${target.caseId}`))?.status()).toBe(404);
    await other.context().close();
    await page.context().close();
  });

  it('at 390 px: the inbox (cases and alerts) and a case page fit the phone without sideways scrolling and pass axe-core', async () => {
    const page = await signIn('auditor-66', 390);
    await page.goto(`${base}/inbox?view=cases&sort=severity`);
    expect(await page.locator('#cases tbody tr').count()).toBeGreaterThan(0);
    await checkPage(page, '23-inbox-phone', 'inbox-phone.png');
    await page.goto(`${base}/inbox?view=alerts`);
    await checkPage(page, '24-inbox-alerts-phone');
    const href = await page.locator('#alerts tbody a[href^="/cases/"]').first().getAttribute('href');
    await page.goto(`${base}${href}`);
    await checkPage(page, '25-case-phone');
    await page.context().close();
  });
});
