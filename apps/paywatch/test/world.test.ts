import { describe, expect, it } from 'vitest';
import { parseFile } from '@paywatch/ktb-formats';
import type { Alert } from '@paywatch/domain';
import { generateWorld } from '../src/world/generate-world.ts';
import { scoreAlerts } from '../src/commands/quality.ts';

describe('synthetic world', () => {
  it('when generated twice with one seed, then the files are byte-identical; another seed differs', () => {
    const a = generateWorld({ seed: 7, laos: 3, months: 2 });
    const b = generateWorld({ seed: 7, laos: 3, months: 2 });
    expect(a.files.map((f) => Buffer.from(f.bytes).toString('base64'))).toEqual(b.files.map((f) => Buffer.from(f.bytes).toString('base64')));
    expect(a.labels).toEqual(b.labels);
    expect(generateWorld({ seed: 8, laos: 3, months: 2 }).files[0]!.bytes).not.toEqual(a.files[0]!.bytes);
  });

  it('when parsed, then every file is accepted whole and every labelled row exists', () => {
    const w = generateWorld({ seed: 3, laos: 12, months: 8 });
    const rowsByFile = new Map<string, number>();
    for (const f of w.files) {
      const events = [...parseFile(f.bytes, { registry: w.registry })];
      const m = events.at(-1)!;
      expect(m.kind === 'manifest' && m.refusal).toBeFalsy();
      expect(m.kind === 'manifest' && m.rowsRejected).toBe(0);
      rowsByFile.set(f.name, events.filter((e) => e.kind === 'record').length);
    }
    expect(new Set(w.labels.map((l) => l.typology))).toEqual(new Set(['duplicate-payment', 'split-payment', 'amount-outlier', 'batch-padded', 'account-many-names', 'repeat-siphon', 'new-payee-large', 'velocity-spike', 'off-hours', 'self-approval', 'payee-not-registered', 'staff-account', 'no-voucher', 'welfare-anomaly']));
    expect(w.reference.map((f) => f.name)).toEqual(['payees.csv', 'staff.csv', 'vouchers.csv', 'beneficiaries.csv']);
    for (const l of w.labels) for (const p of l.payments) {
      expect(rowsByFile.has(p.file)).toBe(true);
      expect(p.row).toBeLessThanOrEqual(rowsByFile.get(p.file)! + 1);
    }
  });
});

describe('quality scoring', () => {
  const alert = (ruleIds: string[], rows: [string, number][]): Alert => ({
    alertId: `al_${rows.map((r) => r.join('')).join('')}`, laoCode: '6600101', severity: 'high', ruleIds, subject: { kind: 'payment', key: 'x' },
    findings: [], payments: rows.map(([file, row]) => ({ recordId: `${file}:${row}`, batchId: 'b', file, row })),
    reasons: { th: '', en: '' }, evidence: {}, amountSatang: 0, occurredOn: '2026-01-01', ruleSetVersion: 'v',
  }) as unknown as Alert;

  it('when an alert of the right rule names a labelled payment, then the event is found; unrelated alerts lower precision', () => {
    const labels = [
      { typology: 'duplicate-payment', laoCode: '6600101', payments: [{ file: 'a', row: 2 }, { file: 'b', row: 3 }], note: '' },
      { typology: 'split-payment', laoCode: '6600101', payments: [{ file: 'a', row: 5 }], note: '' },
    ];
    const r = scoreAlerts([alert(['duplicate-payment'], [['b', 3]]), alert(['amount-outlier'], [['c', 9]])], labels, 1000, 1, 3);
    expect(r.perRule['duplicate-payment']).toMatchObject({ events: 1, found: 1, recall: 1 });
    expect(r.perRule['split-payment']).toMatchObject({ events: 1, found: 0, recall: 0 });
    expect(r.precision).toBe(0.5);
    expect(r.alertsPer1000CleanPayments).toBe(1);
  });
  it('when an alert of another rule names a labelled payment, then the event is not found by it', () => {
    const labels = [{ typology: 'split-payment', laoCode: '6600101', payments: [{ file: 'a', row: 5 }], note: '' }];
    expect(scoreAlerts([alert(['duplicate-payment'], [['a', 5]])], labels, 10, 1, 1).perRule['split-payment']!.found).toBe(0);
  });
});
