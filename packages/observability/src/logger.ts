/** The one pino configuration every service uses: JSON lines, with account numbers and citizen IDs masked. */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values are account numbers or citizen/tax IDs, wherever they appear in a log object. */
export const SENSITIVE_KEYS = new Set([
  'payeeAccount', 'debitAccount', 'account', 'accountNo', 'accounts', 'payeeId', 'citizenId', 'taxId', 'idCard',
]);
/** Keys whose values are logged verbatim: audit anchors are hex hashes whose digit runs must not be masked. */
const VERBATIM_KEYS = new Set(['auditAnchor']);
const SECRET_KEYS = new Set(['authorization', 'password', 'token', 'secret', 'cookie', 'jwtSecret', 'sessionId', 'hmacKey', 'set-cookie']);
const LONG_DIGITS = /\d[\d-]{8,16}\d/g;
/** A JWT (JWS compact form: base64url header and payload of JSON objects), wherever it appears in a string. */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

const maskDigits = (value: string): string =>
  value.replace(JWT_PATTERN, '[jwt]').replace(LONG_DIGITS, (run) => {
    const d = run.replace(/\D/g, '');
    return d.length >= 10 ? '*'.repeat(d.length - 4) + d.slice(-4) : run;
  });

/**
 * Masks PII in a log object: values of sensitive keys keep their last 4 digits, secrets are dropped,
 * any 10–14-digit run in any other string (an account pasted into a message) is masked too, and so is
 * anything shaped like a JWT (a token someone put in a URL must not reach the log with it).
 */
export function maskPii(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return maskDigits(value);
  if (Array.isArray(value)) return value.map((v) => maskPii(v, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Error)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.has(k)) out[k] = '[redacted]';
      else if (VERBATIM_KEYS.has(k)) out[k] = v;
      else if (SENSITIVE_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number')) {
        const d = String(v).replace(/\D/g, '');
        out[k] = d.length > 4 ? '*'.repeat(d.length - 4) + d.slice(-4) : '****';
      } else out[k] = maskPii(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Creates the service logger. Only a composition root calls this; packages accept a logger. */
export function createLogger(options: { service: string; level?: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (obj) => maskPii(obj) as Record<string, unknown> },
      hooks: {
        // The message string too: `log.info('paid 1234567890')` must not leak the account.
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskDigits(a) : a)) as Parameters<typeof method>;
          return method.apply(this, masked);
        },
      },
    },
    destination,
  );
}
