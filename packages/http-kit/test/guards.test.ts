// The guards every service gets from createHttpApp: security headers, per-address rate limits (tighter on login
// and upload routes), token lifetime, and client addresses forwarded only with a proof.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { addressBucket, createHttpApp, forwardedClientHeaders, requireRole, signToken, type HttpAppOptions } from '../src/index.ts';

const SECRET = 'x'.repeat(32);

async function build(over: Partial<HttpAppOptions> = {}) {
  const app = await createHttpApp({
    service: 'test', logger: createLogger({ service: 'test', level: 'silent' }), metrics: createMetricsRegistry('test'), jwtSecret: SECRET,
    limitedRoutes: [{ method: 'POST', url: /^\/v1\/login$/, kind: 'login' }], ...over,
  });
  app.get('/v1/me', async (req) => ({ sub: requireRole(req, 'central').sub, from: req.clientAddress }));
  app.post('/v1/login', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('security headers', () => {
  it('when any route answers (JSON, error, probe), then CSP forbids loading and framing, and nosniff, referrer and HSTS headers are set', async () => {
    const app = await build();
    for (const url of ['/health', '/v1/me', '/nothing-here']) {
      const r = await app.inject(url);
      expect(r.headers['content-security-policy'], url).toContain("default-src 'none'");
      expect(r.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['referrer-policy'], url).toBe('no-referrer');
      expect(r.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(r.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });
  it('when /docs is opened, then Swagger UI gets a policy that lets it load its own assets and still forbids framing', async () => {
    const app = await build();
    const r = await app.inject('/docs/static/index.html');
    const docs = await app.inject(r.headers.location ? String(r.headers.location) : '/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe('rate limits', () => {
  it('when one address exceeds the per-minute limit, then 429 PW_ERR_RATE_LIMITED with Retry-After; another address and the probes still pass', async () => {
    const app = await build({ rateLimit: { perMinute: 5 } });
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await app.inject({ url: '/v1/me', remoteAddress: '10.0.0.1' })).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await app.inject({ url: '/v1/me', remoteAddress: '10.0.0.1' });
    expect(limited.json().error.code).toBe('PW_ERR_RATE_LIMITED');
    expect(limited.json().error.message.th).toMatch(/มีคำขอมากเกินไป/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await app.inject({ url: '/v1/me', remoteAddress: '10.0.0.2' })).statusCode).toBe(401);
    for (let i = 0; i < 10; i++) expect((await app.inject({ url: '/health', remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
  });
  it('when a login route is named in limitedRoutes, then its tighter limit applies before the general one', async () => {
    const app = await build({ rateLimit: { perMinute: 100, login: 3 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await app.inject({ method: 'POST', url: '/v1/login', remoteAddress: '10.0.0.3' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
  });
  it('when a client claims another address without the proof, then it still counts as itself; with the console\'s proof, as the forwarded address', async () => {
    const app = await build({ rateLimit: { perMinute: 2 } });
    const spoof = (n: number) => app.inject({ url: '/v1/me', remoteAddress: '10.0.0.4', headers: { 'x-paywatch-client-address': `192.0.2.${n}`, 'x-paywatch-client-proof': 'made-up' } });
    expect([(await spoof(1)).statusCode, (await spoof(2)).statusCode, (await spoof(3)).statusCode]).toEqual([401, 401, 429]);
    const c = signToken(app, { sub: 'c', role: 'central' });
    const proven = await app.inject({ url: '/v1/me', remoteAddress: '10.0.0.4', headers: { authorization: `Bearer ${c}`, ...forwardedClientHeaders(SECRET, '198.51.100.7') } });
    expect(proven.json()).toEqual({ sub: 'c', from: '198.51.100.7' });
  });
  it('when IPv6 addresses share a /64, then they share a bucket; IPv4-mapped addresses count as IPv4', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe(addressBucket('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(addressBucket('2001:db8:1:3::1')).not.toBe(addressBucket('2001:db8:1:2::1'));
    expect(addressBucket('::ffff:192.0.2.9')).toBe('192.0.2.9');
  });
});

describe('token lifetime', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const sign = (claims: Record<string, unknown>) => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
  };
  it('when an HS256 token has no exp, an exp a century out, or exp − iat over 12 h, then 401; a 12 h token is accepted', async () => {
    const app = await build();
    const me = (t: string) => app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${t}` } });
    const nowS = Math.floor(Date.now() / 1000);
    const p = { sub: 'c', role: 'central' as const };
    expect((await me(sign({ ...p }))).statusCode).toBe(401);
    expect((await me(sign({ ...p, exp: nowS + 100 * 365 * 86400 }))).statusCode).toBe(401);
    expect((await me(sign({ ...p, iat: nowS - 7200, exp: nowS + 11 * 3600 }))).statusCode).toBe(401);
    expect((await me(sign({ ...p, iat: nowS, exp: nowS + 12 * 3600 }))).statusCode).toBe(200);
    expect((await me(signToken(app, p))).statusCode).toBe(200);
  });
});
