import { describe, expect, it } from 'vitest';
import { issuesOf, parseRuleSetConfig, RULES, RULES_ERROR_CODES, RuleSetConfig, THAI_HOLIDAYS } from '../src/index.ts';

describe('RuleSetConfig', () => {
  it('when nothing is configured, then every default typologies.md documents applies', () => {
    const { version, rules, state } = RuleSetConfig.parse({});
    expect(version).toBe('2026.12.3');
    expect(rules['duplicate-payment']).toMatchObject({ enabled: true, windowDays: 30 });
    // split-payment@2.0.0 narrowed the 30 days of typologies.md to a week (see its TSDoc).
    expect(rules['split-payment']).toMatchObject({ windowDays: 21, serviceTypes: ['04', '14'], minPayments: 2, thresholds: [{ amountSatang: 10_000_000, severity: 'medium' }, { amountSatang: 50_000_000, severity: 'high' }] });
    expect(rules['amount-outlier']).toMatchObject({ zThreshold: 6, minObservations: 20, shortHistoryMin: 3, shortHistoryRatio: 10, shortHistoryLaoQuantile: 0.75, fallbackMinObservations: 20, utilityServiceTypes: ['10', '11', '12'] });
    expect(rules['off-hours']).toMatchObject({ startHour: 7, endHour: 19, weekends: true, holidays: THAI_HOLIDAYS, additionalHolidays: [] });
    expect(rules['self-approval']).toMatchObject({ maxApprovalSeconds: 60 });
    expect(rules['new-payee-large']).toMatchObject({ quantile: 0.95, minObservations: 50, recentDays: 90 });
    expect(rules['repeat-siphon']).toMatchObject({ windowDays: 30, minCount: 5, zThreshold: 4, skipVendors: true });
    expect(rules.benford).toMatchObject({ serviceTypes: ['04', '14'], minPayments: 300, madFirstDigit: 0.015, madFirstTwoDigits: 0.0022 });
    expect(rules['near-threshold']).toMatchObject({ thresholdsSatang: [10_000_000, 50_000_000], bandFraction: 0.9, pValue: 0.001 });
    expect(rules['velocity-spike']).toMatchObject({ zThreshold: 5, excludedServiceTypes: ['01', '02', '10', '11', '12'] });
    expect(rules['staff-account']).toMatchObject({ salaryServiceTypes: ['01', '02'] });
    expect(rules['no-voucher']).toMatchObject({ toleranceDays: 3 });
    expect(rules['welfare-anomaly']).toMatchObject({ elderlyTiersSatang: [60_000, 70_000, 80_000, 100_000] });
    expect(rules['welfare-two-laos']).toMatchObject({ severity: 'high' });
    // Recurring pay is salaries, utilities and (classified apart) allowances: 59 to a person up to 3,000 baht with no remark.
    expect(state).toMatchObject({ recurringServiceTypes: ['01', '02', '10', '11', '12'], allowanceServiceTypes: ['59'], maxAllowanceSatang: 300_000 });
    for (const rule of Object.values(rules)) expect(rule.enabled).toBe(true);
  });

  it('when nothing is configured, then every field of every rule and of the state has a value, and the result parses to itself', () => {
    const config = RuleSetConfig.parse({});
    const undefinedAt: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (v === undefined) undefinedAt.push(path);
      else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    walk(config, 'config');
    expect(undefinedAt).toEqual([]);
    // Every rule the engine runs has its section, and a parsed configuration is a valid input that means the same.
    expect(Object.keys(config.rules).sort()).toEqual([...RULES.map((r) => r.id), 'batch-padded', 'welfare-two-laos'].sort());
    expect(RuleSetConfig.parse(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });

  it('when one threshold is set, then the others keep their defaults', () => {
    const config = RuleSetConfig.parse({ version: '2027.1.0', rules: { 'split-payment': { windowDays: 45 } } });
    expect(config.version).toBe('2027.1.0');
    expect(config.rules['split-payment']).toMatchObject({ windowDays: 45, minPayments: 2 });
    expect(config.rules['duplicate-payment'].windowDays).toBe(30);
  });

  it('when a key is misspelt, then it is an issue rather than silently ignored', () => {
    const result = RuleSetConfig.safeParse({ rules: { 'duplicate-payment': { windowDay: 10 } } });
    expect(result.success).toBe(false);
    expect(issuesOf(result.error!)).toEqual([{ path: ['rules', 'duplicate-payment', 'windowDay'], message: 'unknown key' }]);
  });

  it('when values are out of range, then parseRuleSetConfig throws PW_ERR_RULES_CONFIG_INVALID naming each path', () => {
    const bad = { rules: { 'amount-outlier': { zThreshold: 'six' }, 'split-payment': { thresholds: [], serviceTypes: ['4'] } } };
    expect(() => parseRuleSetConfig(bad)).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.configInvalid }));
    try {
      parseRuleSetConfig(bad);
      expect.unreachable();
    } catch (e) {
      const paths = (e as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(['rules.split-payment.serviceTypes.0', 'rules.split-payment.thresholds', 'rules.amount-outlier.zThreshold']);
    }
  });

  it('when histories are shorter than the outlier minimum, then the configuration is refused', () => {
    const result = RuleSetConfig.safeParse({ state: { payeeHistorySize: 10 } });
    expect(result.success).toBe(false);
  });

  it('when two split thresholds repeat an amount, then the configuration is refused', () => {
    const t = { amountSatang: 10_000_000, severity: 'medium' };
    expect(RuleSetConfig.safeParse({ rules: { 'split-payment': { thresholds: [t, t] } } }).success).toBe(false);
  });

  it('when parsed twice, then default lists are not shared between results', () => {
    const a = RuleSetConfig.parse({}), b = RuleSetConfig.parse({});
    a.rules['split-payment'].serviceTypes.push('99');
    expect(b.rules['split-payment'].serviceTypes).toEqual(['04', '14']);
    expect(RuleSetConfig.parse({}).rules['split-payment'].serviceTypes).toEqual(['04', '14']);
  });
});
