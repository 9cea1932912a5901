// The console's HTTP behaviour against a fake upstream (fastify inject): sessions, CSRF, scope errors, CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, type Principal } from '@paywatch/http-kit';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { buildConsoleService } from '../src/app.ts';
import { fakeSessions } from './fake-sessions.ts';

type Console = Awaited<ReturnType<typeof buildConsoleService>>;
let c: Console;
const calls: { method: string; url: string; auth: string | null; body: unknown }[] = [];
const tokenFor = (p: Principal) => signToken(c.app, p, 300);
const sessions = fakeSessions(tokenFor, (username, password) => {
  if (password !== 'pw') return null;
  const role = username.startsWith('finance') ? 'finance' : username.startsWith('ops') ? 'ops' : 'provincial-auditor';
  return { sub: username, role, ...(role === 'finance' ? { laoCode: '6600101' } : { provinces: ['66'] }) };
});

const batch = { batchId: 'b_000000000000000000000001', laoCode: '6600101', fileName: 'f.txt', sizeBytes: 10, format: 'ktb-bulk', encoding: 'windows-874', rowsRead: 3, rowsAccepted: 2, rowsRejected: 1, totalSatang: 123_456_750, status: 'published', header: null, refusal: null, receivedAt: '2026-11-22T01:00:00Z', publishedAt: null };

const deadLetter = { id: 7, dlqTopic: 'disbursements.v1.dlq', dlqPartition: 0, dlqOffset: '3', sourceTopic: 'disbursements.v1', sourcePartition: 2, sourceOffset: '41', replayTopic: 'disbursements.v1',
  reason: 'amountSatang: Invalid input', code: null, sizeBytes: 120, preview: '{"payeeAccount":text(10)}', deadAt: '2026-11-23T01:00:00Z', receivedAt: '2026-11-23T01:00:01Z', replayedAt: null, replayedBy: null, replayOf: null };
const alertDetail = { alert: { alertId: 'al_000000000000000000000066', laoCode: '6600101', laoName: 'เทศบาลเมืองพิจิตร', provinceCode: '66', district: 'เมืองพิจิตร', severity: 'high', ruleIds: ['duplicate-payment'],
  amountSatang: 4_500_000, occurredOn: '2026-11-22', status: 'new', firstSeenAt: '2026-11-23T01:00:00Z', lastSeenAt: '2026-11-23T01:00:00Z', assignee: null, disposition: null, resolutionReason: null, resolvedAt: null,
  payload: { reasons: { th: 'จ่ายซ้ำ', en: 'duplicate' }, findings: [{ ruleId: 'duplicate-payment', severity: 'high', reasons: { th: 'จ่ายเงินเข้าบัญชี ******4321 ซ้ำ', en: 'paid twice' }, evidence: { payeeAccount: '******4321', count: 2 }, payments: [{ recordId: 'r1', file: 'f.txt', row: 3 }] }] } }, comments: [], notifications: [],
  legalBasis: { supervision: { th: 'ผู้ว่าราชการจังหวัดมีอำนาจกำกับดูแลเทศบาล มาตรา 71–73', en: 'governor, s.71–73' }, rules: [{ ruleId: 'duplicate-payment', action: { th: 'เรียกฎีกา<b>ทั้งสองรายการ</b>', en: 'call for vouchers' }, authority: { th: 'ระเบียบกระทรวงมหาดไทย', en: 'MoI regulation' } }] } };

/** An acknowledged payment alert where alerts offers every action but acknowledge; its assign and snooze refuse. */
const alertWorked = { ...alertDetail, alert: { ...alertDetail.alert, alertId: 'al_000000000000000000000067', status: 'acknowledged', provinceCode: '66',
  payload: { ...alertDetail.alert.payload, findings: [{ ...alertDetail.alert.payload.findings[0]!, evidence: { 'lao': { robustZ: 7.25, medianSatang: 2_524_000 }, problem: 'not-registered', firstDate: '2026-10-05', fiscalYear: 2026 } }] } },
  actions: ['reveal', 'assign', 'comment', 'snooze', 'resolve'] };
const auditTrail = [
  { seq: 1, at: '2026-11-23T02:00:00Z', actor: 'auditor-66', action: 'reveal', payload: { fields: ['subject.key', 'evidence.payeeAccount'], purpose: 'เทียบสมุดบัญชี' } },
  { seq: 2, at: '2026-11-23T02:05:00Z', actor: 'auditor-66', action: 'transition', payload: { role: 'provincial-auditor', from: 'new', to: 'acknowledged' } },
];

