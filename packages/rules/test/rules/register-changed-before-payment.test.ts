import { addDays, diffReferenceItems, nextRegisterHistory, type Disbursement, type ReferenceSnapshot, type RegisteredPayee } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { createEngine, RuleSetConfig, type RuleSetConfigInput } from '../../src/index.ts';
import { baht, evidenceOf, LAO, only, payment, run } from '../helpers/factory.ts';

/** The thresholds these tests are written against (the documented defaults, spelled out). */
const CFG = { windowDays: 90, urgentDays: 14, minAmountQuantile: 0.5, largeQuantile: 0.95, minObservations: 50 };
const engine = (over: Record<string, unknown> = {}) => only('register-changed-before-payment', { ...CFG, ...over });

const PAID_ON = '2025-06-20';
const SHELL = { account: '5555555555', name: 'หจก. เงาทอง', payeeId: '0105555555551' };
const VENDOR = { account: '1000000001', name: 'บจก. ก่อสร้างดี', payeeId: '0105555555552' };
const row = (r: Partial<RegisteredPayee>): RegisteredPayee => ({ bankCode: '006', account: '9876543210', name: 'หจก. รุ่งเรืองการช่าง', payeeId: null, registeredOn: null, status: 'active', ...r });
type Register = Extract<ReferenceSnapshot, { kind: 'payees' }>;
const register = (version: number, effectiveFrom: string, items: Partial<RegisteredPayee>[]): Register => ({ kind: 'payees', laoCode: LAO, version, sha256: `sha-${version}`, effectiveFrom, items: items.map(row) });

/** 60 one-off payments of 10,000–15,900 baht to 20 long-known vendors over the 200 days before the payment. */
function history(n = 60): Disbursement[] {
  return Array.from({ length: n }, (_, i) => payment({ batchId: 'b_hist', row: i + 1, payeeAccount: String(2_000_000_000 + (i % 20)), amountSatang: baht(10_000 + i * 100), effectiveDate: addDays(PAID_ON, -200 + Math.round(i * 3)) }));
}
const paid = (over: Partial<Disbursement> = {}) => payment({ batchId: 'b_pay', payeeAccount: SHELL.account, payeeName: SHELL.name, amountSatang: baht(40_000), effectiveDate: PAID_ON, ...over });
const findingOf = (alerts: ReturnType<ReturnType<typeof engine>['process']>) => alerts.find((a) => a.ruleIds.includes('register-changed-before-payment'));

