/** @paywatch/config — environment variables read once, in a composition root, validated with zod. */
import { z } from 'zod';

/** Thrown when the environment is incomplete: names every missing or invalid variable at once. */
export class ConfigError extends Error {
  readonly code = 'PW_ERR_CONFIG';
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
  }
}

/** Parses `env` with `schema`; throws a ConfigError listing every problem. */
export function readConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const r = schema.safeParse(env);
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  return r.data;
}

/** Settings every service has. Secrets only ever come from here. */
export const CommonEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  HOST: z.string().default('0.0.0.0'),
});

/** Kafka settings (production). */
export const KafkaEnv = z.object({
  KAFKA_BROKERS: z.string().min(1).transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean)),
  KAFKA_CLIENT_ID: z.string().default('paywatch'),
  /** Consumer-group session timeout; lower it where failed members must be noticed quickly (tests, small clusters). */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().positive().default(3_000),
  /** Appended to every topic name: several environments (or test runs) can share one cluster. */
  TOPIC_SUFFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
});

/** S3 settings (production; MinIO in compose). Credentials come from the AWS SDK's usual environment variables. */
export const S3Env = z.object({
  S3_BUCKET: z.string().min(1),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('ap-southeast-1'),
});

/**
 * OIDC (optional): set all three of issuer, audience and JWKS URL to accept the identity provider's RS256/ES256
 * tokens beside the built-in HS256 ones; set none to use the built-in user store only.
 */
export const OidcEnv = z.object({
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.string().url().optional(),
  /** The claim holding paywatch's role, provinces, laoCode and district, when the provider namespaces them. */
  OIDC_CLAIMS_KEY: z.string().min(1).optional(),
}).superRefine((e, ctx) => {
  const set = [e.OIDC_ISSUER, e.OIDC_AUDIENCE, e.OIDC_JWKS_URL].filter((v) => v !== undefined).length;
  if (set !== 0 && set !== 3) ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'set OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL together, or none of them' });
});

/** The OIDC options for http-kit, or undefined when OIDC is not configured. */
export function oidcOptionsOf(e: z.infer<typeof OidcEnv>): { issuer: string; audience: string; jwksUrl: string; claimsKey?: string } | undefined {
  if (!e.OIDC_ISSUER || !e.OIDC_AUDIENCE || !e.OIDC_JWKS_URL) return undefined;
  return { issuer: e.OIDC_ISSUER, audience: e.OIDC_AUDIENCE, jwksUrl: e.OIDC_JWKS_URL, ...(e.OIDC_CLAIMS_KEY ? { claimsKey: e.OIDC_CLAIMS_KEY } : {}) };
}

/** Request guards every HTTP service has: per-address rate limits and the reverse proxies it trusts. */
export const HttpEnv = z.object({
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(1_000),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  UPLOAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed; none by default. */
  TRUST_PROXY: z.string().optional().transform((s) => (s ?? '').split(',').map((p) => p.trim()).filter(Boolean)),
});

/** The http-kit guards (`HttpGuards`) from HttpEnv. */
export function httpGuardsOf(e: z.infer<typeof HttpEnv>): { rateLimit: { perMinute: number; login: number; upload: number }; trustProxy: string[] } {
  return { rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, login: e.LOGIN_RATE_LIMIT_PER_MINUTE, upload: e.UPLOAD_RATE_LIMIT_PER_MINUTE }, trustProxy: e.TRUST_PROXY };
}
