// Reference-list uploads through the console (fastify inject against a fake ingest): the multipart body is
// forwarded byte for byte, refusals come back on the upload page in Thai, lists in force are listed in BE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, type Principal } from '@paywatch/http-kit';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { buildConsoleService } from '../src/app.ts';
import { multipartField } from '../src/multipart.ts';
import { fakeSessions } from './fake-sessions.ts';

type Console = Awaited<ReturnType<typeof buildConsoleService>>;
let c: Console;
const calls: { method: string; url: string; auth: string | null; body: unknown; contentType: string | null }[] = [];

const badRow = { row: 3, field: 'bankCode', code: 'PW_ROW_REFERENCE_INVALID', message: { th: 'รหัสธนาคาร "999" ไม่มีในรายชื่อธนาคาร', en: 'Bank code "999" is not a known bank' }, raw: '=HYPERLINK("http://x"),,999,5556667778' };
const inForce = (kind: string, version: number, rejects = [badRow]) => ({
  kind, laoCode: '6600101', version, sha256: 'ab'.repeat(32), fileName: `${kind}.csv`, sizeBytes: 321, rawKey: 'raw/x', rowsRead: 3, rowsAccepted: 2, rowsRejected: rejects.length,
  rejects, status: 'published', refusal: null, uploadedBy: 'finance-6600101', receivedAt: '2026-11-21T18:30:00Z', effectiveFrom: '2026-11-22',
});

const sessions = fakeSessions((p) => signToken(c.app, p, 300), (username) => {
  const role = username.startsWith('finance') ? 'finance' : username.startsWith('admin') ? 'admin' : 'provincial-auditor';
  const p: Principal = { sub: username, role, ...(role === 'finance' ? { laoCode: '6600101' } : role === 'admin' ? {} : { provinces: ['66'] }) };
  return p;
});

async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = String(input);
  // The session routes are the console's plumbing, not what these tests look at: answered before recording.
  const session = sessions.answer(new URL(url).pathname, init);
  if (session) return session;
  const headers = (init?.headers ?? {}) as Record<string, string>;
  calls.push({ method: init?.method ?? 'GET', url, auth: headers.authorization ?? null, body: init?.body, contentType: headers['content-type'] ?? null });
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const path = new URL(url).pathname;
  if (path === '/v1/batches') return json(200, { batches: [] });
  if (path === '/v1/reference') return json(200, { lists: [{ ...inForce('payees', 1), rejects: undefined }] });
  if (path === '/v1/reference/payees/6600101') return json(200, { upload: inForce('payees', 2) });
  if (path.startsWith('/v1/reference/') && init?.method === 'POST') {
    const bytes = Buffer.from(init.body as Uint8Array).toString('latin1');
    if (bytes.includes('OTHER-LAO')) {
      return json(422, { error: { code: 'PW_ERR_REFERENCE_OTHER_LAO', message: { th: 'ไฟล์มีรายการของ อปท. อื่น (6000101) จึงไม่รับทั้งไฟล์', en: 'The file lists another LAO (6000101); refused whole' },
        details: { rowsRead: 2, rowsRejected: 1, rejects: [{ ...badRow, row: 2, field: 'laoCode', message: { th: 'รหัส อปท. 6000101 ไม่ใช่ของท่าน', en: 'LAO 6000101 is not yours' } }] } } });
    }
    if (bytes.includes('HUGE')) return json(413, { error: { code: 'PW_ERR_FILE_TOO_LARGE', message: { th: 'ไฟล์มีขนาดเกิน 50 MB ที่ระบบรับได้ กรุณาแบ่งไฟล์', en: 'The file exceeds the 50 MB upload limit; split it' } } });
    const duplicate = bytes.includes('SAME');
    return json(duplicate ? 200 : 201, { upload: inForce(path.split('/')[3]!, duplicate ? 1 : 2), duplicate });
  }
  return json(404, { error: { code: 'PW_ERR_NOT_FOUND', message: { th: 'ไม่พบข้อมูลที่ขอ', en: 'not found' } } });
}

beforeAll(async () => {
  c = await buildConsoleService({
    logger: createLogger({ service: 'console-test', level: 'silent' }), metrics: createMetricsRegistry('console'), jwtSecret: 'test-secret-test-secret-test-secret!!',
    cookieSecret: 'cookie-secret-cookie-secret-cookie!!', upstream: { ingest: 'http://ingest.test', detector: 'http://detector.test', alerts: 'http://alerts.test' }, fetch: fakeFetch as typeof fetch,
    maxUploadBytes: 64 * 1024,
  });
  await c.app.ready();
});
afterAll(async () => { await c.stop(); });

const jar = (res: { cookies: { name: string; value: string }[] }, prev: Record<string, string> = {}) => ({ ...prev, ...Object.fromEntries(res.cookies.map((k) => [k.name, k.value])) });

