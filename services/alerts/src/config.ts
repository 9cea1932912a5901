/** The production configuration of services/alerts, from the environment (read only by main.ts). */
import { z } from 'zod';
import { CommonEnv, ConfigError, HttpEnv, KafkaEnv, OidcEnv, S3Env, httpGuardsOf, oidcOptionsOf } from '@paywatch/config';

export { ConfigError } from '@paywatch/config';

const optionalText = z.string().trim().min(1).optional();

/** The environment variables the service reads (the shared LOG_LEVEL/JWT_SECRET/HOST and Kafka ones, plus its own). */
export const AlertsEnv = CommonEnv.extend(KafkaEnv.shape).extend(S3Env.shape).extend(HttpEnv.shape).extend({
  /** HMAC key of the audit chain (never stored in the database; a KMS later). */
  AUDIT_HMAC_KEY: z.string().min(32, 'AUDIT_HMAC_KEY must be at least 32 characters'),
  /** How often the chain head is anchored in the blob store and the log (the window a cut tail can go unseen). */
  AUDIT_ANCHOR_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** Object Lock retention of each anchor, where the bucket has Object Lock enabled. */
  AUDIT_ANCHOR_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(3650),
  /** A console session unused this long ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(720).default(60),
  /** Absolute lifetime of a console session (at most 12 h, like every token). */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(12).default(12),
  DATABASE_URL: z.string().trim().min(1, 'PostgreSQL connection string'),
  SMTP_HOST: z.string().trim().min(1, 'SMTP relay host'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535),
  SMTP_FROM: z.string().trim().min(3, 'sender address, e.g. "paywatch <paywatch@example.go.th>"'),
  SMTP_USER: optionalText,
  SMTP_PASS: optionalText,
  PORT: z.coerce.number().int().min(0).max(65_535).default(8083), // 0: any free port (tests)
  /** The console's address as auditors open it: every e-mail, digest, webhook and LINE message links to `{it}/alerts/{id}`. */
  CONSOLE_BASE_URL: z.url('the console URL auditors open (e.g. https://paywatch.example.go.th), used for the links in notifications')
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').transform((u) => u.replace(/\/+$/, '')),
  /** JSON array of LaoRegistryEntry; the seed registry when absent (demo only). */
  LAO_REGISTRY_FILE: optionalText,
  /** JSON array of users (sub, email, role, provinces, district); the seed users when absent (demo only). */
  USERS_FILE: optionalText,
  /** Signing secret of the webhook channel; webhooks are off without it. */
  WEBHOOK_SECRET: z.string().min(32, 'WEBHOOK_SECRET must be at least 32 characters').optional(),
  /** LINE Messaging API channel access token; LINE pushes are off without it. */
  LINE_CHANNEL_ACCESS_TOKEN: optionalText,
  LINE_API_BASE_URL: z.url().optional(),
  /** Demo only: the password of every seed user when USERS_FILE is not set (compose on one machine). */
  DEMO_PASSWORD: z.string().min(8, 'DEMO_PASSWORD must be at least 8 characters').optional(),
  /** Storm control (ADR 0019): immediate e-mails per recipient and window; the excess goes in the window's digest. */
  NOTIFY_RATE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  NOTIFY_RATE_PER_WINDOW: z.coerce.number().int().min(0).max(10_000).default(20),
  /** Critical alerts still go out at once up to this many immediate e-mails in the window (the hard cap). */
  NOTIFY_RATE_CRITICAL_PER_WINDOW: z.coerce.number().int().min(0).max(10_000).default(50),
}).refine((e) => (e.SMTP_USER === undefined) === (e.SMTP_PASS === undefined), { path: ['SMTP_USER'], message: 'SMTP_USER and SMTP_PASS go together' });

