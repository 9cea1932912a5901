// The matrix's scorer on a hand-made handful of alerts and labels whose right answer is known.
import { describe, expect, it } from 'vitest';
import type { Alert } from '@paywatch/domain';
import { scoreCell, type ScoredLabel } from '../../src/quality/score-cell.ts';

const LAO = '5660101';
let n = 0;
const alert = (ruleIds: string[], rows: [string, number][], subject: Alert['subject'] = { kind: 'payment', key: `k${++n}` }, laoCode = LAO): Alert => ({
  alertId: `al_${++n}`, laoCode, severity: 'high', ruleIds, subject, findings: [],
  payments: rows.map(([file, row]) => ({ recordId: `${file}:${row}`, batchId: `b_${file}`, file, row })),
  reasons: { th: '', en: '' }, evidence: {}, amountSatang: 0, occurredOn: '2026-06-01', ruleSetVersion: 'v',
}) as unknown as Alert;
const label = (typology: string, kase: string, rows: [string, number][], extra: Partial<ScoredLabel> = {}): ScoredLabel => ({ typology, case: kase, laoCode: LAO, month: '2026-06', payments: rows.map(([file, row]) => ({ file, row })), ...extra });

const fileMonth = new Map([['jun-bulk', '2026-06'], ['jun-report', '2026-06'], ['may-bulk', '2026-05'], ['jun-padded', '2026-06']]);

describe('quality: scoring a cell', () => {
  const labels: ScoredLabel[] = [
    label('welfare-anomaly', 'same-citizen-two-laos', [['jun-bulk', 5], ['jun-report', 9]]),
    label('welfare-anomaly', 'invalid-citizen-id', [['jun-bulk', 6]]),
    label('amount-outlier', 'vendor-3-19-earlier', [['jun-bulk', 7]]),
    label('batch-padded', 'lines-without-vouchers', [['jun-padded', 1], ['jun-padded', 4]]),
    label('benford', 'invented-amounts', [['jun-bulk', 20]], { period: 'fy-2026', periodOnly: true }),
    label('split-payment', 'supplier-paid-often', [['jun-bulk', 30], ['jun-bulk', 31]], { tolerated: true }),
    label('duplicate-payment', 'second-without-voucher', [['may-bulk', 3]], { month: '2026-05' }),
  ];
  const alerts = [
    alert(['welfare-two-laos'], [['jun-report', 9]]), // stage 2's rule id finds the welfare-anomaly event
    alert(['new-payee-large'], [['jun-bulk', 7]]), // right event, wrong rule: on another event, outlier not found
    alert(['batch-padded'], [['jun-padded', 2], ['jun-padded', 3], ['jun-padded', 4]], { kind: 'batch', key: 'b_jun-padded' }),
    alert(['amount-outlier'], [['jun-bulk', 20]]), // a row of a whole-period event: false
    alert(['benford'], [['jun-bulk', 44]], { kind: 'lao-period', key: 'fy-2026' }), // the period: found
    alert(['split-payment'], [['jun-bulk', 30], ['jun-bulk', 31]]), // tolerated: neither false nor a find
    alert(['duplicate-payment'], [['jun-bulk', 50]]), // nothing labelled: false
    alert(['duplicate-payment'], [['may-bulk', 3]]), // history only: counted apart, not scored
    alert(['velocity-spike'], [['may-bulk', 8]]), // history only, no label: a false history alert
  ];
  const s = scoreCell(alerts, { labels, targetMonth: '2026-06', fileMonth, cleanPayments: 1_000, cleanHistoryPayments: 500 });

  it('when stage 2 names a citizen paid by two LAOs, then the welfare-anomaly event is found by it', () => {
    expect(s.perTypology['welfare-anomaly']).toEqual({ events: 2, found: 1, recall: 0.5, cases: { 'invalid-citizen-id': { events: 1, found: 0 }, 'same-citizen-two-laos': { events: 1, found: 1 } } });
    expect(s.perRule['welfare-two-laos']).toMatchObject({ alerts: 1, matched: 1, falseAlerts: 0 });
  });

  it('when another rule names an event, then the event is not found and the alert is on another event', () => {
    expect(s.perTypology['amount-outlier']).toMatchObject({ events: 1, found: 0, recall: 0 });
    expect(s.perRule['new-payee-large']).toMatchObject({ alerts: 1, onOtherEvents: 1, falseAlerts: 0 });
  });

  it('when a batch alert names its padded file, or an LAO-period alert its year, then those events are found', () => {
    expect(s.perTypology['batch-padded']).toMatchObject({ events: 1, found: 1 });
    expect(s.perTypology.benford).toMatchObject({ events: 1, found: 1 });
    expect(s.perRule['amount-outlier']).toMatchObject({ alerts: 1, falseAlerts: 1 });
  });

  it('when an alert names only a tolerated case, then it is neither false nor an event', () => {
    expect(s.perTypology['split-payment']).toBeUndefined();
    expect(s.perRule['split-payment']).toMatchObject({ alerts: 1, onTolerated: 1, falseAlerts: 0, precision: 1 });
    expect(s.toleratedAlerts).toBe(1);
  });

  it('when alerts name history payments only, then they are counted apart and history events do not count', () => {
    expect(s.history).toEqual({ alerts: 2, falseAlerts: 1, falseAlertsPer1000CleanPayments: 2, byRule: { 'velocity-spike': 1 } });
    expect(s.perTypology['duplicate-payment']).toBeUndefined();
  });

  it('when scored, then overall counts are over target-month alerts: 7 alerts, 2 false, 5 events', () => {
    expect(s).toMatchObject({ alerts: 7, falseAlerts: 2, precision: 0.714, falseAlertsPer1000CleanPayments: 2, events: 5 });
    expect(s.falseSamples.map((x) => `${x.file}#${x.row}`)).toEqual(['jun-bulk#20', 'jun-bulk#50']);
  });
});

