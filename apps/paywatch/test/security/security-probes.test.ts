// The hostile test of issue 14, kept: probes against the real services on sockets (two alerts replicas sharing
// PostgreSQL, the console with production cookies). Each probe is one of the findings; each must fail when the
// control it checks is taken away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { AUDIT_FAILURES } from '@paywatch/alerts';
import { forwardedClientHeaders } from '@paywatch/http-kit';
import { runAudit } from '../../src/commands/audit.ts';
import { AUDIT_KEY_TEXT, JWT_SECRET, PASSWORD, startSecurityStack, type SecurityStack } from './security-stack.ts';

let stack: SecurityStack;
beforeAll(async () => { stack = await startSecurityStack(); }, 60_000);
afterAll(async () => { await stack?.close(); });

const JWT = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/;

/** A cookie jar for fetch: name → value from Set-Cookie. */
function jarOf(r: Response, prev: Record<string, string> = {}): Record<string, string> {
  const out = { ...prev };
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) delete out[name]; else out[name] = value;
  }
  return out;
}
const cookieHeader = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

async function consoleLogin(username: string, password = PASSWORD) {
  const page = await fetch(`${stack.consoleUrl}/login`);
  let jar = jarOf(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const r = await fetch(`${stack.consoleUrl}/login`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: csrf, username, password }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
  });
  jar = jarOf(r, jar);
  return { r, jar, csrf, setCookie: r.headers.getSetCookie().join('\n') };
}

async function checksMade(): Promise<number> {
  let total = 0;
  for (const url of [stack.urls.alerts, stack.urls.alerts2]) {
    const text = await (await fetch(`${url}/metrics`)).text();
    total += Number(/^paywatch_alerts_login_password_checks_total (\d+)/m.exec(text)?.[1] ?? 0);
  }
  return total;
}

