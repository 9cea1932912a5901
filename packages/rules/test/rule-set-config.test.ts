import { describe, expect, it } from 'vitest';
import { issuesOf, parseRuleSetConfig, RULES_ERROR_CODES, RuleSetConfig, THAI_HOLIDAYS } from '../src/index.ts';

describe('RuleSetConfig', () => {
  it('when nothing is configured, then every documented default applies', () => {
    expect(RuleSetConfig.parse({})).toEqual({
      version: '2026.11.2',
      rules: {
        'duplicate-payment': { enabled: true, windowDays: 30, recurringServiceTypes: ['01', '02', '10', '11', '12', '59'] },
        'split-payment': {
          enabled: true,
          windowDays: 7,
          serviceTypes: ['04', '14'],
          minPayments: 2,
          sameBudgetItem: true,
          thresholds: [{ amountSatang: 10_000_000, severity: 'medium' }, { amountSatang: 50_000_000, severity: 'high' }],
        },
        'amount-outlier': { enabled: true, zThreshold: 6, minObservations: 20 },
        'off-hours': { enabled: true, startHour: 7, endHour: 19, weekends: true, holidays: THAI_HOLIDAYS, additionalHolidays: [] },
        'self-approval': { enabled: true, maxApprovalSeconds: 60 },
        'batch-padded': { enabled: true },
        'account-many-names': { enabled: true },
        'new-payee-large': { enabled: true, quantile: 0.95, minObservations: 50, recurringServiceTypes: ['01', '02', '10', '11', '12', '59'] },
        'repeat-siphon': { enabled: true, windowDays: 30, minCount: 5, zThreshold: 4, minAccounts: 10, skipVendors: true, recurringServiceTypes: ['01', '02', '10', '11', '12', '59'] },
        benford: { enabled: true, serviceTypes: ['04', '14'], minPayments: 300, evaluateEvery: 100, madFirstDigit: 0.015, madFirstTwoDigits: 0.0022 },
        'near-threshold': { enabled: true, thresholdsSatang: [10_000_000, 50_000_000], bandFraction: 0.9, serviceTypes: ['04', '14'], minPayments: 30, minComparisonCount: 5, baselineShare: 0.02, pValue: 0.001 },
        'velocity-spike': { enabled: true, zThreshold: 5, baselineWeeks: 12, minBaselineDays: 8, minDayCount: 5, excludedServiceTypes: ['01', '02', '10', '11', '12', '59'] },
        'payee-not-registered': { enabled: true, exemptServiceTypes: [] },
        'staff-account': { enabled: true, salaryServiceTypes: ['01', '02'] },
        'no-voucher': { enabled: true, toleranceDays: 3, batchServiceTypes: ['01', '02', '10', '11', '12', '59'] },
        'welfare-anomaly': { enabled: true, elderlyTiersSatang: [60_000, 70_000, 80_000, 100_000], maxMonths: 12, maxBeneficiariesPerAccount: 2 },
        'welfare-two-laos': { enabled: true, serviceTypes: ['59'], severity: 'high', monthsKept: 3 },
      },
      state: { laoHistorySize: 500, payeeHistorySize: 100, maxPayeeHistories: 20_000, seenBatches: 1_000, maxNamesPerAccount: 8 },
    });
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