async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = String(input);
  // The session routes are the console's plumbing, not what these tests look at: answered before recording.
  const session = sessions.answer(new URL(url).pathname, init);
  if (session) return session;
  const auth = (init?.headers as Record<string, string> | undefined)?.authorization ?? null;
  calls.push({ method: init?.method ?? 'GET', url, auth, body: init?.body });
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const path = new URL(url).pathname;
  if (path === '/v1/alerts/al_000000000000000000000060') return json(404, { error: { code: 'PW_ERR_NOT_FOUND', message: { th: 'ไม่พบข้อมูลที่ขอ', en: 'alert not found' } } });
  if (path.endsWith('/transitions')) return json(200, {});
  if (path === '/v1/alerts') {
    const q = new URL(url).searchParams;
    if (q.get('from') === 'bad') return json(400, { error: { code: 'PW_ERR_FILTER_INVALID', message: { th: 'ตัวกรอง "from" ไม่ถูกต้อง', en: 'Filter "from" is not valid' }, details: { field: 'from' } } });
    return json(200, { items: [{ ...alertDetail.alert, payload: undefined }], nextCursor: null, counts: { new: 7, acknowledged: 2, investigating: 0, resolved: 1 } });
  }
  // The inbox (ADR 0016): sorted alerts, the user's saved filters, the scope's auditors.
  if (path === '/v1/inbox/alerts') {
    const q = new URL(url).searchParams;
    if (q.get('from') === 'bad') return json(400, { error: { code: 'PW_ERR_FILTER_INVALID', message: { th: 'ตัวกรอง "from" ไม่ถูกต้อง', en: 'Filter "from" is not valid' }, details: { field: 'from' } } });
    return json(200, { items: [{ ...alertDetail.alert, payload: undefined, caseId: null, dueAt: '2026-11-30T01:00:00Z', assigneeName: null }], nextCursor: null, total: 1 });
  }
  if (path === '/v1/inbox/filters') return json(200, { items: [] });
  if (path === '/v1/inbox/auditors') return json(200, { items: [{ sub: 'auditor-66', name: 'นางสาวพิมพ์ชนก ตรวจสอบ', role: 'provincial-auditor', provinces: ['66'], district: null }] });
  const host = new URL(url).host;
  if (host === 'detector.test' && path === '/v1/ops/lag') {
    return json(200, { groupId: 'detector', partitions: [{ topic: 'disbursements.v1', partition: 0, committedOffset: '10', endOffset: '12', lag: 2 }], payee: { groupId: 'detector-payee', partitions: [{ topic: 'disbursements.by-payee.v1', partition: 1, committedOffset: null, endOffset: '0', lag: 0 }] } });
  }
  if (host === 'alerts.test' && path === '/v1/ops/lag') {
    return json(200, { groups: [{ groupId: 'alerts', partitions: [{ topic: 'alerts.v1', partition: 2, committedOffset: '5', endOffset: '9', lag: 4 }] }, { groupId: 'alerts-dead-letters', partitions: [] }] });
  }
  if (host === 'detector.test' && path === '/v1/ops/reference') return json(200, { enabled: true, lists: 3, laos: 2, caughtUp: false });
  if (path === '/v1/ops/channels') return json(200, { alarmAfterMs: 1_800_000, channels: [{ channel: 'email', failingPending: 1, dead: 2, failingSince: '2026-11-23T01:00:00Z', alarm: true, lastSentAt: null }] });
  if (path === '/v1/notifications') return json(200, { counts: { pending: 1, sent: 40, dead: 2 }, items: [] });
  if (path === '/metrics') {
    // Started ten minutes ago: 120 rows in ten minutes is 12 a minute.
    const started = Math.floor(Date.now() / 1000) - 600;
    const text = host === 'ingest.test' ? `paywatch_process_start_time_seconds ${started}\npaywatch_ingest_rows_total{outcome="rejected"} 120\n`
      : host === 'alerts.test' ? `paywatch_process_start_time_seconds ${started}\npaywatch_notifications_total{channel="email",outcome="failed"} 5\npaywatch_notifications_total{channel="line",outcome="failed"} 1\n` : '';
    return new Response(text, { status: 200 });
  }
  if (path === '/v1/ops/dead-letters') return json(200, { counts: [{ topic: 'disbursements.v1.dlq', open: 1, replayed: 0 }], items: [deadLetter] });
  if (path === '/v1/ops/dead-letters/7/replay') return json(200, { deadLetter: { ...deadLetter, replayedAt: '2026-11-23T02:00:00Z', replayedBy: 'ops-1' }, replayedTo: 'disbursements.v1' });
  if (path === '/v1/ops/dead-letters/8/replay') return json(409, { error: { code: 'PW_ERR_DEAD_LETTER_REPLAYED', message: { th: 'ข้อความนี้ถูกส่งกลับเข้าคิวไปแล้ว จึงส่งซ้ำไม่ได้', en: 'already replayed' } } });
  if (path === '/v1/alerts/al_000000000000000000000067') return json(200, alertWorked);
  if (path === '/v1/alerts/al_000000000000000000000067/audit') return json(200, { items: auditTrail });
  if (path === '/v1/alerts/al_000000000000000000000067/assignees') return json(200, { items: [{ sub: 'auditor-66', name: 'นางสาวพิมพ์ชนก ตรวจสอบ', role: 'provincial-auditor' }, { sub: 'district-6601', name: 'นายอำเภอ', role: 'district-auditor' }] });
  if (path === '/v1/alerts/al_000000000000000000000067/assignee') return json(400, { error: { code: 'PW_ERR_ASSIGNEE_INVALID', message: { th: 'ผู้รับผิดชอบต้องเป็นผู้ตรวจสอบที่ดูแลพื้นที่ของการแจ้งเตือนนี้', en: 'The assignee must be an auditor whose scope covers this alert' } } });
  if (path === '/v1/alerts/al_000000000000000000000067/snoozes') return json(409, { error: { code: 'PW_ERR_SNOOZE_NO_PAYEE', message: { th: 'การแจ้งเตือนนี้ไม่ระบุบัญชีผู้รับเงิน', en: 'This alert names no payee account to snooze' } } });
  if (path === '/v1/alerts/al_000000000000000000000066') return json(200, alertDetail);
  if (path === '/v1/alerts/al_000000000000000000000066/audit') return json(200, { items: [] });
  if (path === '/v1/alerts/al_000000000000000000000066/reveal') return json(200, { alertId: 'al_000000000000000000000066', revealedAt: '2026-11-23T02:00:00Z', values: [{ field: 'evidence.payeeAccount', masked: '******4321', value: '0123454321' }] });
  if (path === '/v1/batches' && init?.method === 'POST') {
    const ct = (init.headers as Record<string, string>)['content-type'] ?? '';
    const bytes = Buffer.from(init.body as Uint8Array).toString('latin1');
    if (!ct.startsWith('multipart/form-data; boundary=') || !bytes.includes('filename="f.txt"')) return json(400, { error: { code: 'PW_ERR_NO_FILE', message: { th: 'ไม่มีไฟล์', en: 'no file' } } });
    return json(bytes.includes('DUP') ? 200 : 202, { batchId: batch.batchId, status: 'received', statusUrl: '', duplicate: bytes.includes('DUP') });
  }
  if (path === `/v1/batches/${batch.batchId}`) return json(200, { batch, rejects: [{ row: 2, field: 'payeeName', code: 'X', message: { th: '=ชื่อ', en: 'name' }, raw: '=cmd|"/c calc"!A1' }] });
  return json(404, { error: { code: 'PW_ERR_NOT_FOUND', message: { th: 'ไม่พบ', en: 'not found' } } });
}

