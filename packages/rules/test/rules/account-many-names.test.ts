import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.ts';
import { OTHER_LAO, only, payment, run } from '../helpers/factory.ts';
import { payees } from '../helpers/reference.ts';

const paid = (n: number, payeeName: string, over: Parameters<typeof payment>[0] = {}) =>
  payment({ batchId: `b_${n}`, row: 1, payeeName, effectiveDate: `2025-03-${String(n).padStart(2, '0')}`, ...over });

describe('account-many-names', () => {
  it('when the register lists two spellings of one payee on the account, then they are one name; two unlike suppliers\' names on it are still two', () => {
    const withRegister = (names: string[]) => { const e = only('account-many-names'); e.applyReference(payees(names.map((name) => ({ name, payeeId: '0105561000011' })))); return e; };
    expect(run(withRegister(['ร้านศรีสุขการช่าง', 'ร้านศรีสุขการชาง']), [paid(1, 'ร้านศรีสุขการช่าง'), paid(2, 'ร้านศรีสุขการชาง')])).toEqual([]);
    // A register row putting a second supplier on the account is the swap itself, not a variant of the first.
    const alerts = run(withRegister(['ร้านนำชัยค้าไม้', 'ร้านปากพนังวัสดุภัณฑ์']), [paid(1, 'ร้านนำชัยค้าไม้'), paid(2, 'ร้านปากพนังวัสดุภัณฑ์')]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.evidence['account-many-names']).toMatchObject({ nameCount: 2 });
  });

  it('when one account is paid under a second, different name, then a medium payee alert lists both names', () => {
    const engine = only('account-many-names');
    expect(run(engine, [paid(1, 'หจก. รุ่งเรืองการช่าง')])).toEqual([]);
    const [alert] = engine.process(paid(2, 'นายสมชาย ใจดี'));
    expect(alert).toMatchObject({ ruleIds: ['account-many-names'], severity: 'medium', subject: { kind: 'payee', key: '006:9876543210' } });
    expect(alert!.evidence['account-many-names']).toMatchObject({ nameCount: 2, minNames: 2, names: [{ name: 'หจก. รุ่งเรืองการช่าง', firstRecordId: 'b_1:1' }, { name: 'นายสมชาย ใจดี', firstRecordId: 'b_2:1' }] });
    expect(alert!.reasons.th).toContain('นายสมชาย ใจดี');
  });

  it('when a third name appears, then the same alert is updated with three names; a name seen before says nothing new', () => {
    const engine = only('account-many-names');
    const [first] = run(engine, [paid(1, 'บจก. เอ'), paid(2, 'บจก. บี')]);
    expect(engine.process(paid(3, 'บริษัท เอ จำกัด'))).toEqual([]);
    const [third] = engine.process(paid(4, 'นางสาวซี'));
    expect(third!.alertId).toBe(first!.alertId);
    expect(third!.evidence['account-many-names']).toMatchObject({ nameCount: 3 });
  });

  it('when the names differ only by title, legal form, spacing, zero-width characters or digits, then it is quiet', () => {
    const engine = only('account-many-names');
    expect(run(engine, [
      paid(1, 'หจก. รุ่งเรืองการช่าง'), paid(2, 'ห้างหุ้นส่วนจำกัด รุ่งเรือง\u200Bการช่าง'), paid(3, 'รุ่งเรือง การช่าง'),
      paid(4, 'นาย สมชาย ใจดี', { payeeAccount: '1111111111' }), paid(5, 'สมชาย  ใจดี', { payeeAccount: '1111111111' }),
      paid(6, 'ร้าน ๙๙ การค้า', { payeeAccount: '2222222222' }), paid(7, 'ร้าน 99 การค้า', { payeeAccount: '2222222222' }),
    ])).toEqual([]);
  });

  it('when two LAOs pay one account under different names, then neither alerts (this version compares within one LAO)', () => {
    expect(run(only('account-many-names'), [paid(1, 'เอ'), paid(2, 'บี', { laoCode: OTHER_LAO })])).toEqual([]);
  });

  it('when the earlier payment under another name failed, then it does not count as a name the account was paid under', () => {
    expect(run(only('account-many-names'), [paid(1, 'เอ', { status: 'failed' }), paid(2, 'บี')])).toEqual([]);
  });

  it('when more names than the state keeps arrive, then each still fires and the list is bounded', () => {
    const engine = createEngine({ state: { maxNamesPerAccount: 2 } });
    run(engine, [paid(1, 'เอ'), paid(2, 'บี')]);
    expect(engine.process(paid(3, 'ซี')).some((a) => a.ruleIds.includes('account-many-names'))).toBe(true);
    expect(engine.snapshot().laos[0]!.payees[0]![1]).toHaveLength(2);
  });

  it('when the account has no history with the LAO, then its first name is no second name; with a short history of one payment, a second name already fires', () => {
    const engine = only('account-many-names');
    expect(engine.process(paid(1, 'นายก ใจดี'))).toEqual([]);
    expect(engine.process(paid(2, 'นายข ใจร้าย')).map((a) => a.ruleIds)).toEqual([['account-many-names']]);
  });
});