describe('quality: scoring a group alert (ADR 0019)', () => {
  const member = (row: number) => ({
    recordId: `jun-bulk:${row}`, batchId: 'b_jun-bulk', file: 'jun-bulk', row, effectiveDate: '2026-06-01', amountSatang: 100, payeeName: 'x', payeeBankCode: '006',
    payeeAccountMasked: '******0001', severity: 'high' as const, subject: { kind: 'payment' as const, key: `jun-bulk:${row}` }, payments: [{ recordId: `jun-bulk:${row}`, batchId: 'b_jun-bulk', file: 'jun-bulk', row }],
  });
  const labels: ScoredLabel[] = [label('payee-not-registered', 'swapped-account', [['jun-bulk', 60]]), label('payee-not-registered', 'swapped-account', [['jun-bulk', 61]])];
  // The group lists row 60 only in its payload (the cap); rows 61 and 62 are members beyond it.
  const group = {
    ...alert(['payee-not-registered'], [['jun-bulk', 60]], { kind: 'batch', key: 'b_jun-bulk#payee-not-registered' }),
    group: { ruleId: 'payee-not-registered', ruleVersion: '1.0.0', batchId: 'b_jun-bulk', file: 'jun-bulk', count: 3, totalSatang: 300, listed: 1, individualAlertIds: [] },
    groupMembers: [member(60), member(61), member(62)],
  } as Alert;
  const s = scoreCell([group], { labels, targetMonth: '2026-06', fileMonth, cleanPayments: 1_000 });

  it('when a group alert lists payments beyond its cap, then every member counts as flagged by its rule: both events found, the unlabelled one false', () => {
    expect(s.perTypology['payee-not-registered']).toMatchObject({ events: 2, found: 2, recall: 1 });
    expect(s.perRule['payee-not-registered']).toMatchObject({ alerts: 3, matched: 2, falseAlerts: 1 });
    expect(s.alerts).toBe(3);
  });
});