beforeAll(async () => {
  c = await buildConsoleService({
    logger: createLogger({ service: 'console-test', level: 'silent' }), metrics: createMetricsRegistry('console'), jwtSecret: 'test-secret-test-secret-test-secret!!',
    cookieSecret: 'cookie-secret-cookie-secret-cookie!!', upstream: { ingest: 'http://ingest.test', detector: 'http://detector.test', alerts: 'http://alerts.test' }, fetch: fakeFetch as typeof fetch,
    // Many sign-ins in one minute here; the login limit itself is tested in http-kit.
    http: { rateLimit: { login: 200 } },
  });
  await c.app.ready();
});
afterAll(async () => { await c.stop(); });

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** Cookies from set-cookie headers, merged into a jar. */
function jar(res: { cookies: { name: string; value: string }[] }, prev: Record<string, string> = {}) {
  return { ...prev, ...Object.fromEntries(res.cookies.map((k) => [k.name, k.value])) };
}
async function csrfFrom(url = '/login', cookies: Record<string, string> = {}) {
  const res = await c.app.inject({ method: 'GET', url, cookies });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  return { token: token!, cookies: jar(res, cookies), res };
}
async function signIn(username: string) {
  const { token, cookies } = await csrfFrom();
  const res = await c.app.inject({ method: 'POST', url: '/login', cookies, payload: form({ _csrf: token, username, password: 'pw' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { res, cookies: jar(res, cookies) };
}

describe('console sessions and CSRF', () => {
  it('serves Thai by default with landmarks, and English on ?lang=en (kept in a cookie)', async () => {
    const th = await c.app.inject({ method: 'GET', url: '/login' });
    expect(th.body).toContain('<html lang="th">');
    expect(th.body).toContain('<main id="content">');
    const en = await c.app.inject({ method: 'GET', url: '/login?lang=en' });
    expect(en.body).toContain('<html lang="en">');
    const again = await c.app.inject({ method: 'GET', url: '/login', cookies: jar(en) });
    expect(again.body).toContain('Sign in');
  });

  it('when an alert link is opened without a session, then the login asks and returns to the alert; a next that leaves the console goes home instead', async () => {
    const opened = await c.app.inject({ method: 'GET', url: '/alerts/al_000000000000000000000066' });
    expect([opened.statusCode, opened.headers.location]).toEqual([303, '/login?next=%2Falerts%2Fal_000000000000000000000066']);
    const signInWith = async (next: string) => {
      const { token, cookies, res } = await csrfFrom(`/login?next=${encodeURIComponent(next)}`);
      const action = /<form method="post" action="([^"]+)">/.exec(res.body)![1]!.replace(/&amp;/g, '&');
      const r = await c.app.inject({ method: 'POST', url: action, cookies, payload: form({ _csrf: token, username: 'auditor-66', password: 'pw' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      return { action, location: r.headers.location, cookies: jar(r, cookies) };
    };
    const ok = await signInWith('/alerts/al_000000000000000000000066');
    expect(ok.action).toBe('/login?next=%2Falerts%2Fal_000000000000000000000066');
    expect(ok.location).toBe('/alerts/al_000000000000000000000066');
    const landed = await c.app.inject({ method: 'GET', url: ok.location!, cookies: ok.cookies });
    expect(landed.statusCode).toBe(200);
    expect(landed.body).toContain('เทศบาลเมืองพิจิตร');
    // Already signed in: the login page forwards to next at once.
    const again = await c.app.inject({ method: 'GET', url: '/login?next=%2Falerts%2Fal_000000000000000000000066', cookies: ok.cookies });
    expect(again.headers.location).toBe('/alerts/al_000000000000000000000066');
    // Each refused next: the form posts to the plain login (the login limit of 20 a minute allows only a few real sign-ins here).
    for (const evil of ['//evil.example/alerts', '/\\evil.example', '/\\/evil.example', 'https://evil.example/', 'javascript:alert(1)', '/\t/evil.example', ' /alerts/x', '/login?next=//evil.example', 'alerts/al_000000000000000000000066']) {
      const { res } = await csrfFrom(`/login?next=${encodeURIComponent(evil)}`);
      expect(/<form method="post" action="([^"]+)">/.exec(res.body)![1], evil).toBe('/login');
    }
    expect((await signInWith('//evil.example/alerts')).location).toBe('/inbox');
    // Straight to the POST, bypassing the form.
    const { token, cookies } = await csrfFrom();
    const direct = await c.app.inject({ method: 'POST', url: '/login?next=%2F%5Cevil.example', cookies, payload: form({ _csrf: token, username: 'auditor-66', password: 'pw' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(direct.headers.location).toBe('/inbox');
  });

  it('refuses a POST without a CSRF token', async () => {
    const { cookies } = await csrfFrom();
    const res = await c.app.inject({ method: 'POST', url: '/login', cookies, payload: form({ username: 'auditor-66', password: 'pw' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('แบบฟอร์มหมดอายุ');
    const wrong = await c.app.inject({ method: 'POST', url: '/login', cookies, payload: form({ _csrf: 'forged', username: 'auditor-66', password: 'pw' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrong.statusCode).toBe(403);
  });

  it('signs in: httpOnly SameSite=Strict signed cookie, redirect by role', async () => {
    const { res } = await signIn('auditor-66');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/inbox');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/pw_session=[^;]+; Max-Age=4(3200|319\d); Path=\/; HttpOnly; SameSite=Strict/);
    // The cookie holds the session id, not a token: nothing in it works on the API.
    expect(setCookie).not.toMatch(/eyJ/);
    const fin = await signIn('finance-6600101');
    expect(fin.res.headers.location).toBe('/upload');
    const bad = await (async () => { const { token, cookies } = await csrfFrom(); return c.app.inject({ method: 'POST', url: '/login', cookies, payload: form({ _csrf: token, username: 'x', password: 'no' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }); })();
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง');
  });

  it('refuses a case action without a CSRF token even when signed in, and sends the bearer token upstream with one', async () => {
    const { cookies } = await signIn('auditor-66');
    const url = '/alerts/al_000000000000000000000066/acknowledge';
    const before = calls.length;
    const refused = await c.app.inject({ method: 'POST', url, cookies, payload: form({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(refused.statusCode).toBe(403);
    expect(calls.slice(before).some((x) => x.url.includes('al_000000000000000000000066'))).toBe(false);
    const { token, cookies: c2 } = await csrfFrom('/alerts/al_000000000000000000000060', cookies);
    const ok = await c.app.inject({ method: 'POST', url, cookies: c2, payload: form({ _csrf: token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ok.statusCode).toBe(303);
    const call = calls.find((x) => x.url.endsWith('/v1/alerts/al_000000000000000000000066/transitions'))!;
    expect(call.auth).toMatch(/^Bearer ey/);
    expect(JSON.parse(String(call.body))).toEqual({ to: 'acknowledged' });
  });

  it('when the user logs out, then the session ends at alerts, and the saved cookie replayed afterwards leads to the login page', async () => {
    const { cookies } = await signIn('auditor-66');
    expect((await c.app.inject({ method: 'GET', url: '/inbox', cookies })).statusCode).toBe(200);
    const { token, cookies: c2 } = await csrfFrom('/inbox', cookies);
    const out = await c.app.inject({ method: 'POST', url: '/logout', cookies: c2, payload: form({ _csrf: token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([out.statusCode, out.headers.location]).toEqual([303, '/login']);
    expect(sessions.ended.size).toBeGreaterThan(0);
    const replay = await c.app.inject({ method: 'GET', url: '/inbox', cookies });
    expect([replay.statusCode, replay.headers.location]).toEqual([303, '/login?next=%2Finbox']);
  });

  it('when alerts throttles the login, then the login page says how long to wait, with 429', async () => {
    const { token, cookies } = await csrfFrom();
    const r = await c.app.inject({ method: 'POST', url: '/login', cookies, payload: form({ _csrf: token, username: 'auditor-66', password: 'throttled' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(429);
    expect(r.body).toContain('กรุณารอ 60 วินาที');
  });

  it('when any page is served, then its CSP allows only the console\'s own scripts, styles and fonts and forbids framing', async () => {
    const r = await c.app.inject({ method: 'GET', url: '/login' });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('redirects to /login without a session, and refuses a forged session cookie', async () => {
    const res = await c.app.inject({ method: 'GET', url: '/inbox' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Finbox');
    const forged = await c.app.inject({ method: 'GET', url: '/inbox', cookies: { pw_session: tokenFor({ sub: 'x', role: 'central' }) } });
    expect(forged.statusCode).toBe(303);
  });

  it("maps an upstream 404 (another province's alert) to the console's own not-found page, and a wrong role to 403", async () => {
    const { cookies } = await signIn('auditor-66');
    const res = await c.app.inject({ method: 'GET', url: '/alerts/al_000000000000000000000060', cookies });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('ไม่พบข้อมูลที่ขอ');
    const ops = await c.app.inject({ method: 'GET', url: '/ops', cookies });
    expect(ops.statusCode).toBe(403);
  });

  it('downloads rejected rows as CSV with Thai headers, Thai field names and formula cells neutralised', async () => {
    const { cookies } = await signIn('finance-6600101');
    const res = await c.app.inject({ method: 'GET', url: `/batches/${batch.batchId}/rejects.csv`, cookies });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.split('\r\n')[0]).toBe('\uFEFFแถว (row),ช่องข้อมูล (field),รหัสเหตุผล (code),เหตุผล (reason_th),reason (reason_en),ข้อความในไฟล์ (raw)');
    expect(res.body).toContain(`2,ชื่อผู้รับเงิน (payeeName),X,'=ชื่อ,name,"'=cmd|""/c calc""!A1"`);
  });

  it('serves Chart.js and the Sarabun font from the package, not a CDN', async () => {
    const chart = await c.app.inject({ method: 'GET', url: '/assets/chart.umd.js' });
    expect(chart.statusCode).toBe(200);
    expect(chart.body.length).toBeGreaterThan(100_000);
    const font = await c.app.inject({ method: 'GET', url: '/assets/fonts/sarabun-thai-400-normal.woff2' });
    expect(font.statusCode).toBe(200);
    const css = await c.app.inject({ method: 'GET', url: '/assets/console.css' });
    expect(css.body).toContain("url('/assets/fonts/sarabun-thai-400-normal.woff2')");
    expect(css.body).not.toMatch(/https?:\/\//);
  });

  it('proxies a multipart upload to ingest byte for byte; the CSRF token may travel inside the multipart body (no-JS form)', async () => {
    const { cookies } = await signIn('finance-6600101');
    const { token, cookies: c2 } = await csrfFrom('/alerts/al_000000000000000000000060', cookies);
    const multipart = (csrf: string | null, content: string) => {
      const b = '----pwtest';
      const parts = [csrf === null ? '' : `--${b}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`, `--${b}\r\ncontent-disposition: form-data; name="file"; filename="f.txt"\r\ncontent-type: text/plain\r\n\r\n${content}\r\n--${b}--\r\n`];
      return { payload: parts.join(''), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
    };
    const refused = await c.app.inject({ method: 'POST', url: '/upload', cookies: c2, ...multipart(null, 'x') });
    expect(refused.statusCode).toBe(403);
    const ok = await c.app.inject({ method: 'POST', url: '/upload', cookies: c2, ...multipart(token, 'rows') });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/batches/${batch.batchId}`);
    const dup = await c.app.inject({ method: 'POST', url: '/upload', cookies: c2, ...multipart(token, 'DUP') });
    expect(dup.headers.location).toBe(`/batches/${batch.batchId}?duplicate=1`);
    const asJson = await c.app.inject({ method: 'POST', url: '/upload', cookies: c2, ...multipart(null, 'rows'), headers: { ...multipart(null, 'rows').headers, accept: 'application/json', 'x-csrf-token': token } });
    expect(asJson.json()).toMatchObject({ batchId: batch.batchId, duplicate: false });
    const auditor = await signIn('auditor-66');
    const wrongRole = await c.app.inject({ method: 'POST', url: '/upload', cookies: auditor.cookies, ...multipart(token, 'rows') });
    expect(wrongRole.statusCode).toBe(403);
  });
});

describe('dead letters and the audited reveal', () => {
  it('shows ops the dead letters without payment data and a CSRF-protected Replay form; a replay without the token never reaches alerts', async () => {
    const { cookies } = await signIn('ops-1');
    const page = await c.app.inject({ method: 'GET', url: '/ops', cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="dead-letters"');
    expect(page.body).toContain('amountSatang: Invalid input');
    expect(page.body).toMatch(/<form method="post" action="\/ops\/dead-letters\/7\/replay"><input type="hidden" name="_csrf" value="[^"]+">/);
    const refused = await c.app.inject({ method: 'POST', url: '/ops/dead-letters/7/replay', cookies: jar(page, cookies), payload: form({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(refused.statusCode).toBe(403);
    expect(calls.some((x) => x.url.endsWith('/v1/ops/dead-letters/7/replay'))).toBe(false);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const ok = await c.app.inject({ method: 'POST', url: '/ops/dead-letters/7/replay', cookies: jar(page, cookies), payload: form({ _csrf: token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/ops?replayed=7#dead-letter-section');
    expect(calls.find((x) => x.url.endsWith('/v1/ops/dead-letters/7/replay'))).toMatchObject({ method: 'POST', auth: expect.stringMatching(/^Bearer ey/) });
    const twice = await c.app.inject({ method: 'POST', url: '/ops/dead-letters/8/replay', cookies: jar(page, cookies), payload: form({ _csrf: token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('ส่งซ้ำไม่ได้');
  });

  it('when ops opens the ops page, then every consumer group (detector stages 1 and 2, alert store, dead-letter reader) is listed per partition, with the reference table, failures by channel and the rate per minute', async () => {
    const { cookies } = await signIn('ops-1');
    const page = await c.app.inject({ method: 'GET', url: '/ops', cookies });
    expect(page.statusCode).toBe(200);
    const groups = /<ul class="counts" id="lag-groups">([\s\S]*?)<\/ul>/.exec(page.body)![1]!;
    expect([...groups.matchAll(/<strong>(\d+)<\/strong>([\w-]+) /g)].map((m) => [m[2], Number(m[1])])).toEqual([['detector', 2], ['detector-payee', 0], ['alerts', 4], ['alerts-dead-letters', 0]]);
    expect(page.body).toContain('<td>alerts <small>(alerts)</small></td><td>alerts.v1</td><td class="num">2</td><td class="num">5</td><td class="num">9</td><td class="num">4</td>');
    expect(page.body).toContain('<td>alerts-dead-letters <small>(alerts)</small></td><td colspan="5">ยังไม่ได้รับมอบพาร์ทิชัน</td>');
    expect(page.body).toContain('ตารางรายการอ้างอิงใน detector: 3 รายการ ของ 2 อปท.');
    expect(page.body).toContain('ยังอ่านไม่ครบ');
    expect(page.body).toContain('<tr><th scope="row">email</th><td class="num">1</td><td class="num">2</td><td class="num">5</td><td>23 พ.ย. 2569 08:00</td><td>—</td><td><span class="bad">ล้มเหลวนานเกินเกณฑ์</span></td></tr>');
    expect(page.body).toContain('<tr><th scope="row">line</th><td class="num">0</td><td class="num">0</td><td class="num">1</td>');
    expect(page.body).toMatch(/<tr><th scope="row">แถวที่ไม่รับ<\/th><td class="num">120<\/td><td class="num">1[12]<\/td><\/tr>/);
    expect(page.body).toContain('href="http://alerts.test/metrics"');
  });

  it('refuses a replay from an auditor (403) before calling alerts', async () => {
    const { cookies } = await signIn('auditor-66');
    const { token, cookies: c2 } = await csrfFrom('/inbox', cookies);
    const before = calls.length;
    const r = await c.app.inject({ method: 'POST', url: '/ops/dead-letters/9/replay', cookies: c2, payload: form({ _csrf: token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(403);
    expect(calls.slice(before).some((x) => x.url.includes('/dead-letters/'))).toBe(false);
  });

  it('shows the alert masked with a reveal form; the reveal POST (with CSRF) renders the values once, uncached, without putting them in a URL', async () => {
    const { cookies } = await signIn('auditor-66');
    const page = await c.app.inject({ method: 'GET', url: '/alerts/al_000000000000000000000066', cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('0123454321');
    expect(page.body).toContain('action="/alerts/al_000000000000000000000066/reveal"');
    // The legal basis per rule, escaped like every other text.
    expect(page.body).toContain('มาตรา 71–73');
    expect(page.body).toContain('<td>เรียกฎีกา&lt;b&gt;ทั้งสองรายการ&lt;/b&gt;</td><td>ระเบียบกระทรวงมหาดไทย</td>');
    const refused = await c.app.inject({ method: 'POST', url: '/alerts/al_000000000000000000000066/reveal', cookies: jar(page, cookies), payload: form({}), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(refused.statusCode).toBe(403);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const r = await c.app.inject({ method: 'POST', url: '/alerts/al_000000000000000000000066/reveal', cookies: jar(page, cookies), payload: form({ _csrf: token, purpose: 'เทียบสมุดบัญชี' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toContain('<td class="revealed">0123454321</td>');
    expect(JSON.parse(String(calls.filter((x) => x.url.endsWith('/reveal')).at(-1)!.body))).toEqual({ purpose: 'เทียบสมุดบัญชี' });
  });

  it('when the alerts service lists the actions that apply, then only those are offered, assign is a picker of the scope\'s auditors, and evidence and trail read in Thai', async () => {
    const { cookies } = await signIn('auditor-66');
    const page = await c.app.inject({ method: 'GET', url: '/alerts/al_000000000000000000000067', cookies });
    expect(page.statusCode).toBe(200);
    for (const a of ['reveal', 'assign', 'comment', 'snooze', 'resolve']) expect(page.body).toContain(`id="action-${a}"`);
    expect(page.body).not.toContain('id="action-acknowledge"');
    expect(page.body).toMatch(/<select id="assignee" name="assignee"><option value="auditor-66" selected>นางสาวพิมพ์ชนก ตรวจสอบ \(auditor-66\)<\/option><option value="district-6601">/);
    // Evidence keys and values for people: the LAO's robust z, the problem in words, a BE date, a BE fiscal year; province by name.
    expect(page.body).toContain('ของ อปท. · ค่า z (robust)');
    expect(page.body).toContain('ไม่อยู่ในทะเบียน');
    expect(page.body).toContain('5 ต.ค. 2569');
    expect(page.body).toContain('>2569<');
    expect(page.body).toContain('จังหวัดพิจิตร');
    // The trail as sentences, not JSON.
    expect(page.body).toContain('เปิดดูเลขบัญชี/เลขประจำตัวที่ปิดบัง 2 รายการ เพื่อเทียบสมุดบัญชี');
    expect(page.body).toContain('เปลี่ยนสถานะจาก “ใหม่” เป็น “รับทราบแล้ว”');
    expect(page.body).not.toContain('{&quot;');
    const en = await c.app.inject({ method: 'GET', url: '/alerts/al_000000000000000000000067?lang=en', cookies });
    expect(en.body).toContain("The LAO&#39;s · Robust z");
    expect(en.body).toContain('province Phichit');

    const other = await c.app.inject({ method: 'GET', url: '/alerts/al_000000000000000000000066', cookies });
    // An older alerts service (no actions list): what the role may do on a new alert, as before.
    expect(other.body).toContain('id="action-acknowledge"');
  });

  it('when alerts refuses an action, then the alert page comes back with the Thai message inside that form and the form as typed (no bare error page)', async () => {
    const { cookies } = await signIn('auditor-66');
    const page = await c.app.inject({ method: 'GET', url: '/alerts/al_000000000000000000000067', cookies });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const post = (action: string, body: Record<string, string>, lang = '') => c.app.inject({ method: 'POST', url: `/alerts/al_000000000000000000000067/${action}${lang}`, cookies: jar(page, cookies), payload: form({ _csrf: token, ...body }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    const assign = await post('assign', { assignee: 'district-6601' });
    expect(assign.statusCode).toBe(400);
    expect(assign.body).toMatch(/<form method="post" action="\/alerts\/al_000000000000000000000067\/assign" id="action-assign">.*<p class="error" role="alert" id="action-error">มอบหมาย: ผู้รับผิดชอบต้องเป็นผู้ตรวจสอบที่ดูแลพื้นที่/s);
    expect(assign.body).toContain('<option value="district-6601" selected>');
    expect(assign.body).not.toContain('HTTP 400');

    const snooze = await post('snooze', { ruleId: 'duplicate-payment', days: '45', reason: 'ผู้รับประจำ ตรวจแล้ว' });
    expect(snooze.statusCode).toBe(409);
    expect(snooze.body).toContain('พักการแจ้งเตือน: การแจ้งเตือนนี้ไม่ระบุบัญชีผู้รับเงิน');
    expect(snooze.body).toContain('value="45"');
    expect(snooze.body).toContain('>ผู้รับประจำ ตรวจแล้ว</textarea>');

    // Refused by the console itself before alerts is asked: days out of range, an empty comment, a resolve without a reason.
    const before = calls.length;
    const days = await post('snooze', { ruleId: 'duplicate-payment', days: '900', reason: 'x' });
    expect([days.statusCode, days.body.includes('จำนวนวัน 1–180')]).toEqual([400, true]);
    const resolve = await post('resolve', { disposition: 'explained', reason: '  ' });
    expect([resolve.statusCode, resolve.body.includes('<option value="explained" selected>')]).toEqual([400, true]);
    expect(calls.slice(before).some((x) => /snoozes|transitions/.test(x.url))).toBe(false);
    const english = await post('comment', { text: '' }, '?lang=en');
    expect(english.body).toContain('Comment: Type a comment');
  });

  it('sends the inbox filters to the alerts API (baht → exact satang, BE dates as typed) and shows its counts by status', async () => {
    const { cookies } = await signIn('auditor-66');
    const r = await c.app.inject({ method: 'GET', url: `/inbox?province=66&district=${encodeURIComponent('เมืองพิจิตร')}&rule=split-payment&from=1/10/2569&to=2026-11-30&minBaht=1,000.10&maxBaht=0.07&status=new`, cookies });
    expect(r.statusCode).toBe(200);
    const q = new URL(calls.filter((x) => new URL(x.url).pathname === '/v1/alerts').at(-1)!.url).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({ province: '66', district: 'เมืองพิจิตร', rule: 'split-payment', from: '1/10/2569', to: '2026-11-30', minAmountSatang: '100010', maxAmountSatang: '7', status: 'new' });
    expect(r.body).toMatch(/<strong>7<\/strong>ใหม่/);
    // The date fields show the Buddhist Era, whatever was typed.
    expect(r.body).toContain('id="f-to" name="to" inputmode="numeric" placeholder="เช่น 30/9/2570" size="11" maxlength="10" value="30/11/2569"');
  });

  it('when the API refuses a filter, then the inbox form comes back with its Thai message (400), not an error page', async () => {
    const { cookies } = await signIn('auditor-66');
    const r = await c.app.inject({ method: 'GET', url: '/inbox?from=bad', cookies });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('<p class="error" role="alert" id="filter-error">ตัวกรอง &quot;from&quot; ไม่ถูกต้อง</p>');
    expect(r.body).toContain('<form method="get" action="/inbox"');
    const baht = await c.app.inject({ method: 'GET', url: '/inbox?minBaht=12.345', cookies });
    expect(baht.statusCode).toBe(400);
    expect(baht.body).toContain('ทศนิยมไม่เกิน 2 ตำแหน่ง');
  });
});

describe('production cookies', () => {
  it('when built with secure cookies (main.ts), then the session cookie is __Host-, Secure, HttpOnly and SameSite=Strict', async () => {
    const prod = await buildConsoleService({
      logger: createLogger({ service: 'console-test', level: 'silent' }), metrics: createMetricsRegistry('console'), jwtSecret: 'test-secret-test-secret-test-secret!!',
      cookieSecret: 'cookie-secret-cookie-secret-cookie!!', upstream: { ingest: 'http://ingest.test', detector: 'http://detector.test', alerts: 'http://alerts.test' }, fetch: fakeFetch as typeof fetch,
      secureCookies: true,
    });
    try {
      const page = await prod.app.inject({ method: 'GET', url: '/login' });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      expect(String(page.headers['set-cookie'])).toMatch(/__Host-pw_csrf=[^;]+;.*Secure/);
      const res = await prod.app.inject({ method: 'POST', url: '/login', cookies: jar(page), payload: form({ _csrf: token, username: 'auditor-66', password: 'pw' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.statusCode).toBe(303);
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/__Host-pw_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    } finally {
      await prod.stop();
    }
  });
});