/** The validated configuration. */
export interface AlertsConfig {
  databaseUrl: string;
  kafka: { brokers: string[]; clientId: string };
  smtp: { host: string; port: number; from: string; secure: boolean; auth?: { user: string; pass: string } };
  jwtSecret: string;
  host: string;
  port: number;
  /** Base of every notification's link to the console's alert page. */
  consoleBaseUrl: string;
  laoRegistryFile: string | undefined;
  usersFile: string | undefined;
  logLevel: string;
  webhook: { secret: string } | undefined;
  line: { channelAccessToken: string; baseUrl?: string } | undefined;
  /** The identity provider whose tokens are accepted beside the built-in ones, when configured. */
  oidc: ReturnType<typeof oidcOptionsOf>;
  /** Demo password for the seed users; ignored when USERS_FILE is set. */
  demoPassword: string | undefined;
  s3: { bucket: string; endpoint?: string; region: string };
  audit: { key: string; anchorIntervalMs: number; anchorRetentionDays: number };
  sessions: { idleMs: number; maxAgeMs: number };
  http: ReturnType<typeof httpGuardsOf>;
  notifyRateLimit: { windowMs: number; perWindow: number; criticalPerWindow: number };
}

/** Parses the environment (pass `process.env`); throws one ConfigError naming every missing or invalid variable. Secrets are never echoed. */
export function loadAlertsConfig(env: Record<string, string | undefined>): AlertsConfig {
  // Empty strings (VAR= in a compose file) mean "not set", so they get the same message as a missing variable.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = AlertsEnv.safeParse(cleaned);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => {
      const name = String(i.path[0] ?? '(env)');
      // zod's own wording for an absent variable ("expected string, received undefined") helps nobody.
      // The former PUBLIC_BASE_URL pointed at the API; it is not read any more, and a deployment still setting it is told so.
      if (name === 'CONSOLE_BASE_URL' && cleaned.CONSOLE_BASE_URL === undefined && cleaned.PUBLIC_BASE_URL !== undefined) return 'CONSOLE_BASE_URL: missing (required; PUBLIC_BASE_URL is no longer read: set CONSOLE_BASE_URL to the console\'s address)';
      return cleaned[name] === undefined && i.code !== 'custom' ? `${name}: missing (required)` : `${name}: ${i.message}`;
    }));
  }
  const e = r.data;
  const o = OidcEnv.safeParse(cleaned);
  if (!o.success) throw new ConfigError(o.error.issues.map((i) => `${String(i.path[0] ?? '(env)')}: ${i.message}`));
  return {
    oidc: oidcOptionsOf(o.data),
    s3: { bucket: e.S3_BUCKET, region: e.S3_REGION, ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}) },
    audit: { key: e.AUDIT_HMAC_KEY, anchorIntervalMs: e.AUDIT_ANCHOR_INTERVAL_SECONDS * 1000, anchorRetentionDays: e.AUDIT_ANCHOR_RETENTION_DAYS },
    sessions: { idleMs: e.SESSION_IDLE_MINUTES * 60_000, maxAgeMs: e.SESSION_MAX_HOURS * 3600_000 },
    http: httpGuardsOf(e),
    notifyRateLimit: { windowMs: e.NOTIFY_RATE_WINDOW_MINUTES * 60_000, perWindow: e.NOTIFY_RATE_PER_WINDOW, criticalPerWindow: e.NOTIFY_RATE_CRITICAL_PER_WINDOW },
    databaseUrl: e.DATABASE_URL,
    kafka: { brokers: e.KAFKA_BROKERS, clientId: `${e.KAFKA_CLIENT_ID}-alerts` },
    smtp: {
      host: e.SMTP_HOST, port: e.SMTP_PORT, from: e.SMTP_FROM, secure: e.SMTP_PORT === 465,
      ...(e.SMTP_USER && e.SMTP_PASS ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASS } } : {}),
    },
    jwtSecret: e.JWT_SECRET,
    host: e.HOST,
    port: e.PORT,
    consoleBaseUrl: e.CONSOLE_BASE_URL,
    laoRegistryFile: e.LAO_REGISTRY_FILE,
    usersFile: e.USERS_FILE,
    logLevel: e.LOG_LEVEL,
    demoPassword: e.DEMO_PASSWORD,
    webhook: e.WEBHOOK_SECRET ? { secret: e.WEBHOOK_SECRET } : undefined,
    line: e.LINE_CHANNEL_ACCESS_TOKEN ? { channelAccessToken: e.LINE_CHANNEL_ACCESS_TOKEN, ...(e.LINE_API_BASE_URL ? { baseUrl: e.LINE_API_BASE_URL } : {}) } : undefined,
  };
}
