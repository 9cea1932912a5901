/**
 * Builds a fastify app with what every paywatch service has: zod-typed routes, the OpenAPI document at
 * /docs, /health, /ready, /metrics, bearer-token auth and bilingual errors. Routes are added by the service.
 */
import Fastify, { type FastifyInstance, type FastifyBaseLogger, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyJwt from '@fastify/jwt';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger, Registry } from '@paywatch/observability';
import { counter, histogram } from '@paywatch/observability';
import { HttpError, COMMON_ERRORS, errorBody } from './errors.ts';
import { Principal } from './auth.ts';
import { createOidcVerifier, peekHeader, type OidcOptions } from './oidc.ts';

/** A fastify instance whose routes take zod schemas. */
export type HttpApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** A dependency check for /ready: resolves true when the dependency answers. */
export type ReadinessCheck = () => Promise<boolean>;

export interface HttpAppOptions {
  service: string;
  version?: string;
  description?: string;
  logger: Logger;
  metrics: Registry;
  /** HS256 secret for bearer tokens; comes from the environment, never from code. */
  jwtSecret: string;
  readiness?: Record<string, ReadinessCheck>;
  bodyLimitBytes?: number;
  /**
   * Also accept RS256/ES256 tokens of an OIDC provider (verified against its JWKS). HS256 tokens signed with
   * `jwtSecret` (the built-in user store's logins, service tokens) keep working beside them.
   */
  oidc?: OidcOptions;
}

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.object({ th: z.string(), en: z.string() }), details: z.unknown().optional() }) });

/** Creates the app; the caller registers its routes, then `ready()`/`listen()`s it. */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: `paywatch ${options.service}`, version: options.version ?? '0.1.0', description: options.description ?? '' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyJwt, { secret: options.jwtSecret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });

  // Authentication is optional at this layer: routes decide with requireRole(). A bad token is a 401 at once.
  const oidc = options.oidc ? createOidcVerifier(options.oidc) : null;
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (!header) return;
    try {
      const token = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
      // The header only chooses the verifier; each verifier then insists on its own algorithms and keys.
      const fromProvider = oidc !== null && peekHeader(token)?.alg !== 'HS256';
      const payload = fromProvider ? await oidc.verify(token) : await req.jwtVerify<Record<string, unknown>>();
      const parsed = Principal.safeParse(payload);
      if (!parsed.success) throw new Error('token claims do not describe a principal');
      req.principal = parsed.data;
    } catch (err) {
      req.log.info({ reason: (err as Error).message }, 'bearer token refused');
      throw COMMON_ERRORS.unauthenticated();
    }
  });

  const requests = counter(options.metrics, 'paywatch_http_requests_total', 'HTTP requests by route and status', ['method', 'route', 'status']);
  const latency = histogram(options.metrics, 'paywatch_http_request_seconds', 'HTTP request duration', ['method', 'route']);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) {
      if (err.statusCode === 404 && req.principal) req.log.warn({ sub: req.principal.sub, role: req.principal.role, url: req.url }, 'out-of-scope or missing resource requested');
      return reply.status(err.statusCode).send(errorBody(err));
    }
    if (hasZodFastifySchemaValidationErrors(err)) return reply.status(400).send(errorBody(COMMON_ERRORS.validation(err.validation)));
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode && e.statusCode < 500) {
      return reply.status(e.statusCode).send(errorBody(new HttpError(e.statusCode, e.code ?? 'PW_ERR_REQUEST', { th: 'คำขอไม่ถูกต้อง', en: e.message ?? 'Bad request' })));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody(new HttpError(500, 'PW_ERR_INTERNAL', { th: 'เกิดข้อผิดพลาดภายในระบบ', en: 'Internal error' })));
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send(errorBody(COMMON_ERRORS.notFound('route'))));

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok', service: options.service }));
  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    const checks = Object.entries(options.readiness ?? {});
    const results = await Promise.all(checks.map(async ([name, check]) => [name, await check().catch(() => false)] as const));
    const ok = results.every(([, r]) => r);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    return reply.header('content-type', options.metrics.contentType).send(await options.metrics.metrics());
  });
  return app as unknown as HttpApp;
}

/** Signs a token for a principal (dev tokens, tests, the built-in user store). */
export function signToken(app: HttpApp, principal: Principal, expiresIn = '12h'): string {
  return app.jwt.sign(principal, { expiresIn });
}
