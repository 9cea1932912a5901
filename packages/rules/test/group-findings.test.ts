import { alertIdFor, type Finding, type Severity } from '@paywatch/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combinedSeverity, groupFindings } from '../src/index.ts';
import { LAO, OTHER_LAO } from './helpers/factory.ts';

const ref = (batchId: string, row: number) => ({ recordId: `${batchId}:${row}`, batchId, file: `${batchId}.csv`, row });
const detail = (batchId: string, row: number, amountSatang: number, effectiveDate: string) => ({ recordId: `${batchId}:${row}`, amountSatang, effectiveDate });

function finding(ruleId: string, severity: Severity, over: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    ruleVersion: '1.0.0',
    severity,
    laoCode: LAO,
    subject: { kind: 'payment', key: 'b1:1' },
    reasons: { th: `เหตุผล ${ruleId}`, en: `reason ${ruleId}` },
    evidence: { paymentDetails: [detail('b1', 1, 1_000, '2025-03-01')] },
    payments: [ref('b1', 1)],
    ...over,
  };
}

describe('groupFindings', () => {
  it('when two rules find something about one subject, then one alert joins them and counts each payment once', () => {
    const a = finding('split-payment', 'medium', {
      payments: [ref('b2', 3), ref('b1', 1)],
      evidence: { x: 1, paymentDetails: [detail('b2', 3, 2_500, '2025-03-09'), detail('b1', 1, 1_000, '2025-03-01')] },
    });
    const b = finding('amount-outlier', 'medium', { evidence: { y: 2, paymentDetails: [detail('b1', 1, 1_000, '2025-03-01')] } });
    const [alert, ...rest] = groupFindings([a, b], '2026.11.1');
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      alertId: alertIdFor(LAO, { kind: 'payment', key: 'b1:1' }),
      severity: 'high',
      ruleIds: ['amount-outlier', 'split-payment'],
      payments: [ref('b1', 1), ref('b2', 3)],
      amountSatang: 3_500,
      occurredOn: '2025-03-09',
      ruleSetVersion: '2026.11.1',
      reasons: { th: 'เหตุผล amount-outlier\nเหตุผล split-payment', en: 'reason amount-outlier\nreason split-payment' },
    });
    expect(alert!.evidence).toEqual({ 'amount-outlier': b.evidence, 'split-payment': a.evidence });
    expect(alert!.findings.map((f) => f.ruleId)).toEqual(['amount-outlier', 'split-payment']);
  });

  it('when subjects or LAOs differ, then each gets its own alert, ordered by alertId', () => {
    const alerts = groupFindings([
      finding('duplicate-payment', 'high'),
      finding('duplicate-payment', 'high', { subject: { kind: 'payment', key: 'b1:2' } }),
      finding('duplicate-payment', 'high', { laoCode: OTHER_LAO }),
    ], 'v');
    expect(alerts).toHaveLength(3);
    expect(alerts.map((a) => a.alertId)).toEqual([...alerts.map((a) => a.alertId)].sort());
  });

  it('when the findings come in another order, then the alerts are byte-identical', () => {
    const findings = [
      finding('duplicate-payment', 'high'),
      finding('amount-outlier', 'medium'),
      finding('split-payment', 'medium', { subject: { kind: 'payee', key: '006:1:b1:1' } }),
      finding('amount-outlier', 'medium', { laoCode: OTHER_LAO }),
    ];
    const expected = JSON.stringify(groupFindings(findings, 'v'));
    fc.assert(fc.property(fc.shuffledSubarray(findings, { minLength: findings.length }), (shuffled) => {
      expect(JSON.stringify(groupFindings(shuffled, 'v'))).toBe(expected);
    }));
  });

  it('when one rule gives two findings about one subject, then its evidence is a list and the severity is not raised', () => {
    const [alert] = groupFindings([finding('duplicate-payment', 'high', { evidence: { n: 1 } }), finding('duplicate-payment', 'high', { evidence: { n: 2 } })], 'v');
    expect(alert!.evidence).toEqual({ 'duplicate-payment': [{ n: 1 }, { n: 2 }] });
    expect(alert!.severity).toBe('high');
  });

  it('when there are no findings, then there are no alerts', () => {
    expect(groupFindings([], 'v')).toEqual([]);
  });
});

describe('combinedSeverity', () => {
  it('when rules agree, then the highest severity goes up one step, never past critical', () => {
    expect(combinedSeverity([{ ruleId: 'a', severity: 'low' }])).toBe('low');
    expect(combinedSeverity([{ ruleId: 'a', severity: 'low' }, { ruleId: 'b', severity: 'medium' }])).toBe('high');
    expect(combinedSeverity([{ ruleId: 'a', severity: 'high' }, { ruleId: 'b', severity: 'medium' }])).toBe('critical');
    expect(combinedSeverity([{ ruleId: 'a', severity: 'critical' }, { ruleId: 'b', severity: 'high' }])).toBe('critical');
  });
});
