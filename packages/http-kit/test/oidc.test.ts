// OIDC bearer tokens verified against a JWKS served on loopback, as an identity provider would publish it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { createHttpApp, requireRole, signToken, type HttpApp } from '../src/index.ts';

const ISSUER = 'https://idp.example.go.th/realms/dla';
const AUDIENCE = 'paywatch';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });

const jwk = (key: KeyObject, kid: string, alg: string) => ({ ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' });
let published = [jwk(rsa.publicKey, 'rsa-1', 'RS256'), jwk(ec.publicKey, 'ec-1', 'ES256')];
let jwksFetches = 0;
let server: Server;
let jwksUrl = '';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function token(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject, dsaEncoding?: 'ieee-p1363'): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const sig = sign('sha256', Buffer.from(input), dsaEncoding ? { key, dsaEncoding } : key);
  return `${input}.${sig.toString('base64url')}`;
}
const nowS = () => Math.floor(Date.now() / 1000);
const auditorClaims = (over: Record<string, unknown> = {}) => ({
  iss: ISSUER, aud: [AUDIENCE, 'account'], sub: 'somchai@dla.go.th', exp: nowS() + 300, iat: nowS(),
  'https://paywatch.go.th/claims': { role: 'provincial-auditor', provinces: ['66'] }, ...over,
});

async function appWithOidc(): Promise<HttpApp> {
  const app = await createHttpApp({
    service: 'test', logger: createLogger({ service: 'test', level: 'silent' }), metrics: createMetricsRegistry('test'), jwtSecret: 'x'.repeat(32),
    oidc: { issuer: ISSUER, audience: AUDIENCE, jwksUrl, claimsKey: 'https://paywatch.go.th/claims', minRefetchMs: 0 },
  });
  app.get('/v1/me', async (req) => requireRole(req, 'provincial-auditor', 'central'));
  await app.ready();
  return app;
}
const me = (app: HttpApp, t: string) => app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${t}` } });

beforeAll(async () => {
  server = createServer((req, res) => {
    jwksFetches++;
    if (req.url !== '/jwks') { res.statusCode = 404; res.end(); return; }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('OIDC bearer tokens', () => {
  it('when the provider signs a token with RS256 or ES256, then the principal comes from its namespaced claims and the built-in HS256 tokens still work', async () => {
    const app = await appWithOidc();
    const viaRsa = await me(app, token({ alg: 'RS256', kid: 'rsa-1', typ: 'JWT' }, auditorClaims(), rsa.privateKey));
    expect(viaRsa.statusCode).toBe(200);
    expect(viaRsa.json()).toEqual({ sub: 'somchai@dla.go.th', role: 'provincial-auditor', provinces: ['66'] });
    expect((await me(app, token({ alg: 'ES256', kid: 'ec-1' }, auditorClaims(), ec.privateKey, 'ieee-p1363'))).statusCode).toBe(200);
    expect((await me(app, signToken(app, { sub: 'c', role: 'central' }))).statusCode).toBe(200);
  });

  it('when a token is expired, lives longer than 12 h, not yet valid, for another audience or issuer, tampered, signed by an unknown key, or lacks the role claims, then 401', async () => {
    const app = await appWithOidc();
    const bad = [
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ exp: nowS() - 3600 }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ nbf: nowS() + 3600 }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ aud: 'another-app' }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ iss: 'https://evil.example' }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ exp: undefined }), rsa.privateKey),
      // Longer than 12 h: a century out, or 13 h after its iat.
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ exp: nowS() + 100 * 365 * 86400 }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ iat: nowS() - 3600, exp: nowS() + 12 * 3600 }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ 'https://paywatch.go.th/claims': undefined }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims({ 'https://paywatch.go.th/claims': { role: 'emperor' } }), rsa.privateKey),
      token({ alg: 'RS256', kid: 'nobody' }, auditorClaims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
      token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims(), ec.privateKey),
    ];
    const good = token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims(), rsa.privateKey);
    const [h, , s] = good.split('.');
    bad.push(`${h}.${b64(auditorClaims({ 'https://paywatch.go.th/claims': { role: 'central' } }))}.${s}`);
    for (const t of bad) expect((await me(app, t)).statusCode, t.slice(0, 60)).toBe(401);
  });

  it('when a token names an algorithm it must not choose (none, HS256 keyed with the public key, RS256 against an EC key), then 401', async () => {
    const app = await appWithOidc();
    const none = `${b64({ alg: 'none', kid: 'rsa-1' })}.${b64(auditorClaims())}.`;
    // Alg confusion: HMAC over the token with the provider's public key as the secret.
    const input = `${b64({ alg: 'HS256', kid: 'rsa-1' })}.${b64(auditorClaims())}`;
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' });
    const confused = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    const wrongType = token({ alg: 'RS256', kid: 'ec-1' }, auditorClaims(), rsa.privateKey);
    for (const t of [none, confused, wrongType]) expect((await me(app, t)).statusCode).toBe(401);
  });

  it('when the provider rotates its key, then a token with the new kid is accepted after one JWKS refetch', async () => {
    const app = await appWithOidc();
    expect((await me(app, token({ alg: 'RS256', kid: 'rsa-1' }, auditorClaims(), rsa.privateKey))).statusCode).toBe(200);
    const before = jwksFetches;
    published = [...published, jwk(rotated.publicKey, 'rsa-2', 'RS256')];
    expect((await me(app, token({ alg: 'RS256', kid: 'rsa-2' }, auditorClaims(), rotated.privateKey))).statusCode).toBe(200);
    expect((await me(app, token({ alg: 'RS256', kid: 'rsa-2' }, auditorClaims(), rotated.privateKey))).statusCode).toBe(200);
    expect(jwksFetches - before).toBe(1);
  });
});
