import { addDays } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { createEngine, RULES_ERROR_CODES } from '../../src/index.ts';
import { baht, LAO, only, OTHER_LAO, payment, run } from '../helpers/factory.ts';
import { payees, staff, vouchers } from '../helpers/reference.ts';

describe('engine.applyReference', () => {
  it('when a higher version arrives, then it replaces the list; the same or a lower version changes nothing', () => {
    const engine = only('payee-not-registered');
    expect(engine.applyReference(payees([{ account: '1111111111' }], 2))).toBe(true);
    expect(engine.applyReference(payees([{ account: '9876543210' }], 1))).toBe(false);
    expect(engine.applyReference(payees([{ account: '9876543210' }], 2))).toBe(false);
    expect(engine.process(payment())).toHaveLength(1);
    expect(engine.applyReference(payees([{ account: '9876543210' }], 3))).toBe(true);
    expect(engine.process(payment({ batchId: 'b2' }))).toEqual([]);
  });

  it('when reference data was applied, then snapshot and restore keep it, byte for byte', () => {
    const engine = createEngine();
    engine.applyReference(payees([{}], 4));
    engine.applyReference(staff([{}], 2, OTHER_LAO));
    engine.process(payment());
    const snap = JSON.stringify(engine.snapshot());
    const restored = createEngine();
    restored.restore(JSON.parse(snap));
    expect(JSON.stringify(restored.snapshot())).toBe(snap);
    expect(restored.applyReference(payees([{}], 4))).toBe(false);
    expect(restored.coverage()['staff-account']!.lacking).toEqual([LAO]);
  });

  it('when a snapshot carries a malformed reference list, then restore refuses it', () => {
    const engine = createEngine();
    const snap = { ...engine.snapshot(), reference: [{ kind: 'payees', laoCode: LAO, version: 0 }] };
    expect(() => engine.restore(snap)).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.snapshotInvalid }));
  });

  it('when some LAOs lack a kind, then coverage names them per rule that needs it', () => {
    const engine = createEngine();
    engine.applyReference(vouchers([{}], 1, OTHER_LAO));
    engine.process(payment());
    expect(engine.coverage()).toEqual({
      'payee-not-registered': { needs: 'payees', lacking: [LAO, OTHER_LAO] },
      'register-changed-before-payment': { needs: 'payees', lacking: [LAO, OTHER_LAO] },
      'staff-account': { needs: 'staff', lacking: [LAO, OTHER_LAO] },
      'no-voucher': { needs: 'vouchers', lacking: [LAO] },
      // The voucher half of batch-padded needs the list; welfare-anomaly@2 works from the payment alone.
      'batch-padded': { needs: 'vouchers', lacking: [LAO] },
    });
    expect(Object.keys(createEngine({ rules: { 'no-voucher': { enabled: false } } }).coverage())).not.toContain('no-voucher');
  });
});

describe('payee-not-registered', () => {
  it('when the account is not in the register, then a high alert says so', () => {
    const engine = only('payee-not-registered');
    engine.applyReference(payees([{ account: '1111111111' }]));
    const [alert] = engine.process(payment());
    expect(alert).toMatchObject({ ruleIds: ['payee-not-registered'], severity: 'high' });
    expect(alert!.evidence['payee-not-registered']).toMatchObject({ problem: 'not-registered', registerVersion: 1 });
  });

  it('when the account is registered to another name, inactive, or another ID, then the problem is named', () => {
    const problem = (entry: Parameters<typeof payees>[0][number], over: Parameters<typeof payment>[0] = {}) => {
      const e = only('payee-not-registered');
      e.applyReference(payees([entry]));
      return (e.process(payment(over))[0]?.evidence['payee-not-registered'] as { problem: string } | undefined)?.problem;
    };
    expect(problem({ name: 'นายสมชาย ใจดี' })).toBe('other-name');
    expect(problem({ status: 'inactive' })).toBe('inactive');
    expect(problem({ payeeId: '1101700203451' }, { payeeId: '3100100123456' })).toBe('other-id');
  });

  it('when the account is registered under the same name written differently, then it is quiet', () => {
    const engine = only('payee-not-registered');
    engine.applyReference(payees([{ name: 'ห้างหุ้นส่วนจำกัด รุ่งเรือง การช่าง', account: '009876543210' }]));
    expect(engine.process(payment())).toEqual([]);
  });

  it('when the LAO has no register, then it is silent', () => {
    const engine = only('payee-not-registered');
    engine.applyReference(payees([{ account: '1111111111' }], 1, OTHER_LAO));
    expect(engine.process(payment())).toEqual([]);
  });
});

