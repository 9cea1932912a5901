/**
 * Builds a fastify app with what every paywatch service has: zod-typed routes, the OpenAPI document at
 * /docs, /health, /ready, /metrics, bearer-token auth and bilingual errors. Routes are added by the service.
 */
import Fastify, { type FastifyInstance, type FastifyBaseLogger, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import fastifyJwt from '@fastify/jwt';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger, Registry } from '@paywatch/observability';
import { counter, histogram } from '@paywatch/observability';
import { HttpError, COMMON_ERRORS, errorBody } from './errors.ts';
import { Principal } from './auth.ts';
import { createOidcVerifier, peekHeader, type OidcOptions } from './oidc.ts';
import { lifetimeProblem, MAX_TOKEN_LIFETIME_SECONDS } from './token-lifetime.ts';
import { createClientAddressResolver } from './client-address.ts';

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
  /**
   * Requests per client address and minute: `perMinute` on every route (default 1,000), `login` on login routes
   * (default 20) and `upload` on upload routes (default 30), each counted by this replica. `false` turns limits
   * off (tests of other behaviour only; never in production).
   */
  rateLimit?: Partial<RateLimits> | false;
  /**
   * Routes under the tighter `login` or `upload` limit, matched by method and URL pattern when they are added
   * (so a service names them where it builds its app, not in every route file).
   */
  limitedRoutes?: ReadonlyArray<{ method: string; url: RegExp; kind: 'login' | 'upload' }>;
  /**
   * Content-Security-Policy directives (helmet's camelCase names). Default for an API: nothing may load or frame
   * it (`default-src 'none'; frame-ancestors 'none'`); the console passes the policy its pages need.
   */
  contentSecurityPolicy?: Record<string, string[]>;
  /** Longest bearer-token lifetime accepted, seconds (`exp` required). Default 12 h. */
  maxTokenLifetimeSeconds?: number;
  /** Reverse proxies whose X-Forwarded-For is believed (fastify `trustProxy`: addresses or CIDRs). Default none. */
  trustProxy?: string[];
  now?: () => number;
}

/** The request guards a deployment tunes (from main.ts): rate limits and trusted proxies. */
export type HttpGuards = Pick<HttpAppOptions, 'rateLimit' | 'trustProxy'>;

/** Per-minute request limits of one client address. */
export interface RateLimits { perMinute: number; login: number; upload: number }
/** The default limits (see HttpAppOptions.rateLimit). */
export const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 1_000, login: 20, upload: 30 };

/** An API's policy: JSON only, nothing to load, never framed. */
const API_CSP: Record<string, string[]> = { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] };
/** Swagger UI at /docs loads its own scripts and styles from /docs/static (and sets inline styles). */
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

declare module 'fastify' {
  interface FastifyInstance { paywatchRateLimits: RateLimits | false }
  interface FastifyRequest { clientAddress: string }
}

/**
 * Route options that put a route under the tighter `login` or `upload` limit (spread into `config`), or
 * nothing when the app has limits off.
 */
export function routeRateLimit(app: { paywatchRateLimits: RateLimits | false }, kind: 'login' | 'upload'): { rateLimit?: { max: number; timeWindow: number } } {
  const limits = app.paywatchRateLimits;
  return limits ? { rateLimit: { max: limits[kind], timeWindow: 60_000 } } : {};
}

/** The client address of a request as rate limits and the login throttle count it (see client-address.ts). */
export function clientAddressOf(req: { clientAddress?: string; ip: string }): string {
  return req.clientAddress || req.ip;
}

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.object({ th: z.string(), en: z.string() }), details: z.unknown().optional() }) });

/** Creates the app; the caller registers its routes, then `ready()`/`listen()`s it. */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const now = options.now ?? Date.now;
  const app = Fastify({
    loggerInstance: options.logger as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    ...(options.trustProxy?.length ? { trustProxy: options.trustProxy } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Who is asking, once per request: rate limits and the login throttle count by it.
  const resolveAddress = createClientAddressResolver(options.jwtSecret);
  app.decorateRequest('clientAddress', '');
  app.addHook('onRequest', async (req) => { req.clientAddress = resolveAddress(req); });

  // Security headers on every answer; registered before Swagger UI, whose own policy then replaces it under /docs.
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: options.contentSecurityPolicy ?? API_CSP },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 365 * 86400, includeSubDomains: true },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });

  const limits = options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMITS, ...options.rateLimit };
  app.decorate('paywatchRateLimits', limits);
  if (limits) {
    // Before the rate-limit plugin's own onRoute hook, which reads config.rateLimit.
    const limited = options.limitedRoutes ?? [];
    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      const hit = limited.find((l) => methods.includes(l.method as never) && l.url.test(route.url));
      if (hit && !(route.config as { rateLimit?: unknown } | undefined)?.rateLimit) route.config = { ...route.config, rateLimit: { max: limits[hit.kind], timeWindow: 60_000 } } as typeof route.config;
    });
    await app.register(fastifyRateLimit, {
      global: true,
      max: limits.perMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => resolveAddress(req),
      errorResponseBuilder: (_req, ctx) => new HttpError(429, 'PW_ERR_RATE_LIMITED',
        { th: `มีคำขอมากเกินไป กรุณารอ ${Math.ceil(ctx.ttl / 1000)} วินาทีแล้วลองใหม่`, en: `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s` }),
    });
  }

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: `paywatch ${options.service}`, version: options.version ?? '0.1.0', description: options.description ?? '' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  await app.register(fastifyJwt, { secret: options.jwtSecret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });

  // Authentication is optional at this layer: routes decide with requireRole(). A bad token is a 401 at once.
  const maxLifetime = options.maxTokenLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS;
  const oidc = options.oidc ? createOidcVerifier({ maxLifetimeSeconds: maxLifetime, ...options.oidc }) : null;
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (!header) return;
    try {
      const token = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
      // The header only chooses the verifier; each verifier then insists on its own algorithms and keys.
      const fromProvider = oidc !== null && peekHeader(token)?.alg !== 'HS256';
      const payload = fromProvider ? await oidc.verify(token) : await req.jwtVerify<Record<string, unknown>>();
      // The provider's verifier checks lifetime itself (its claims may be namespaced); ours are checked here.
      const tooLong = fromProvider ? null : lifetimeProblem(payload, now(), maxLifetime);
      if (tooLong) throw new Error(tooLong);
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

  // Probes and scrapes are never limited: an orchestrator must always see whether the service is alive.
  const probe = { schema: { hide: true }, config: { rateLimit: false as const } };
  app.get('/health', probe, async () => ({ status: 'ok', service: options.service }));
  app.get('/ready', probe, async (_req, reply) => {
    const checks = Object.entries(options.readiness ?? {});
    const results = await Promise.all(checks.map(async ([name, check]) => [name, await check().catch(() => false)] as const));
    const ok = results.every(([, r]) => r);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', probe, async (_req, reply) => {
    return reply.header('content-type', options.metrics.contentType).send(await options.metrics.metrics());
  });
  return app as unknown as HttpApp;
}

/** Signs a token for a principal (dev tokens, tests, the built-in user store); `expiresIn` at most 12 h to be accepted. */
export function signToken(app: HttpApp, principal: Principal & Record<string, unknown>, expiresIn: string | number = '12h'): string {
  return app.jwt.sign(principal, { expiresIn });
}
