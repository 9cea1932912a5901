import { describe, expect, it } from 'vitest';
import { CommonEnv, KafkaEnv, ConfigError, readConfig } from '../src/index.ts';

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
});