/** Signs in and opens the upload page: its cookies and the CSRF token of its forms. */
async function uploadPageAs(username: string, lang = '') {
  const login = await c.app.inject({ method: 'GET', url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)![1]!;
  const signed = await c.app.inject({ method: 'POST', url: '/login', cookies: jar(login), payload: new URLSearchParams({ _csrf: csrf, username, password: 'pw' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const cookies = jar(signed, jar(login));
  const page = await c.app.inject({ method: 'GET', url: `/upload${lang}`, cookies });
  return { page, cookies: jar(page, cookies), token: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' };
}

/** A multipart body as a browser sends the reference form: the small fields first, then the file. */
function multipart(fields: Record<string, string>, content: string) {
  const b = '----pwref';
  const parts = Object.entries(fields).map(([k, v]) => `--${b}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${b}\r\ncontent-disposition: form-data; name="file"; filename="payees.csv"\r\ncontent-type: text/csv\r\n\r\n${content}\r\n--${b}--\r\n`);
  return { payload: parts.join(''), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describe('reference lists on the upload page', () => {
  it('when finance opens the upload page, then the reference form (CSRF, four kinds in Thai) and the lists in force (version, items, uploaded in BE) are shown', async () => {
    const { page } = await uploadPageAs('finance-6600101');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form id="reference-form" method="post" action="\/reference" enctype="multipart\/form-data">\s*<input type="hidden" name="_csrf" value="[^"]+">/);
    for (const th of ['ทะเบียนผู้รับเงินโอน', 'บุคลากร', 'ฎีกาที่อนุมัติ', 'ผู้รับเบี้ยยังชีพ']) expect(page.body).toContain(`>${th}</option>`);
    // 18:30 UTC on 21 Nov is 01:30 on 22 Nov in Bangkok, shown in the Buddhist Era.
    expect(page.body).toContain('<td><a href="/reference/payees/6600101">ทะเบียนผู้รับเงินโอน</a></td><td>6600101</td><td class="num">1</td><td class="num">2</td><td class="num">1</td><td>22 พ.ย. 2569 01:30</td>');
    expect(page.body).not.toContain('id="ref-lao"'); // finance never names an LAO: ingest takes theirs from the token
    const en = await uploadPageAs('finance-6600101', '?lang=en');
    expect(en.page.body).toContain('>Registered payees</option>');
    expect(en.page.body).toContain('<td>22 Nov 2026 01:30</td>');
  });

  it('when finance uploads a payee list, then ingest gets the multipart body byte for byte at /v1/reference/payees with the token, and the list page shows the new version', async () => {
    const { cookies, token } = await uploadPageAs('finance-6600101');
    const body = multipart({ _csrf: token, kind: 'payees' }, 'ชื่อผู้รับเงิน,รหัสธนาคาร,เลขที่บัญชี\r\nร้าน ก,006,1234567890');
    const before = calls.length;
    const res = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...body });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/reference/payees/6600101?uploaded=2');
    const call = calls.slice(before).find((x) => x.method === 'POST')!;
    expect(call.url).toBe('http://ingest.test/v1/reference/payees');
    expect(call.auth).toMatch(/^Bearer ey/);
    expect(call.contentType).toBe(body.headers['content-type']);
    expect(Buffer.from(call.body as Uint8Array).equals(Buffer.from(body.payload))).toBe(true);

    const shown = await c.app.inject({ method: 'GET', url: res.headers.location as string, cookies });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('<h1>ทะเบียนผู้รับเงินโอน ฉบับที่ 2 (อปท. 6600101)</h1>');
    expect(shown.body).toContain('<a href="/upload" aria-current="page">'); // a list belongs to the upload page in the menu
    expect(shown.body).toContain('อัปโหลดแล้ว: ทะเบียนผู้รับเงินโอนฉบับที่ 2 ใช้งานแล้ว');
    expect(shown.body).toContain('<td>รหัสธนาคาร</td><td>รหัสธนาคาร &quot;999&quot; ไม่มีในรายชื่อธนาคาร</td>');
  });

  it('when the same file as the list in force is uploaded again, then the page says no new version was made', async () => {
    const { cookies, token } = await uploadPageAs('finance-6600101');
    const res = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ _csrf: token, kind: 'payees' }, 'SAME') });
    expect(res.headers.location).toBe('/reference/payees/6600101?duplicate=1');
    const shown = await c.app.inject({ method: 'GET', url: res.headers.location as string, cookies });
    expect(shown.body).toContain('ระบบไม่ได้สร้างฉบับใหม่');
  });

  it('when ingest refuses the file whole (422, rows of another LAO), then the upload page comes back 422 with the Thai reason, the refused rows, a formula-safe CSV and the list in force', async () => {
    const { cookies, token } = await uploadPageAs('finance-6600101');
    const res = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ _csrf: token, kind: 'staff' }, 'OTHER-LAO') });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('ไม่รับบุคลากรที่อัปโหลด');
    expect(res.body).toContain('PW_ERR_REFERENCE_OTHER_LAO');
    expect(res.body).toContain('ไฟล์มีรายการของ อปท. อื่น (6000101) จึงไม่รับทั้งไฟล์');
    expect(res.body).toContain('รายการที่ใช้อยู่เดิมยังคงใช้ต่อไป');
    expect(res.body).toContain('<td>รหัส อปท.</td><td>รหัส อปท. 6000101 ไม่ใช่ของท่าน</td>');
    expect(res.body).toContain('<option value="staff" selected>บุคลากร</option>');
    expect(res.body).toContain('id="reference-lists"');
    const href = /<a href="(data:text\/csv[^"]+)" download="reference-rejects.csv">/.exec(res.body)![1]!;
    const unescaped = href.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const csv = decodeURIComponent(unescaped.slice('data:text/csv;charset=utf-8,'.length));
    expect(csv).toContain(`2,laoCode,PW_ROW_REFERENCE_INVALID,รหัส อปท. 6000101 ไม่ใช่ของท่าน,LAO 6000101 is not yours,"'=HYPERLINK(""http://x""),,999,5556667778"`);
  });

  it('when ingest says the file is too large (413), then the upload page shows its Thai message; a body over the console\'s own limit gets a 413 page in words', async () => {
    const { cookies, token } = await uploadPageAs('finance-6600101');
    const res = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ _csrf: token, kind: 'vouchers' }, 'HUGE') });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('ไฟล์มีขนาดเกิน 50 MB ที่ระบบรับได้ กรุณาแบ่งไฟล์');
    const huge = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ _csrf: token, kind: 'vouchers' }, 'x'.repeat(70 * 1024)) });
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('ไฟล์มีขนาดเกิน 64 KB ที่ระบบรับได้ กรุณาแบ่งไฟล์');
  });

  it('when the kind is missing or unknown, or the CSRF token is, then ingest is never called; an auditor may not upload', async () => {
    const { cookies, token } = await uploadPageAs('finance-6600101');
    const before = calls.filter((x) => x.method === 'POST' && x.url.includes('/v1/reference')).length;
    const noKind = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ _csrf: token, kind: 'passwords' }, 'rows') });
    expect(noKind.statusCode).toBe(400);
    expect(noKind.body).toContain('กรุณาเลือกประเภทรายการ');
    const noCsrf = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ kind: 'payees' }, 'rows') });
    expect(noCsrf.statusCode).toBe(403);
    const auditor = await uploadPageAs('auditor-66');
    expect(auditor.page.statusCode).toBe(403);
    const wrongRole = await c.app.inject({ method: 'POST', url: '/reference', cookies: auditor.cookies, ...multipart({ _csrf: token, kind: 'payees' }, 'rows') });
    expect(wrongRole.statusCode).toBe(403);
    expect(calls.filter((x) => x.method === 'POST' && x.url.includes('/v1/reference')).length).toBe(before);
  });

  it('when an admin uploads, then the LAO typed in the form goes to ingest as ?lao=, and a missing one is asked for', async () => {
    const { page, cookies, token } = await uploadPageAs('admin-1');
    expect(page.body).toContain('id="ref-lao"');
    const missing = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ _csrf: token, kind: 'payees' }, 'rows') });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('กรุณาระบุรหัส อปท. 7 หลัก');
    const ok = await c.app.inject({ method: 'POST', url: '/reference', cookies, ...multipart({ _csrf: token, kind: 'beneficiaries', lao: '6600101' }, 'rows') });
    expect(ok.statusCode).toBe(303);
    expect(calls.filter((x) => x.method === 'POST').at(-1)!.url).toBe('http://ingest.test/v1/reference/beneficiaries?lao=6600101');
  });

  it('downloads a list\'s refused rows as CSV with formula cells neutralised; a made-up kind or LAO is a 404 before ingest is asked', async () => {
    const { cookies } = await uploadPageAs('finance-6600101');
    const csv = await c.app.inject({ method: 'GET', url: '/reference/payees/6600101/rejects.csv', cookies });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('reference-payees-6600101-v2-rejects.csv');
    expect(csv.body).toContain(`3,bankCode,PW_ROW_REFERENCE_INVALID,"รหัสธนาคาร ""999"" ไม่มีในรายชื่อธนาคาร","Bank code ""999"" is not a known bank","'=HYPERLINK(""http://x""),,999,5556667778"\r\n`);
    const before = calls.length;
    for (const url of ['/reference/secrets/6600101', '/reference/payees/66001', '/reference/payees/..%2Fbatches']) {
      expect((await c.app.inject({ method: 'GET', url, cookies })).statusCode).toBe(404);
    }
    expect(calls.length).toBe(before);
    expect((await c.app.inject({ method: 'GET', url: '/reference/staff/6600101', cookies })).statusCode).toBe(404); // none in force
  });
});

describe('multipart fields', () => {
  it('when the small fields come before the file, then each is read; a field inside the file part or too long is not', () => {
    const body = Buffer.from('--b\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\ntok-1\r\n--b\r\ncontent-disposition: form-data; name="kind"\r\n\r\npayees\r\n--b\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\n\r\nrows\r\n--b--\r\n');
    expect(multipartField(body, '_csrf')).toBe('tok-1');
    expect(multipartField(body, 'kind')).toBe('payees');
    expect(multipartField(body, 'lao')).toBeUndefined();
    expect(multipartField(Buffer.from(`name="kind"\r\n\r\n${'x'.repeat(201)}\r\n`), 'kind')).toBeUndefined();
    expect(() => multipartField(body, 'a"b')).toThrow();
  });
});