describe('staff-account', () => {
  it('when goods are paid into a staff member\'s account, then a high alert names the member', () => {
    const engine = only('staff-account');
    engine.applyReference(staff([{ account: '9876543210' }]));
    const [alert] = engine.process(payment());
    expect(alert).toMatchObject({ ruleIds: ['staff-account'], severity: 'high' });
    expect(alert!.evidence['staff-account']).toMatchObject({ matchedBy: 'account', staffName: 'นางสาวปลัด ใจดี' });
    expect(alert!.reasons.th).toContain('ปลัด');
  });

  it('when the payee ID or a unique name matches, then it fires (name only: medium); a name shared by two staff is not a match', () => {
    const byId = only('staff-account');
    byId.applyReference(staff([{ citizenId: '3100100123456' }]));
    expect(byId.process(payment({ payeeId: '3100100123456' }))[0]!.evidence['staff-account']).toMatchObject({ matchedBy: 'citizen-id' });
    const byName = only('staff-account');
    byName.applyReference(staff([{ name: 'นายสมชาย ใจดี' }]));
    expect(byName.process(payment({ payeeName: 'สมชาย  ใจดี' }))[0]).toMatchObject({ severity: 'medium' });
    const namesake = only('staff-account');
    namesake.applyReference(staff([{ name: 'นายสมชาย ใจดี' }, { name: 'นายสมชาย ใจดี', account: '3434343434' }]));
    expect(namesake.process(payment({ payeeName: 'นายสมชาย ใจดี' }))).toEqual([]);
  });

  it('when the payment to the staff account is a salary, or the LAO has no staff list, then it is quiet', () => {
    const engine = only('staff-account');
    engine.applyReference(staff([{ account: '9876543210' }]));
    expect(engine.process(payment({ serviceType: '01' }))).toEqual([]);
    expect(only('staff-account').process(payment())).toEqual([]);
  });
});

describe('no-voucher', () => {
  it('when no approved voucher has the amount, payee and date, then a high alert says so', () => {
    const engine = only('no-voucher');
    engine.applyReference(vouchers([{ amountSatang: baht(39_000) }]));
    const [alert] = engine.process(payment());
    expect(alert).toMatchObject({ ruleIds: ['no-voucher'], severity: 'high' });
    expect(alert!.evidence['no-voucher']).toMatchObject({ toleranceDays: 3, vouchersWithSameAmount: 0 });
  });

  it('when a voucher matches within ± 3 days (by account, or by name when it has no account), then it is quiet; 4 days is not', () => {
    const at = (voucherDate: string, over = {}) => { const e = only('no-voucher'); e.applyReference(vouchers([{ voucherDate, ...over }])); return e.process(payment()).length; };
    expect([at('2025-02-28'), at('2025-03-06'), at('2025-03-03', { payeeBankCode: null, payeeAccount: null, payeeName: 'รุ่งเรืองการช่าง' })]).toEqual([0, 0, 0]);
    expect([at('2025-02-27'), at('2025-03-07'), at('2025-03-03', { payeeAccount: '1111111111' })]).toEqual([1, 1, 1]);
  });

  it('when the payment quotes a voucher number, then the matching voucher must carry it', () => {
    const engine = only('no-voucher');
    engine.applyReference(vouchers([{ voucherNo: '1/2568' }]));
    expect(engine.process(payment({ voucherNo: ' 1/2568 ' }))).toEqual([]);
    expect(engine.process(payment({ batchId: 'b2', voucherNo: '2/2568' }))).toHaveLength(1);
  });

  it('when the line belongs to a payroll, utility or allowance batch, or the LAO has no voucher list, then it is quiet', () => {
    const engine = only('no-voucher');
    engine.applyReference(vouchers([{ amountSatang: 1 }]));
    expect(engine.process(payment({ serviceType: '01' }))).toEqual([]);
    expect(engine.process(payment({ batchId: 'b_pea', serviceType: '11' }))).toEqual([]);
    expect(engine.process(payment({ batchId: 'b_welfare', serviceType: '59', payeeName: 'นายแก่ ใจดี', remark: 'เบี้ยยังชีพผู้สูงอายุ', amountSatang: baht(700) }))).toEqual([]);
    expect(only('no-voucher').process(payment())).toEqual([]);
  });

  it('when an "other" payment (59) is no allowance (a firm, a large sum), then it is a one-off line and needs its voucher', () => {
    const engine = only('no-voucher');
    engine.applyReference(vouchers([{ amountSatang: 1 }]));
    expect(engine.process(payment({ serviceType: '59' }))).toHaveLength(1);
  });
});