describe('register-changed-before-payment', () => {
  it('when a vendor is added to the register 10 days before its first payment, then it fires with the register version, the change date, the days before and the masked account', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR]));
    run(e, history());
    e.applyReference(register(2, addDays(PAID_ON, -10), [VENDOR, SHELL]));
    const alert = findingOf(e.process(paid()));
    expect(alert).toBeDefined();
    expect(evidenceOf(alert, 'register-changed-before-payment')).toMatchObject({
      change: 'added', changedOn: addDays(PAID_ON, -10), daysBeforePayment: 10, registerVersion: 2, changeSource: 'register-history', accountMasked: '******5555', baseline: 'lao',
    });
    // 40,000 baht is above the LAO's p95 of 10,000–15,900: medium, one step for the 10 days (≤ 14), one for the amount.
    expect(alert!.severity).toBe('critical');
    expect(alert!.reasons.th).toContain('ทะเบียนฉบับที่ 2');
    expect(JSON.stringify(alert!.evidence)).not.toContain(SHELL.account);
  });

  it('when a payee\'s account is changed in the register 30 days before a payment, then it fires as an account change (high), at an amount below the LAO\'s usual too', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR, { ...SHELL, account: '4444444444' }]));
    run(e, history());
    e.applyReference(register(2, addDays(PAID_ON, -30), [VENDOR, SHELL]));
    const alert = findingOf(e.process(paid({ amountSatang: baht(5_000) })));
    expect(alert?.severity).toBe('high');
    expect(evidenceOf(alert, 'register-changed-before-payment')).toMatchObject({ change: 'account-changed', daysBeforePayment: 30, registerVersion: 2, accountMasked: '******5555' });
  });

  it('when a payee was registered 200 days before the payment, then it is quiet (by the register\'s history and by its own date)', () => {
    const byHistory = engine();
    byHistory.applyReference(register(1, '2024-01-02', [VENDOR]));
    byHistory.applyReference(register(2, addDays(PAID_ON, -200), [VENDOR, SHELL]));
    run(byHistory, history());
    expect(findingOf(byHistory.process(paid()))).toBeUndefined();
    const byDate = engine();
    byDate.applyReference(register(1, '2025-01-02', [VENDOR, { ...SHELL, registeredOn: addDays(PAID_ON, -200) }]));
    run(byDate, history());
    expect(findingOf(byDate.process(paid()))).toBeUndefined();
  });

  it('when only a payee\'s name changed in the register (same account), then it is quiet: the money goes where it went', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR, { ...SHELL, name: 'หจก.เงาทอง (เดิม)' }]));
    run(e, history());
    e.applyReference(register(2, addDays(PAID_ON, -10), [VENDOR, SHELL]));
    expect(findingOf(e.process(paid()))).toBeUndefined();
  });

  it('when the first register dates a row 20 days before the payment, then its own date decides (source registered-on)', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR, { ...SHELL, registeredOn: addDays(PAID_ON, -20) }]));
    run(e, history());
    const alert = findingOf(e.process(paid()));
    expect(evidenceOf(alert, 'register-changed-before-payment')).toMatchObject({ change: 'added', changeSource: 'registered-on', daysBeforePayment: 20, registerVersion: 1 });
    expect(alert!.severity).toBe('high');
  });

  it('when the first register dates a row 20 days before a first payment of the LAO\'s usual size, then it is quiet: only a large one counts on the clerk\'s own date', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR, { ...SHELL, registeredOn: addDays(PAID_ON, -20) }]));
    run(e, history());
    // 14,000 baht: above the LAO's median (about 13,000) but not above its p95 (about 15,600).
    expect(findingOf(e.process(paid({ amountSatang: baht(14_000) })))).toBeUndefined();
    // The same amount after a version paywatch saw add the row: the change itself is the evidence.
    const seen = engine();
    seen.applyReference(register(1, '2025-01-02', [VENDOR]));
    run(seen, history());
    seen.applyReference(register(2, addDays(PAID_ON, -20), [VENDOR, SHELL]));
    expect(findingOf(seen.process(paid({ amountSatang: baht(14_000) })))).toBeDefined();
  });

  it('when an added payee is paid a small first order (below the LAO\'s median one-off), or a second time, then it is quiet', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR]));
    run(e, history());
    e.applyReference(register(2, addDays(PAID_ON, -10), [VENDOR, SHELL]));
    expect(findingOf(e.process(paid({ amountSatang: baht(3_000) })))).toBeUndefined();
    // The small order made the account known: a later large payment is the amount rules' question, not this one's.
    expect(findingOf(e.process(paid({ row: 2, amountSatang: baht(40_000) })))).toBeUndefined();
  });

  it('when the change comes after the payment date, or the register changed for another account, then it is quiet', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR]));
    run(e, history());
    e.applyReference(register(2, addDays(PAID_ON, 3), [VENDOR, SHELL]));
    expect(findingOf(e.process(paid()))).toBeUndefined();
    expect(findingOf(e.process(paid({ row: 3, payeeAccount: '7777777777', payeeName: 'ร้านอื่น' })))).toBeUndefined();
  });

  it('when the register history arrives with the version (from ingest), then it decides even though the engine never held the earlier version', () => {
    const v1 = register(1, '2025-01-02', [VENDOR]);
    const v2 = register(2, addDays(PAID_ON, -10), [VENDOR, SHELL]);
    const v3 = register(3, addDays(PAID_ON, -5), [VENDOR, SHELL, { account: '3333333333', name: 'ร้านใหม่' }]);
    const h2 = nextRegisterHistory(v1, v2, 400);
    const e = engine();
    run(e, history());
    e.applyReference({ ...v3, changes: nextRegisterHistory({ ...v2, changes: h2 }, v3, 400) });
    expect(evidenceOf(findingOf(e.process(paid())), 'register-changed-before-payment')).toMatchObject({ registerVersion: 2, daysBeforePayment: 10, registerVersionInForce: 3 });
  });

  it('when the engine is snapshotted and restored, then the register history comes back, and it costs few bytes per changed payee', () => {
    const items = Array.from({ length: 179 }, (_, i) => ({ account: String(3_000_000_000 + i), name: `ร้านที่ ${i}`, payeeId: null }));
    const e = engine();
    e.applyReference(register(1, '2025-01-02', items.slice(0, 79)));
    const before = JSON.stringify(e.snapshot()).length;
    e.applyReference(register(2, addDays(PAID_ON, -10), items));
    const grown = JSON.stringify(e.snapshot()).length - before;
    // 100 added rows: their register rows (~95 bytes each) plus the history (`["006:30000000xx","added","2025-06-10",2]`).
    const historyBytes = grown - (JSON.stringify(register(2, '', items).items).length - JSON.stringify(register(1, '', items.slice(0, 79)).items).length);
    expect(historyBytes / 100).toBeLessThanOrEqual(48);
    const restored = engine();
    restored.restore(JSON.parse(JSON.stringify(e.snapshot())));
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(e.snapshot()));
    run(restored, history());
    expect(findingOf(restored.process(paid({ payeeAccount: '3000000150', payeeName: 'ร้านที่ 150' })))).toBeDefined();
  });

  it('when an engine snapshot written before the register history existed is restored, then it restores with no history and stays quiet', () => {
    const e = engine();
    e.applyReference(register(1, '2025-01-02', [VENDOR]));
    e.applyReference(register(2, addDays(PAID_ON, -10), [VENDOR, SHELL]));
    const old = JSON.parse(JSON.stringify(e.snapshot())) as { reference: Record<string, unknown>[] };
    for (const r of old.reference) delete r.changes;
    const restored = engine();
    restored.restore(old);
    run(restored, history());
    expect(findingOf(restored.process(paid()))).toBeUndefined();
  });

  it('when the default rule set is parsed, then the rule is on with its documented thresholds and the rule set is 2026.12.3', () => {
    const c = RuleSetConfig.parse({});
    expect(c.version).toBe('2026.12.3');
    expect(c.rules['register-changed-before-payment']).toEqual({ enabled: true, ...CFG });
    const all = createEngine({} as RuleSetConfigInput);
    expect(all.coverage()['register-changed-before-payment']).toEqual({ needs: 'payees', lacking: [] });
  });
});

describe('diffReferenceItems', () => {
  it('when a register of 179 is replaced by 2 of its rows and one moved account, then it counts 177 removed, 1 account change and the dropped share, accounts masked', () => {
    const before = Array.from({ length: 179 }, (_, i) => row({ account: String(3_000_000_000 + i), name: `ร้านที่ ${i}`, payeeId: null }));
    const after = [before[0]!, { ...before[1]!, account: '8888888888' }];
    const d = diffReferenceItems('payees', before, after);
    expect(d).toMatchObject({ before: 179, after: 2, added: 0, removed: 177, accountChanged: 1, unchanged: 1 });
    expect(d.droppedShare).toBeCloseTo(177 / 179);
    expect(d.rows.accountChanged[0]).toMatchObject({ accountMasked: '******8888', previousAccountMasked: '******0001' });
    expect(JSON.stringify(d)).not.toMatch(/300000\d{4}|8888888888/);
  });
});
