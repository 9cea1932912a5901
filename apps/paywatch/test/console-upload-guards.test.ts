// The console's upload forms in front of the real ingest service: the console forwards multipart bodies byte for
// byte, so every body ingest refuses (two files, the file in another field, a NUL in a text field, a cut-off body)
// comes back to the clerk as a 400 page with ingest's Thai reason, and nothing is stored.
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFolderBlobStore } from '@paywatch/blob-store';
import { createInProcessEventLog } from '@paywatch/event-log';
import { signToken } from '@paywatch/http-kit';
import { buildConsoleService } from '@paywatch/console';
import { buildIngestService } from '@paywatch/ingest';
import { encodeText } from '@paywatch/ktb-formats';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { SEED_LAO_REGISTRY } from '@paywatch/seed';

const JWT_SECRET = 'console-guard-secret-'.padEnd(40, 'x');
const BOUNDARY = 'pwConsoleGuard';
const PAYEES = encodeText('ชื่อผู้รับเงิน,เลขที่บัญชี,รหัสธนาคาร\r\nร้านสมใจพาณิชย์,2223334445,002', 'windows-874');

async function setup() {
  const logger = createLogger({ service: 'console-guard-test', level: 'silent' });
  const blobs = createFolderBlobStore(await mkdtemp(join(tmpdir(), 'pw-console-guard-')));
  const ingest = await buildIngestService({ blobStore: blobs, eventLog: createInProcessEventLog(), registry: SEED_LAO_REGISTRY, logger, metrics: createMetricsRegistry('ingest'), jwtSecret: JWT_SECRET });
  await ingest.app.ready();
  // The console reaches ingest over "HTTP": requests are handed to ingest's fastify instance; alerts' session routes
  // (open a session at login, trade its id for a short token at each request) are answered here for the clerk.
  const clerk = { sub: 'finance-6600101', role: 'finance', laoCode: '6600101' } as const;
  const sessionId = 'console-guard-session-'.padEnd(43, 's');
  const fetchToIngest = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    if (url.pathname === '/v1/auth/sessions') {
      return Response.json({ sessionId, expiresAt: new Date(Date.now() + 12 * 3600_000).toISOString(), principal: clerk }, { status: 201 });
    }
    if (url.pathname === '/v1/auth/session/token') {
      return Response.json({ token: signToken(ingest.app, clerk), expiresInSeconds: 300, principal: clerk, sessionExpiresAt: new Date(Date.now() + 3600_000).toISOString() });
    }
    const r = await ingest.app.inject({
      method: (init?.method ?? 'GET') as 'GET', url: url.pathname + url.search, headers: init?.headers as Record<string, string>,
      ...(init?.body === undefined ? {} : { payload: Buffer.from(init.body as Uint8Array) }),
    });
    return new Response(r.body, { status: r.statusCode, headers: { 'content-type': String(r.headers['content-type'] ?? 'application/json') } });
  };
  const web = await buildConsoleService({
    logger, metrics: createMetricsRegistry('console'), jwtSecret: JWT_SECRET, cookieSecret: 'cookie-secret-'.padEnd(40, 'y'),
    upstream: { ingest: 'http://ingest.test', detector: 'http://detector.test', alerts: 'http://alerts.test' }, fetch: fetchToIngest as typeof fetch,
  });
  await web.app.ready();
  const jar = (res: { cookies: { name: string; value: string }[] }, prev: Record<string, string> = {}) => ({ ...prev, ...Object.fromEntries(res.cookies.map((k) => [k.name, k.value])) });
  const login = await web.app.inject({ url: '/login' });
  let cookies = jar(login);
  const signedIn = await web.app.inject({
    method: 'POST', url: '/login', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(login.body)![1]!, username: 'finance-6600101', password: 'x' }).toString(),
  });
  cookies = jar(signedIn, cookies);
  const page = await web.app.inject({ url: '/upload', cookies });
  cookies = jar(page, cookies);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const post = (url: string, payload: Buffer) => web.app.inject({ method: 'POST', url, cookies, payload, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } });
  return { ingest, web, blobs, csrf, post };
}

const text = (field: string, value: string) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`);
const file = (field: string, name: string, bytes: Uint8Array) => Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(bytes), Buffer.from('\r\n'),
]);
const END = Buffer.from(`--${BOUNDARY}--\r\n`);

describe('console upload forms in front of ingest', () => {
  it('when a clerk\'s body has two files, the file in another field, a NUL in a field or is cut off, then a 400 page with ingest\'s Thai reason and nothing stored', async () => {
    const s = await setup();
    for (const [url, fields] of [['/upload', [text('_csrf', s.csrf)]], ['/reference', [text('_csrf', s.csrf), text('kind', 'payees')]]] as const) {
      const cases: Array<[string, Buffer, string]> = [
        ['two files', Buffer.concat([...fields, file('file', 'a.csv', PAYEES), file('file', 'b.csv', PAYEES), END]), 'อัปโหลดได้ครั้งละหนึ่งไฟล์'],
        ['another field', Buffer.concat([...fields, file('upload', 'a.csv', PAYEES), END]), 'ไฟล์ต้องส่งในช่อง &quot;file&quot;'],
        ['a NUL in a text field', Buffer.concat([...fields, text('note', 'x\u0000y'), file('file', 'a.csv', PAYEES), END]), 'อักขระ NUL'],
        ['cut off', Buffer.concat([...fields, file('file', 'a.csv', PAYEES)]).subarray(0, -10), 'multipart/form-data ที่สมบูรณ์'],
      ];
      for (const [what, payload, reason] of cases) {
        const r = await s.post(url, payload);
        expect(r.statusCode, `${url} ${what}: ${r.body.slice(0, 300)}`).toBe(400);
        expect(r.headers['content-type']).toContain('text/html');
        expect(r.body, `${url} ${what}`).toContain(reason);
      }
    }
    expect(await s.blobs.list('batches/')).toEqual([]);
    expect(await s.blobs.list('reference/')).toEqual([]);
    expect(await s.blobs.list('raw/')).toEqual([]);
    await s.web.stop();
    await s.ingest.stop();
  });
});
