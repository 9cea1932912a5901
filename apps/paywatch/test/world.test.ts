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
    expect(new Set(w.labels.map((l) => l.typology))).toEqual(new Set(['duplicate-payment', 'split-payment', 'amount-outlier', 'batch-padded', 'account-many-names', 'repeat-siphon', 'new-payee-large', 'velocity-spike', 'off-hours', 'self-approval', 'payee-not-registered', 'staff-account', 'no-voucher', 'welfare-anomaly', 'benford', 'near-threshold', 'welfare-two-laos']));
    expect(w.reference.map((f) => f.name)).toEqual(['payees.csv', 'staff.csv', 'vouchers.csv', 'beneficiaries.csv']);
    for (const l of w.labels) for (const p of l.payments) {
      expect(rowsByFile.has(p.file)).toBe(true);
      expect(p.row).toBeLessThanOrEqual(rowsByFile.get(p.file)! + 1);
    }
  });
});

describe('synthetic world: labels', () => {
  const w = generateWorld({ seed: 20261122, laos: 12, months: 8 });

  it('when a labelled bulk line is executed in the bank report, then the report line belongs to the same event', () => {
    // The names event lands in the second vendor run, which the month's transfer report lists again.
    const names = w.labels.filter((l) => l.typology === 'account-many-names');
    expect(names.length).toBeGreaterThan(0);
    for (const l of names) expect(l.payments.map((p) => p.file.split('-')[0]).sort()).toEqual(['bulk', 'report']);
  });

  it('when amounts are invented or hug a limit, then the event names its LAO and fiscal year, and only invented years are whole-period events', () => {
    const period = w.labels.filter((l) => l.typology === 'benford' || l.typology === 'near-threshold');
    expect(period.length).toBeGreaterThan(0);
    for (const l of period) {
      expect(l.period).toBe('fy-2026');
      expect(l.periodOnly).toBe(l.typology === 'benford' ? true : undefined);
      expect(l.payments.every((p) => p.file.includes(l.laoCode))).toBe(true);
    }
    // Near-threshold rows are the amounts just under 100,000 or 500,000 baht.
    expect(w.labels.filter((l) => l.typology === 'near-threshold').flatMap((l) => l.payments).length).toBeGreaterThanOrEqual(10);
  });
});

describe('synthetic world: one person paid by two LAOs', () => {
  it('when a citizen ID is paid an allowance by a second LAO, then the event names that row and the first LAO\'s row of the same month', () => {
    const w = generateWorld({ seed: 20261122, laos: 12, months: 8 });
    const twice = w.labels.filter((l) => l.typology === 'welfare-two-laos');
    expect(twice.length).toBeGreaterThan(0);
    for (const l of twice) {
      expect(l.payments).toHaveLength(2);
      const [second, first] = l.payments.map((p) => p.file.split('-')) as [string[], string[]];
      expect(second[1]).toBe(l.laoCode);
      expect(first[1]).not.toBe(l.laoCode);
      expect(first.slice(2, 4)).toEqual(second.slice(2, 4)); // the same month
    }
  });

  it('when the files are handed over, then they come month by month across LAOs', () => {
    const months = generateWorld({ seed: 5, laos: 3, months: 3 }).files.map((f) => /^\w+-\d{7}-(\d{4}-\d{2})/.exec(f.name)![1]);
    expect(months).toEqual([...months].sort());
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
