import { describe, expect, it } from 'vitest';
import { CommonEnv, KafkaEnv, ConfigError, OidcEnv, oidcOptionsOf, readConfig } from '../src/index.ts';

describe('readConfig', () => {
  it('when variables are missing or weak, then the error names every one of them', () => {
    try {
      readConfig(CommonEnv.merge(KafkaEnv), { JWT_SECRET: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).issues.join('\n')).toMatch(/JWT_SECRET/);
      expect((e as ConfigError).issues.join('\n')).toMatch(/KAFKA_BROKERS/);
    }
  });
  it('when valid, then defaults are filled and lists split', () => {
    const c = readConfig(CommonEnv.merge(KafkaEnv), { JWT_SECRET: 'x'.repeat(32), KAFKA_BROKERS: 'a:9092, b:9092' });
    expect(c.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(c.LOG_LEVEL).toBe('info');
  });
  it('when OIDC is configured all at once, then http-kit gets its options; none means built-in tokens only; a partial set is refused', () => {
    expect(oidcOptionsOf(readConfig(OidcEnv, {}))).toBeUndefined();
    const full = { OIDC_ISSUER: 'https://idp.example/realms/dla', OIDC_AUDIENCE: 'paywatch', OIDC_JWKS_URL: 'https://idp.example/realms/dla/certs', OIDC_CLAIMS_KEY: 'pw' };
    expect(oidcOptionsOf(readConfig(OidcEnv, full))).toEqual({ issuer: full.OIDC_ISSUER, audience: 'paywatch', jwksUrl: full.OIDC_JWKS_URL, claimsKey: 'pw' });
    expect(() => readConfig(OidcEnv, { OIDC_ISSUER: full.OIDC_ISSUER })).toThrow(/OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL together/);
  });
});
