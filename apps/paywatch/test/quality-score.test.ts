// Per-rule accounting of `pnpm quality`, on a hand-built handful of alerts and labels whose right answer is known.
import { describe, expect, it } from 'vitest';
import type { Alert } from '@paywatch/domain';
import { scoreAlerts } from '../src/commands/quality.ts';
import type { WorldLabel } from '../src/world/generate-world.ts';

const LAO = '6600101';
let n = 0;
const alert = (ruleIds: string[], rows: [string, number][], subject: Alert['subject'] = { kind: 'payment', key: `k${++n}` }, laoCode = LAO): Alert => ({
  alertId: `al_${++n}`, laoCode, severity: 'high', ruleIds, subject, findings: [],
  payments: rows.map(([file, row]) => ({ recordId: `${file}:${row}`, batchId: `b_${file}`, file, row })),
  reasons: { th: '', en: '' }, evidence: {}, amountSatang: 0, occurredOn: '2026-01-01', ruleSetVersion: 'v',
}) as unknown as Alert;
const label = (typology: string, rows: [string, number][], extra: Partial<WorldLabel> = {}): WorldLabel => ({ typology, laoCode: LAO, payments: rows.map(([file, row]) => ({ file, row })), note: '', ...extra });

describe('quality: per-rule precision', () => {
  const labels = [
    label('duplicate-payment', [['a', 2], ['a', 3]]),
    label('split-payment', [['a', 5], ['a', 6]]),
    label('split-payment', [['c', 4]]),
    label('batch-padded', [['p', 1]]),
    label('benford', [['a', 9]], { period: 'fy-2026', periodOnly: true }),
  ];
  const alerts = [
    alert(['duplicate-payment', 'no-voucher'], [['a', 3]]), // dup: own typology; no-voucher: on another event
    alert(['split-payment'], [['a', 5], ['a', 6]]), // own
    alert(['split-payment'], [['b', 7], ['b', 8]]), // false
    alert(['split-payment'], [['b', 9]]), // false
    alert(['batch-padded'], [['a', 2], ['a', 5]], { kind: 'batch', key: 'b_a' }), // names labelled rows, but file a is not padded: false
    alert(['batch-padded'], [['p', 2]], { kind: 'batch', key: 'b_p' }), // own (label on the header line of p)
    alert(['benford', 'near-threshold'], [['z', 40]], { kind: 'lao-period', key: 'fy-2026' }), // benford: own by period; near-threshold: other
    alert(['benford'], [['z', 43]], { kind: 'lao-period', key: 'fy-2026' }), // the year again (a later version): own
    alert(['benford'], [['z', 41]], { kind: 'lao-period', key: 'fy-2026' }, '6000101'), // another LAO's year: false
    alert(['benford'], [['z', 42]], { kind: 'lao-period', key: 'fy-2025' }), // another year of this LAO: false
  ];
  const r = scoreAlerts(alerts, labels, 2_000, 1, 9);

  it('when alerts group several rules, then each rule is credited with its own typology, another event, or a false alert', () => {
    expect(r.perRule['duplicate-payment']).toMatchObject({ events: 1, found: 1, alerts: 1, matched: 1, onOtherEvents: 0, falseAlerts: 0, precision: 1, precisionOwnTypology: 1 });
    expect(r.perRule['no-voucher']).toMatchObject({ events: 0, found: 0, recall: null, alerts: 1, matched: 0, onOtherEvents: 1, falseAlerts: 0, precision: 1, precisionOwnTypology: 0 });
    expect(r.perRule['near-threshold']).toMatchObject({ alerts: 1, matched: 0, onOtherEvents: 1, falseAlerts: 0 });
  });

  it('when a rule raises alerts on unlabelled payments, then they are its false alerts, per 1,000 clean payments too', () => {
    expect(r.perRule['split-payment']).toEqual({
      events: 2, found: 1, recall: 0.5, alerts: 3, matched: 1, onOtherEvents: 0, falseAlerts: 2,
      precision: 0.333, precisionOwnTypology: 0.333, falseAlertsPer1000CleanPayments: 1,
    });
  });

  it('when a batch alert names labelled rows of an unpadded file, then it is false; on the padded file it matches the header label', () => {
    expect(r.perRule['batch-padded']).toMatchObject({ events: 1, found: 1, alerts: 2, matched: 1, falseAlerts: 1, precision: 0.5 });
  });

  it('when an LAO-period alert names the labelled period of its LAO, then it matches whatever payment last fired it', () => {
    expect(r.perRule.benford).toMatchObject({ events: 1, found: 1, recall: 1, alerts: 4, matched: 2, falseAlerts: 2 });
  });

  it('when scored, then the overall line counts each alert once and the rules come in id order', () => {
    expect(r).toMatchObject({ alerts: 10, falseAlerts: 5, precision: 0.5, alertsPer1000CleanPayments: 2.5 });
    expect(Object.keys(r.perRule)).toEqual([...Object.keys(r.perRule)].sort());
  });
});

describe('quality: events about a whole period', () => {
  it('when a payment alert names a row of a whole-period event, then it has not found it and counts as false', () => {
    const labels = [label('benford', [['a', 2], ['a', 3]], { period: 'fy-2026', periodOnly: true })];
    const r = scoreAlerts([alert(['split-payment'], [['a', 2], ['a', 3]])], labels, 1_000, 1, 1);
    expect(r.perRule['split-payment']).toMatchObject({ alerts: 1, falseAlerts: 1 });
    expect(r.perRule.benford).toMatchObject({ events: 1, found: 0 });
  });

  it('when a payment alert names a row of a period event whose rows are irregular one by one, then it is on that event', () => {
    const labels = [label('near-threshold', [['a', 2], ['a', 3]], { period: 'fy-2026' })];
    const r = scoreAlerts([alert(['split-payment'], [['a', 2], ['a', 3]]), alert(['near-threshold'], [['z', 1]], { kind: 'lao-period', key: 'fy-2026' })], labels, 1_000, 1, 1);
    expect(r.perRule['split-payment']).toMatchObject({ alerts: 1, onOtherEvents: 1, falseAlerts: 0 });
    expect(r.perRule['near-threshold']).toMatchObject({ events: 1, found: 1, matched: 1 });
  });
});