const hs256 = (claims: Record<string, unknown>) => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`;
};

describe('security probes (issue 14)', () => {
  it('finding 1: when 100 wrong passwords for one account arrive in parallel at two replicas, then at most the allowance is checked with argon2', async () => {
    const before = await checksMade();
    const rs = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      fetch(`${i % 2 ? stack.urls.alerts : stack.urls.alerts2}/v1/auth/login`, {
        // From one attacker's address, forwarded the way the console forwards its users' addresses.
        method: 'POST', headers: { 'content-type': 'application/json', ...forwardedClientHeaders(JWT_SECRET, '198.51.100.66') },
        // Half by sub, half by e-mail: one account.
        body: JSON.stringify({ username: i % 3 ? 'ops-1' : SEED_EMAIL_OF_OPS, password: `guess-${i}` }),
      })));
    const checked = (await checksMade()) - before;
    // One client address: its database allowance (8) bites before the account's (10).
    expect(checked).toBeLessThanOrEqual(8);
    expect(rs.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(92);
    expect(rs.every((r) => r.status === 401 || r.status === 429)).toBe(true);
  });

  it('finding 3: when a saved console cookie is replayed after logout, then it leads to the login page, and it never was a bearer token', async () => {
    const { r, jar, setCookie } = await consoleLogin('auditor-66', PASSWORD);
    expect(r.status).toBe(303);
    expect(setCookie).toMatch(/__Host-pw_session=[^;]+;.*HttpOnly; Secure; SameSite=Strict/);
    const saved = { ...jar };
    const inbox = await fetch(`${stack.consoleUrl}/inbox`, { headers: { cookie: cookieHeader(saved) }, redirect: 'manual' });
    expect(inbox.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await inbox.text())![1]!;
    // The cookie's value is no credential on the API.
    const raw = decodeURIComponent(saved['__Host-pw_session']!).split('.')[0]!;
    expect(raw).not.toMatch(JWT);
    expect((await fetch(`${stack.urls.alerts}/v1/alerts`, { headers: { authorization: `Bearer ${raw}` } })).status).toBe(401);
    const out = await fetch(`${stack.consoleUrl}/logout`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: csrf }), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jarOf(inbox, saved)) } });
    expect(out.status).toBe(303);
    const replay = await fetch(`${stack.consoleUrl}/inbox`, { headers: { cookie: cookieHeader(saved) }, redirect: 'manual' });
    expect([replay.status, replay.headers.get('location')]).toEqual([303, '/login?next=%2Finbox']);
  });

  it('finding 3: when a token has no exp, or one a century out, then every service refuses it', async () => {
    const p = { sub: 'central-1', role: 'central' };
    const now = Math.floor(Date.now() / 1000);
    for (const t of [hs256(p), hs256({ ...p, exp: now + 100 * 365 * 86400 }), hs256({ ...p, iat: now - 3600, exp: now + 12 * 3600 })]) {
      for (const url of [`${stack.urls.alerts}/v1/alerts`, `${stack.urls.ingest}/v1/batches`, `${stack.urls.detector}/v1/rule-set`]) {
        expect((await fetch(url, { headers: { authorization: `Bearer ${t}` } })).status, url).toBe(401);
      }
    }
    expect((await fetch(`${stack.urls.alerts}/v1/alerts`, { headers: { authorization: `Bearer ${hs256({ ...p, iat: now, exp: now + 3600 })}` } })).status).toBe(200);
  });

  it('finding 4: when a valid token is put in a query string anywhere, then nothing accepts it and no log line carries it', async () => {
    const t = stack.token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] });
    expect((await fetch(`${stack.urls.alerts}/?token=${t}`)).status).toBe(404);
    expect((await fetch(`${stack.urls.alerts}/v1/alerts?token=${t}`)).status).toBe(401);
    expect((await fetch(`${stack.urls.ingest}/?token=${t}`)).status).toBe(404);
    expect((await fetch(`${stack.urls.ingest}/v1/batches?token=${t}`)).status).toBe(401);
    expect((await fetch(`${stack.urls.detector}/v1/rule-set?token=${t}`)).status).toBe(401);
    expect((await fetch(`${stack.consoleUrl}/inbox?token=${t}`, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${stack.urls.alerts}/no-such-page?token=${t}`)).status).toBe(404);
    // The finding's own case: a signed-in 404 is logged with its URL (who asked for what), query string and all.
    const missing = await fetch(`${stack.urls.alerts}/v1/alerts/al_000000000000000000000000?token=${t}`, { headers: { authorization: `Bearer ${t}` } });
    expect(missing.status).toBe(404);
    expect(stack.logs()).toContain('out-of-scope or missing resource requested');
  });

  it('finding 2: when the audit log is rewritten, cut short or reordered by a database operator, then paywatch audit verify with the key and anchors fails each time', async () => {
    const alertId = await stack.storeAlert('sec-audit');
    const auditor = stack.token({ sub: 'auditor-66', role: 'provincial-auditor', provinces: ['66'] });
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${stack.urls.alerts}/v1/alerts/${alertId}/comments`, { method: 'POST', headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: `ตรวจ ${i}` }) });
      expect(r.status).toBe(201);
    }
    await stack.alerts[1]!.anchorer.tick();
    const dbUrl = new URL(stack.databaseUrl);
    dbUrl.searchParams.set('options', `-c search_path=${stack.schema}`);
    const verify = async () => {
      const out: string[] = [];
      const code = await runAudit(['verify', '--database-url', dbUrl.toString(), '--anchors-dir', stack.blobDir], (l) => out.push(l), { AUDIT_HMAC_KEY: AUDIT_KEY_TEXT });
      return { code, result: JSON.parse(out[0]!) as { ok: boolean; reason?: string; firstBadSeq?: number } };
    };
    expect(await verify()).toMatchObject({ code: 0, result: { ok: true, entries: 4 } });
    const db = stack.db;
    await db.query('DROP TRIGGER audit_log_append_only ON audit_log');
    const snapshot = (await db.query('SELECT * FROM audit_log ORDER BY seq')).rows as Array<Record<string, unknown>>;
    const restore = async () => {
      await db.query('DELETE FROM audit_log');
      for (const r of snapshot) await db.query('INSERT INTO audit_log (seq, at, actor, action, alert_id, payload, prev_hash, hash, chain, key_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)', [r.seq, r.at, r.actor, r.action, r.alert_id, r.payload, r.prev_hash, r.hash, r.chain, r.key_id]);
      await db.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [snapshot.at(-1)!.seq, snapshot.at(-1)!.hash]);
    };
    // Rewriting.
    await db.query(`UPDATE audit_log SET payload = jsonb_set(payload, '{text}', '"ไม่มีอะไร"') WHERE seq = 2`);
    expect(await verify()).toMatchObject({ code: 1, result: { ok: false, firstBadSeq: 2, reason: AUDIT_FAILURES.badMac } });
    await restore();
    // Truncation, with the head moved back.
    await db.query('DELETE FROM audit_log WHERE seq = 4');
    await db.query('UPDATE audit_head SET seq = 3, hash = $1 WHERE id', [snapshot[2]!.hash]);
    expect(await verify()).toMatchObject({ code: 1, result: { ok: false, reason: AUDIT_FAILURES.truncated } });
    await restore();
    // Reordering.
    await db.query('UPDATE audit_log SET seq = -1 WHERE seq = 2');
    await db.query('UPDATE audit_log SET seq = 2 WHERE seq = 3');
    await db.query('UPDATE audit_log SET seq = 3 WHERE seq = -1');
    expect(await verify()).toMatchObject({ code: 1, result: { ok: false, firstBadSeq: 2 } });
    await restore();
    expect(await verify()).toMatchObject({ code: 0 });
  });

  it('finding 9: when any service or the console answers, then CSP with frame-ancestors, nosniff and the referrer policy are set', async () => {
    const t = stack.token({ sub: 'central-1', role: 'central' });
    for (const url of [stack.urls.ingest, stack.urls.detector, stack.urls.alerts, stack.consoleUrl]) {
      for (const path of ['/health', '/v1/alerts', '/login']) {
        const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${t}` }, redirect: 'manual' });
        expect(r.headers.get('content-security-policy'), `${url}${path}`).toMatch(/frame-ancestors 'none'/);
        expect(r.headers.get('x-content-type-options'), `${url}${path}`).toBe('nosniff');
        expect(r.headers.get('referrer-policy'), `${url}${path}`).toBe('no-referrer');
      }
    }
  });

  it('finding 9: when one client uploads faster than the upload limit, then ingest answers 429 with Retry-After', async () => {
    const t = stack.token({ sub: 'finance-6600101', role: 'finance', laoCode: '6600101' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 32; i++) {
      const form = new FormData();
      form.append('file', new Blob([`not a KTB file ${i}`]), `f${i}.txt`);
      const r = await fetch(`${stack.urls.ingest}/v1/batches`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: form });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
      await r.arrayBuffer();
    }
    expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('finding 4: when the whole run is over, then no log line of any service holds a JWT', async () => {
    // Everything above ran with every service logging at trace level.
    const logs = stack.logs();
    expect(logs.length).toBeGreaterThan(10_000);
    const hit = logs.split('\n').find((l) => JWT.test(l));
    expect(hit).toBeUndefined();
  });
});

const SEED_EMAIL_OF_OPS = 'OPS@example.go.th';
