import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger, createMetricsRegistry } from '@paywatch/observability';
import { createHttpApp, requireRole, signToken, HttpError } from '../src/index.ts';

async function build(readyOk = true) {
  const app = await createHttpApp({
    service: 'test', logger: createLogger({ service: 'test', level: 'silent' }), metrics: createMetricsRegistry('test'),
    jwtSecret: 'x'.repeat(32), readiness: { db: async () => readyOk },
  });
  app.get('/v1/secret', { schema: { querystring: z.object({ n: z.coerce.number().int().optional() }) } }, async (req) => {
    const p = requireRole(req, 'central');
    if (req.query.n === 13) throw new HttpError(409, 'PW_ERR_TEST', { th: 'ทดสอบ', en: 'test' });
    return { sub: p.sub };
  });
  await app.ready();
  return app;
}

describe('http app', () => {
  it('when probed, then /health, /ready and /metrics answer in their formats', async () => {
    const app = await build();
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', service: 'test' });
    expect((await app.inject('/ready')).statusCode).toBe(200);
    const metrics = await app.inject('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('paywatch_http_requests_total');
  });
  it('when a dependency does not answer, then /ready is 503 and names it', async () => {
    const app = await build(false);
    const r = await app.inject('/ready');
    expect(r.statusCode).toBe(503);
    expect(r.json().checks).toEqual({ db: false });
  });
  it('when a route is called without a token or with a forged one, then 401 with a bilingual code', async () => {
    const app = await build();
    const none = await app.inject('/v1/secret');
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('PW_ERR_UNAUTHENTICATED');
    expect(none.json().error.message.th).toMatch(/เข้าสู่ระบบ/);
    const forged = await app.inject({ url: '/v1/secret', headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImNlbnRyYWwifQ.' } });
    expect(forged.statusCode).toBe(401);
  });
  it('when the role is wrong, then 403; when right, then the handler runs', async () => {
    const app = await build();
    const ops = signToken(app, { sub: 'o', role: 'ops' });
    expect((await app.inject({ url: '/v1/secret', headers: { authorization: `Bearer ${ops}` } })).statusCode).toBe(403);
    const c = signToken(app, { sub: 'c', role: 'central' });
    expect((await app.inject({ url: '/v1/secret', headers: { authorization: `Bearer ${c}` } })).json()).toEqual({ sub: 'c' });
    const err = await app.inject({ url: '/v1/secret?n=13', headers: { authorization: `Bearer ${c}` } });
    expect(err.statusCode).toBe(409);
    expect(err.json().error.code).toBe('PW_ERR_TEST');
  });
  it('when the query is invalid, then 400 PW_ERR_VALIDATION', async () => {
    const app = await build();
    const c = signToken(app, { sub: 'c', role: 'central' });
    const r = await app.inject({ url: '/v1/secret?n=abc', headers: { authorization: `Bearer ${c}` } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('PW_ERR_VALIDATION');
  });
  it('serves an OpenAPI document generated from the zod schemas', async () => {
    const app = await build();
    const doc = (await app.inject('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/v1/secret'].get.parameters.some((p: { name: string }) => p.name === 'n')).toBe(true);
  });
});
