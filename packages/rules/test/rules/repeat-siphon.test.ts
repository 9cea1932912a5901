import { describe, expect, it } from 'vitest';
import { baht, only, payment, run } from '../helpers/factory.ts';
import { payees } from '../helpers/reference.ts';

/** 20 vendors paid once or twice in March: the LAO's ordinary rhythm. */
const vendors = Array.from({ length: 20 }, (_, i) =>
  payment({ batchId: 'b_vendors', row: i + 1, payeeAccount: String(1_000_000_000 + (i % 14)), effectiveDate: `2025-03-${String(1 + i).padStart(2, '0')}`, amountSatang: baht(20_000 + i) }));
const toSiphon = (n: number, day: number, over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_s${n}`, payeeAccount: '7777777777', payeeName: 'นายเอ', effectiveDate: `2025-03-${String(day).padStart(2, '0')}`, amountSatang: baht(49_000 + n), ...over });

describe('repeat-siphon', () => {
  it('when one account receives a 6th one-off transfer within 30 days, far more than the other accounts, then a high payee alert lists them', () => {
    const engine = only('repeat-siphon');
    expect(run(engine, [...vendors, ...[1, 2, 3, 4, 5].map((n) => toSiphon(n, 20 + n))])).toEqual([]);
    const [alert] = engine.process(toSiphon(6, 27));
    expect(alert).toMatchObject({ ruleIds: ['repeat-siphon'], severity: 'high', subject: { kind: 'payee', key: '006:7777777777' } });
    expect(alert!.payments).toHaveLength(6);
    expect(alert!.evidence['repeat-siphon']).toMatchObject({ count: 6, minCount: 5, zThreshold: 4, windowDays: 30, otherAccounts: 14, from: '2025-02-26', to: '2025-03-27' });
    expect(alert!.reasons.th).toContain('6 ครั้ง');
  });

  it('when the transfers spread over more than 30 days, then at most 5 fall in any window and it is quiet', () => {
    const spread = [1, 2, 3, 4, 5, 6].map((n) => toSiphon(n, 1, { effectiveDate: ['2025-01-01', '2025-01-10', '2025-01-20', '2025-02-05', '2025-02-15', '2025-03-02'][n - 1]! }));
    expect(run(only('repeat-siphon'), [...vendors, ...spread])).toEqual([]);
  });

  it('when the repeated transfers are salaries or allowances, then it is quiet', () => {
    expect(run(only('repeat-siphon'), [...vendors, ...[1, 2, 3, 4, 5, 6, 7].map((n) => toSiphon(n, 20 + n, { serviceType: '59' }))])).toEqual([]);
  });

  it('when every account of the LAO is paid as often, then the count is not unusual and it is quiet', () => {
    const busy = Array.from({ length: 12 * 6 }, (_, i) => payment({ batchId: 'b_busy', row: i + 1, payeeAccount: String(3_000_000_000 + (i % 12)), effectiveDate: `2025-03-${String(1 + (i % 25)).padStart(2, '0')}` }));
    expect(run(only('repeat-siphon'), [...busy, ...[1, 2, 3, 4, 5, 6].map((n) => toSiphon(n, 20 + n))])).toEqual([]);
  });

  it('when the LAO has paid fewer than 10 other accounts, then there is no baseline and it is quiet', () => {
    expect(run(only('repeat-siphon'), [...vendors.slice(0, 9), ...[1, 2, 3, 4, 5, 6, 7].map((n) => toSiphon(n, 20 + n))])).toEqual([]);
  });

  it('when a report lists the same transfer twice, or a bulk line and its report line both arrive, then each transfer counts once', () => {
    const twice = [1, 2, 3].flatMap((n) => [toSiphon(n, 20 + n, { bankReference: `R${n}` }), toSiphon(n, 20 + n, { batchId: `b_dup${n}`, bankReference: `R${n}` })]);
    const bulk = [4, 5, 6].map((n) => toSiphon(n, 20 + n, { sourceFormat: 'ktb-bulk', status: 'instructed' }));
    expect(run(only('repeat-siphon'), [...vendors, ...twice, ...bulk])).toEqual([]);
  });

  it('when the account is a vendor (a firm by its name, or an active registered payee), then many transfers are ordinary and it is quiet', () => {
    const firm = [1, 2, 3, 4, 5, 6, 7].map((n) => toSiphon(n, 20 + n, { payeeName: 'หจก. ชัยมงคล ปิโตรเลียม' }));
    expect(run(only('repeat-siphon'), [...vendors, ...firm])).toEqual([]);
    const registered = only('repeat-siphon');
    registered.applyReference(payees([{ account: '7777777777', name: 'นายเอ' }]));
    expect(run(registered, [...vendors, ...[1, 2, 3, 4, 5, 6, 7].map((n) => toSiphon(n, 20 + n))])).toEqual([]);
    expect(run(only('repeat-siphon', { skipVendors: false }), [...vendors, ...firm]).length).toBeGreaterThan(0);
  });
});