describe('reference rules with no and with short history', () => {
  it('when it is the LAO\'s very first payment (no history) or one of its first few, then each is judged against the lists alone', () => {
    const engine = createEngine({ rules: { 'duplicate-payment': { enabled: false }, 'split-payment': { enabled: false } } });
    engine.applyReference(payees([{ account: '1111111111' }]));
    engine.applyReference(staff([{ account: '9876543210' }]));
    engine.applyReference(vouchers([{ amountSatang: baht(39_000) }]));
    const rulesOf = (alerts: { ruleIds: string[] }[]) => alerts.flatMap((a) => a.ruleIds).sort();
    expect(rulesOf(engine.process(payment()))).toEqual(['no-voucher', 'payee-not-registered', 'staff-account']);
    expect(rulesOf(engine.process(payment({ batchId: 'b2', effectiveDate: '2025-03-04' })))).toEqual(['no-voucher', 'payee-not-registered', 'staff-account']);
  });
});

describe('registered payees in other rules', () => {
  it('when an account is registered, then its first large payment is still new-payee-large: long ago, medium; days before, high', () => {
    // Half a year of one-off payments, so that "never paid" means something.
    const history = Array.from({ length: 60 }, (_, i) => payment({ batchId: 'b_h', row: i + 1, payeeAccount: String(1_000_000_000 + i), amountSatang: baht(10_000 + i * 10), effectiveDate: addDays('2025-03-03', -(200 - 3 * i)) }));
    const big = payment({ batchId: 'b_big', payeeAccount: '5555555555', amountSatang: baht(900_000) });
    const config = { minHistoryDays: 180, minHistoryDaysForAny: 45, recentDays: 90 };
    const verdict = (registeredOn: string) => {
      const engine = only('new-payee-large', config);
      engine.applyReference(payees([{ account: '5555555555', registeredOn }]));
      run(engine, history);
      const [alert] = engine.process(big);
      return [alert?.severity, (alert?.evidence['new-payee-large'] as { registration?: string } | undefined)?.registration];
    };
    expect(verdict('2019-06-01')).toEqual(['medium', 'long-ago']);
    expect(verdict('2025-02-01')).toEqual(['high', 'recent']);
  });

  it('when two spellings are both registered for the account, then account-many-names treats them as one name', () => {
    const engine = only('account-many-names');
    engine.applyReference(payees([{ name: 'บจก. สยามวัสดุ' }, { name: 'บริษัท สยาม วัสดุภัณฑ์ จำกัด' }]));
    expect(run(engine, [payment({ payeeName: 'บจก. สยามวัสดุ' }), payment({ batchId: 'b2', payeeName: 'บริษัท สยาม วัสดุภัณฑ์ จำกัด' })])).toEqual([]);
    expect(engine.process(payment({ batchId: 'b3', payeeName: 'นายอื่น' }))).toHaveLength(1);
  });
});
