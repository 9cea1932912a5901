import { describe, expect, it } from 'vitest';
import { ConfigError, loadAlertsConfig } from '../src/config.ts';

const FULL = {
  DATABASE_URL: 'postgres://paywatch@db/paywatch', KAFKA_BROKERS: 'k1:9092, k2:9092', SMTP_HOST: 'smtp.example.go.th', SMTP_PORT: '587',
  SMTP_FROM: 'paywatch <paywatch@example.go.th>', JWT_SECRET: 's'.repeat(32), CONSOLE_BASE_URL: 'https://paywatch.example.go.th/',
  AUDIT_HMAC_KEY: 'a'.repeat(32), S3_BUCKET: 'paywatch',
};

describe('config', () => {
  it('when the environment is empty, then one error lists every missing variable', () => {
    let error: unknown;
    try { loadAlertsConfig({}); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_FROM', 'JWT_SECRET', 'CONSOLE_BASE_URL', 'AUDIT_HMAC_KEY', 'S3_BUCKET']) expect(message).toContain(`${name}: missing`);
    expect(message).not.toContain('PORT: missing\n'); // PORT has a default
  });

  it('when JWT_SECRET is short or SMTP_USER comes without SMTP_PASS, then it says so without echoing the secret', () => {
    expect(() => loadAlertsConfig({ ...FULL, JWT_SECRET: 'short-secret' })).toThrow(/JWT_SECRET: JWT_SECRET must be at least 32 characters/);
    expect(() => loadAlertsConfig({ ...FULL, JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadAlertsConfig({ ...FULL, SMTP_USER: 'u' })).toThrow(/SMTP_USER and SMTP_PASS go together/);
  });

  it('when only the former PUBLIC_BASE_URL is set, then CONSOLE_BASE_URL is reported missing and the old name is named; a non-http URL is refused', () => {
    const { CONSOLE_BASE_URL: _c, ...rest } = FULL;
    expect(() => loadAlertsConfig({ ...rest, PUBLIC_BASE_URL: 'https://paywatch.example.go.th' })).toThrow(/CONSOLE_BASE_URL: missing \(required; PUBLIC_BASE_URL is no longer read/);
    expect(() => loadAlertsConfig({ ...FULL, CONSOLE_BASE_URL: 'javascript:alert(1)' })).toThrow(/CONSOLE_BASE_URL/);
  });

  it('when the environment is complete, then values are converted and defaults applied', () => {
    const c = loadAlertsConfig({ ...FULL, SMTP_USER: 'u', SMTP_PASS: 'p' });
    expect(c).toMatchObject({ kafka: { brokers: ['k1:9092', 'k2:9092'], clientId: 'paywatch-alerts' }, host: '0.0.0.0', port: 8083, consoleBaseUrl: 'https://paywatch.example.go.th', smtp: { port: 587, secure: false, auth: { user: 'u', pass: 'p' } } });
  });

  it('when DEMO_PASSWORD is set, then it is read; a short one is refused without being echoed', () => {
    expect(loadAlertsConfig(FULL).demoPassword).toBeUndefined();
    expect(loadAlertsConfig({ ...FULL, DEMO_PASSWORD: 'compose-demo' }).demoPassword).toBe('compose-demo');
    expect(() => loadAlertsConfig({ ...FULL, DEMO_PASSWORD: 'abc1234' })).toThrow(/DEMO_PASSWORD: DEMO_PASSWORD must be at least 8/);
    expect(() => loadAlertsConfig({ ...FULL, DEMO_PASSWORD: 'abc1234' })).not.toThrow(/abc1234/);
  });

  it('when WEBHOOK_SECRET and LINE_CHANNEL_ACCESS_TOKEN are set, then both channels are configured; a short webhook secret is refused', () => {
    expect(loadAlertsConfig(FULL)).toMatchObject({ webhook: undefined, line: undefined });
    const c = loadAlertsConfig({ ...FULL, WEBHOOK_SECRET: 'w'.repeat(32), LINE_CHANNEL_ACCESS_TOKEN: 'tok', LINE_API_BASE_URL: 'http://127.0.0.1:9999' });
    expect(c).toMatchObject({ webhook: { secret: 'w'.repeat(32) }, line: { channelAccessToken: 'tok', baseUrl: 'http://127.0.0.1:9999' } });
    expect(() => loadAlertsConfig({ ...FULL, WEBHOOK_SECRET: 'short-webhook' })).toThrow(/WEBHOOK_SECRET: WEBHOOK_SECRET must be at least 32/);
    expect(() => loadAlertsConfig({ ...FULL, WEBHOOK_SECRET: 'short-webhook' })).not.toThrow(/short-webhook/);
  });

  it('when the audit key is short, then it says so without echoing it; session lifetimes over 12 h are refused; defaults are the ADR\'s', () => {
    expect(() => loadAlertsConfig({ ...FULL, AUDIT_HMAC_KEY: 'short-audit-key' })).toThrow(/AUDIT_HMAC_KEY: AUDIT_HMAC_KEY must be at least 32/);
    expect(() => loadAlertsConfig({ ...FULL, AUDIT_HMAC_KEY: 'short-audit-key' })).not.toThrow(/short-audit-key/);
    expect(() => loadAlertsConfig({ ...FULL, SESSION_MAX_HOURS: '24' })).toThrow(/SESSION_MAX_HOURS/);
    expect(loadAlertsConfig(FULL)).toMatchObject({
      audit: { anchorIntervalMs: 300_000, anchorRetentionDays: 3650 }, sessions: { idleMs: 3_600_000, maxAgeMs: 43_200_000 },
      http: { rateLimit: { perMinute: 1000, login: 20, upload: 30 }, trustProxy: [] }, s3: { bucket: 'paywatch' },
    });
  });
});
