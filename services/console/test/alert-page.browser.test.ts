// The alert page in a real browser (Debian chromium via playwright-core) against the real alerts service (PostgreSQL
// peer, in-process event log, SMTP sink receiving for real) and the console: the e-mail's link lands on the alert
// after a login; every action the page offers works on one alert of every kind the engine builds (payment, payee,
// batch, LAO period, cross-LAO); a refused action stays on the page with the form as typed; the page fits a 390 px
// phone and 1366 px without sideways scrolling, and axe-core finds no serious or critical violation at either width.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { buildConsoleService } from '../src/app.ts';
import { engineAlerts } from '../../alerts/test/engine-alerts.ts';
import { JWT_SECRET, publish, serviceOnPg, type PgService } from '../../alerts/test/helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts/console');
const DOC_SCREENSHOTS = join(ROOT, 'docs/screenshots');
const PASSWORD = 'paywatch-demo';
const haveChromium = existsSync(CHROMIUM);
const WIDTHS = [390, 1366] as const;

async function freePort(): Promise<number> {
  return new Promise((res, rej) => { const s = createServer(); s.once('error', rej); s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => res(port)); }); });
}

describe.skipIf(!haveChromium)('the alert page in a real browser', () => {
  let alerts: PgService;
  let stopConsole: (() => Promise<void>) | undefined;
  let browser: Browser;
  let base = '';
  const cases = engineAlerts();
  const axeSource = readFileSync(resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');

  beforeAll(async () => {
    // The console's address must be known before alerts starts: it is the base of every link alerts sends.
    const consolePort = await freePort();
    base = `http://127.0.0.1:${consolePort}`;
    alerts = await serviceOnPg({ extra: { consoleBaseUrl: base, demoPasswords: { 'auditor-66': PASSWORD, 'district-6601': PASSWORD, 'central-1': PASSWORD } } });
    await alerts.service.app.listen({ port: 0, host: '127.0.0.1' });
    const alertsUrl = `http://127.0.0.1:${(alerts.service.app.server.address() as AddressInfo).port}`;
    await alerts.service.start();
    // Ingest and the detector are not on this page's path; their addresses are closed loopback ports.
    const c = await buildConsoleService({
      logger: createLogger({ service: 'console', level: 'error' }), metrics: createMetricsRegistry('console'), jwtSecret: JWT_SECRET, cookieSecret: randomBytes(32).toString('hex'),
      upstream: { ingest: 'http://127.0.0.1:9', detector: 'http://127.0.0.1:9', alerts: alertsUrl },
    });
    await c.app.listen({ port: consolePort, host: '127.0.0.1' });
    stopConsole = c.stop;
    await publish(alerts.eventLog, Object.values(cases).map((x) => x.alert));
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'] });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stopConsole?.();
    await alerts?.close();
  }, 30_000);

  const newPage = async (width: number = 1366): Promise<Page> => {
    const context = await browser.newContext(width <= 480
      ? { viewport: { width, height: 844 }, isMobile: true, hasTouch: true, locale: 'th-TH', timezoneId: 'Asia/Bangkok' }
      : { viewport: { width, height: 900 }, locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    return context.newPage();
  };
  const signInOn = async (page: Page, username: string) => {
    await page.getByLabel('ชื่อผู้ใช้').fill(username);
    await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  };
  const signIn = async (username: string, width = 1366) => {
    const page = await newPage(width);
    await page.goto(`${base}/login`);
    await signInOn(page, username);
    return page;
  };
  /** No sideways scrolling at this width, and axe-core finds nothing serious or critical. */
  const fitsAndAccessible = async (page: Page, name: string, width: number) => {
    await page.waitForLoadState('load');
    const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    // Wide tables may scroll inside their own box (.scroll); nothing else may stick out. Named when something does.
    const wide = scrollWidth > width ? await page.evaluate((w) => Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ id: string; tagName: string; closest(s: string): unknown; getBoundingClientRect(): { right: number } }> } }).document.querySelectorAll("main *"))
      .filter((e) => e.getBoundingClientRect().right > w && !e.closest('.scroll')).slice(0, 8).map((e) => `${e.tagName}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`), width) : [];
    expect(scrollWidth, `${name} at ${width} px: document.scrollWidth; too wide: ${wide.join(' | ')}`).toBeLessThanOrEqual(width);
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] }> } }).axe.run());
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    expect(bad, `${name} at ${width} px: axe violations`).toEqual([]);
  };

  it("when the auditor follows the e-mail's link without a session, then the console asks for the login and lands on the rendered alert", async () => {
    // The province's auditor (audit.phichit@…) gets the high alerts at once; the district's may arrive first.
    const toAuditor = () => alerts.sink.received.find((m) => JSON.stringify(m.to).includes('audit.phichit@example.go.th'));
    await expect.poll(() => toAuditor() !== undefined, { timeout: 20_000 }).toBe(true);
    const mail = toAuditor()!;
    const link = /ดูรายละเอียด \(Details\): (\S+)/.exec(mail.text ?? '')?.[1];
    expect(link).toMatch(new RegExp(`^${base.replace(/\./g, '\\.')}/alerts/al_[0-9a-f]{24}$`));
    const alertId = link!.split('/').at(-1)!;

    const page = await newPage();
    await page.goto(link!);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/alerts/${alertId}`);
    await signInOn(page, 'auditor-66');
    expect(new URL(page.url()).pathname).toBe(`/alerts/${alertId}`);
    expect(await page.locator('h1').innerText()).toMatch(/^การแจ้งเตือน: /);
    expect(await page.locator('#alert-lao').innerText()).toContain('จังหวัดพิจิตร');
    await page.context().close();
  }, 60_000);

  it('when the alert page of each kind opens on a 390 px phone and at 1366 px, then nothing scrolls sideways and axe finds no serious violation', async () => {
    const shots: string[] = [];
    for (const width of WIDTHS) {
      const page = await signIn('auditor-66', width);
      for (const [kind, { alert }] of Object.entries(cases)) {
        await page.goto(`${base}/alerts/${alert.alertId}`);
        await fitsAndAccessible(page, `alert page (${kind})`, width);
        // The English switch too: longer words must not widen the page either.
        await page.goto(`${base}/alerts/${alert.alertId}?lang=en`);
        await fitsAndAccessible(page, `alert page (${kind}, English)`, width);
        await page.goto(`${base}/alerts/${alert.alertId}?lang=th`);
      }
      await page.goto(`${base}/alerts/${cases.payment.alert.alertId}`);
      // Every chart drawn before the screenshot.
      const charts = await page.locator('canvas[data-chart]').count();
      await expect.poll(() => page.locator('canvas[data-rendered="true"]').count()).toBe(charts);
      const name = width === 390 ? 'alert-page-phone.png' : 'alert-page.png';
      await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
      shots.push(name);
      await page.context().close();
    }
    // `UPDATE_SCREENSHOTS=1` refreshes the README's copies; an ordinary run writes only to test-artifacts/.
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(DOC_SCREENSHOTS, { recursive: true });
      for (const f of shots) await copyFile(join(ARTIFACTS, f), join(DOC_SCREENSHOTS, f));
    }
  }, 120_000);

  for (const [kind, { alert }] of Object.entries(cases)) {
    const snoozable = !['batch', 'lao-period'].includes(kind);
    it(`when an auditor works a ${kind} alert in the browser, then every action offered works and the trail reads as sentences`, async () => {
      const page = await signIn('auditor-66');
      const url = `${base}/alerts/${alert.alertId}`;
      await page.goto(url);
      // New: no snooze yet (it needs a review first); acknowledge is offered.
      expect(await page.locator('#action-snooze').count()).toBe(0);

      await page.getByLabel('วัตถุประสงค์ (ไม่บังคับ)').fill('เทียบกับสมุดบัญชี');
      await page.getByRole('button', { name: 'เปิดดูเลขบัญชี' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#revealed-values .revealed').count()).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'รับทราบ', exact: true }).click();
      await page.waitForURL(`${url}#alert-status`);
      expect(await page.locator('#alert-status').innerText()).toBe('รับทราบแล้ว');
      expect(await page.locator('#action-acknowledge').count()).toBe(0);

      // Assign: a picker of the auditors of the alert's scope (the province's auditor and the district's).
      const options = await page.locator('#assignee option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
      expect(options).toEqual(['auditor-66', 'district-6601']);
      await page.getByLabel('ผู้รับผิดชอบเรื่อง').selectOption('district-6601');
      await page.getByRole('button', { name: 'มอบหมาย' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#alert-assignee').innerText()).toContain('นายอำเภอเมืองพิจิตร');

      // A comment of spaces only: refused on the page, in Thai, the form still there; then a real one.
      await page.getByLabel('เพิ่มความเห็น').fill('   ');
      await page.getByRole('button', { name: 'บันทึกความเห็น' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#action-comment #action-error').innerText()).toContain('กรุณาพิมพ์ความเห็น');
      expect(await page.locator('main').innerText()).not.toContain('HTTP 400');
      await page.getByLabel('เพิ่มความเห็น').fill('ขอสำเนาฎีกาจาก อปท. แล้ว');
      await page.getByRole('button', { name: 'บันทึกความเห็น' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#comments').innerText()).toContain('ขอสำเนาฎีกาจาก อปท. แล้ว');

      expect(await page.locator('#action-snooze').count()).toBe(snoozable ? 1 : 0);
      if (snoozable) {
        await page.getByLabel('จำนวนวัน (1–180)').fill('30');
        await page.locator('#snooze-reason').fill('ตรวจแล้ว เป็นผู้รับประจำ');
        await page.getByRole('button', { name: 'พักการแจ้งเตือน' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('#action-error').count()).toBe(0);
      }

      await page.getByLabel('ผลการตรวจสอบ').selectOption('explained');
      await page.locator('#resolve-reason').fill('มีเอกสารประกอบครบถ้วน');
      await page.getByRole('button', { name: 'ปิดเรื่อง' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#alert-status').innerText()).toContain('ปิดแล้ว');
      expect(await page.locator('#action-assign').count()).toBe(0);
      expect(await page.locator('#action-resolve').count()).toBe(0);

      const trail = await page.locator('#audit').innerText();
      for (const sentence of ['เปิดดูเลขบัญชี/เลขประจำตัวที่ปิดบัง', 'เพื่อเทียบกับสมุดบัญชี', 'มอบหมายเรื่องให้ district-6601', 'แสดงความเห็น: “ขอสำเนาฎีกาจาก อปท. แล้ว”',
        'เปลี่ยนสถานะจาก “ใหม่” เป็น “รับทราบแล้ว”', 'ผลการตรวจสอบ: มีคำชี้แจงที่รับได้', ...(snoozable ? ['พักการแจ้งเตือนกฎ'] : [])]) expect(trail, kind).toContain(sentence);
      expect(trail).not.toContain('{"');
      // Dates in the Buddhist Era everywhere on the page, inside the evidence too.
      expect(await page.locator('main').innerText()).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
      await page.context().close();
    }, 60_000);
  }

});
