import { maskCitizenId } from '@paywatch/domain';
import { describe, expect, it } from 'vitest';
import { invalidId, validId } from '../helpers/citizen-id.ts';
import { baht, evidenceOf, only, payment, run } from '../helpers/factory.ts';
import { beneficiaries } from '../helpers/reference.ts';

/** The thresholds these tests are written against (domain.md's scales, spelled out so that tuning a default does not move them). */
const CFG = { elderlyTiersSatang: [60_000, 70_000, 80_000, 100_000], allowanceScalesSatang: [50_000, 60_000, 70_000, 80_000, 100_000], maxMonths: 12, maxBeneficiariesPerAccount: 2 };
/** Allowances are told by `state` (59 to a person, no remark, up to 3,000 baht); spelled out too. */
const STATE = { allowanceServiceTypes: ['59'], maxAllowanceSatang: 300_000 };
const engine = (over: Record<string, unknown> = {}) => only('welfare-anomaly', { ...CFG, ...over }, STATE);

type Over = Parameters<typeof payment>[0];
let row = 0;
/** An "other" (59) payment of `amountBaht` to the listed person's account, with no remark and no ID. */
const allowance = (amountBaht: number, over: Over = {}) =>
  payment({ batchId: 'b_welfare', row: ++row, payeeAccount: '6666666666', payeeName: 'นายแก่ ใจดี', serviceType: '59', amountSatang: baht(amountBaht), ...over });
/** The default beneficiary of `beneficiaries()`: นายแก่ ใจดี, elderly, account 006-6666666666. */
const LISTED_ID = '1101700203450';
const listed = (items: Parameters<typeof beneficiaries>[0] = [{}], over: Record<string, unknown> = {}) => { const e = engine(over); e.applyReference(beneficiaries(items)); return e; };
const problemsOf = (alerts: ReturnType<ReturnType<typeof engine>['process']>) => (alerts[0] ? evidenceOf(alerts[0], 'welfare-anomaly')['problems'] : []);

describe('welfare-anomaly with the LAO\'s beneficiary list', () => {
  it('when a listed elderly person\'s allowance is not a tier times months, then a medium alert gives the elderly tiers and how the payment was matched', () => {
    const [alert] = listed().process(allowance(650));
    expect(alert).toMatchObject({ ruleIds: ['welfare-anomaly'], severity: 'medium' });
    expect(evidenceOf(alert, 'welfare-anomaly')).toMatchObject({
      problems: ['amount-not-a-tier'], baseline: 'beneficiary-list-by-account', scaleSatang: CFG.elderlyTiersSatang, tierMonths: [], maxMonths: 12, beneficiaryListVersion: 1,
      beneficiaries: [{ name: 'นายแก่ ใจดี', allowanceType: 'elderly', citizenIdMasked: maskCitizenId(LISTED_ID), citizenIdValid: true }],
    });
    expect(alert!.reasons.en).toContain('not an elderly-allowance tier');
  });

  it('when the amount is a tier times a whole number of months (back pay included), then it is quiet', () => {
    expect(run(listed(), [allowance(600), allowance(1_800), allowance(1_000), allowance(700), allowance(12_000)])).toEqual([]);
    // More months than maxMonths at once is no back pay.
    expect(problemsOf(listed().process(allowance(600 * 13)))).toEqual(['amount-not-a-tier']);
    expect(listed([{}], { maxMonths: 13 }).process(allowance(600 * 13))).toEqual([]);
  });

  it('when the payment names the person by citizen ID, or only by name on another account, then the list row is found that way', () => {
    const byId = listed().process(allowance(650, { payeeAccount: '1231231231', payeeName: 'นาย แก่ ใจดี (โอนแทน)', payeeId: LISTED_ID }));
    expect(evidenceOf(byId[0], 'welfare-anomaly')).toMatchObject({ baseline: 'beneficiary-list-by-citizen-id' });
    const byName = listed().process(allowance(650, { payeeAccount: '1231231231' }));
    expect(evidenceOf(byName[0], 'welfare-anomaly')).toMatchObject({ baseline: 'beneficiary-list-by-name', beneficiaries: [{ name: 'นายแก่ ใจดี' }] });
  });

  it('when the list has two beneficiaries on one account, then a high alert says the account is shared per the list', () => {
    const [alert] = listed([{}, { citizenId: '3100100123451', name: 'นางแก่ สอง' }]).process(allowance(600));
    expect(alert).toMatchObject({ severity: 'high' });
    expect(evidenceOf(alert, 'welfare-anomaly')).toMatchObject({ problems: ['shared-account'], beneficiariesOnAccount: 2, maxBeneficiariesPerAccount: 2 });
    expect(alert!.reasons.en).toContain('2 beneficiaries in the list');
    expect(listed([{}, { citizenId: '3100100123451', name: 'นางแก่ สอง' }], { maxBeneficiariesPerAccount: 3 }).process(allowance(600))).toEqual([]);
  });

  it('when the list keeps a beneficiary whose citizen ID fails its check digit (kept and flagged), then a payment to that person is a high invalid-citizen-id alert', () => {
    const invented = invalidId('110170020345');
    const [alert] = listed([{ citizenId: invented }]).process(allowance(600));
    expect(alert).toMatchObject({ severity: 'high' });
    expect(evidenceOf(alert, 'welfare-anomaly')).toMatchObject({ problems: ['invalid-citizen-id'], baseline: 'beneficiary-list-by-account', beneficiaries: [{ citizenIdValid: false, citizenIdMasked: maskCitizenId(invented) }] });
    expect(alert!.reasons.en).toContain('in the beneficiary list fails its check digit');
    // PII: the ID is masked.
    expect(JSON.stringify([alert!.reasons, alert!.evidence])).not.toContain(invented);
    // The same bad ID written in the payment finds the same row, by ID.
    const [byId] = listed([{ citizenId: invented }]).process(allowance(600, { payeeAccount: '1231231231', receiverId: invented }));
    expect(evidenceOf(byId, 'welfare-anomaly')).toMatchObject({ problems: ['invalid-citizen-id'], baseline: 'beneficiary-list-by-citizen-id' });
  });

  it('when the list calls the allowance "other", then its scale is unknown here and the amount is not judged; a disability allowance is judged by every scale', () => {
    expect(listed([{ allowanceType: 'other' }]).process(allowance(650))).toEqual([]);
    expect(listed([{ allowanceType: 'disability' }]).process(allowance(1_000))).toEqual([]);
    expect(problemsOf(listed([{ allowanceType: 'disability' }]).process(allowance(650)))).toEqual(['amount-not-a-tier']);
  });

  it('when the payee is not a beneficiary and the payment is no allowance, then it is quiet', () => {
    expect(listed().process(payment({ amountSatang: baht(650) }))).toEqual([]);
  });
});

describe('welfare-anomaly with no list and no history (the payment alone)', () => {
  it('when an LAO with no list and no history pays a person 650 baht as "other" (59) with no remark, then it is an allowance of unknown kind, off every scale', () => {
    const [alert] = engine().process(allowance(650));
    expect(alert).toMatchObject({ severity: 'medium' });
    expect(evidenceOf(alert, 'welfare-anomaly')).toMatchObject({ problems: ['amount-not-a-tier'], baseline: 'payment-service-type', scaleSatang: CFG.allowanceScalesSatang, beneficiaries: [], beneficiaryListVersion: null });
    expect(alert!.reasons.en).toContain('not an allowance rate');
    expect(engine().process(allowance(600))).toEqual([]);
    // 500 baht is the AIDS patients' rate: a scale of some allowance.
    expect(engine().process(allowance(500))).toEqual([]);
  });

  it('when the remark says elderly allowance, then the elderly tiers apply, also to a payment as service type 01', () => {
    const [alert] = engine().process(allowance(500, { remark: 'เบี้ยยังชีพผู้สูงอายุ ม.ค. 69' }));
    expect(evidenceOf(alert, 'welfare-anomaly')).toMatchObject({ problems: ['amount-not-a-tier'], baseline: 'payment-remark', scaleSatang: CFG.elderlyTiersSatang });
    expect(problemsOf(engine().process(allowance(500, { serviceType: '01', remark: 'ผส.01/69' })))).toEqual(['amount-not-a-tier']);
  });

  it('when a 59 payment is above an allowance\'s size, or to a firm, or a remark speaks of welfare on a goods payment, then it is no allowance and it is quiet', () => {
    expect(engine().process(allowance(3_001))).toEqual([]);
    expect(engine().process(allowance(650, { payeeName: 'หจก. รุ่งเรืองการช่าง' }))).toEqual([]);
    expect(engine().process(allowance(650, { serviceType: '04', remark: 'เบี้ยยังชีพ' }))).toEqual([]);
    // The size limit is the state's, not a constant.
    expect(only('welfare-anomaly', CFG, { ...STATE, maxAllowanceSatang: 400_000 }).process(allowance(3_250))).toHaveLength(1);
  });

  it('when the payment\'s receiver ID fails its check digit, then a high alert says the ID in the payment is invalid', () => {
    const invented = invalidId('310170020345');
    const [alert] = engine().process(allowance(600, { receiverId: invented }));
    expect(alert).toMatchObject({ severity: 'high' });
    expect(evidenceOf(alert, 'welfare-anomaly')).toMatchObject({ problems: ['invalid-citizen-id'], baseline: 'payment-service-type' });
    expect(alert!.reasons.en).toContain('in the payment fails its check digit');
    expect(engine().process(allowance(600, { receiverId: validId('310170020345') }))).toEqual([]);
  });

  it('when, in a short history of one month, one account is paid allowances for two people, then the second payment is a shared account', () => {
    const e = engine();
    expect(e.process(allowance(600, { effectiveDate: '2025-03-03' }))).toEqual([]);
    const [alert] = e.process(allowance(700, { effectiveDate: '2025-03-04', payeeName: 'นางเฒ่า สุขใจ' }));
    expect(evidenceOf(alert, 'welfare-anomaly')).toMatchObject({ problems: ['shared-account'], beneficiariesOnAccount: 2 });
    expect(alert!.reasons.en).toContain('2 beneficiaries in one month');
  });

  it('when the two people are paid into the account in different months, or one person twice, then it is quiet', () => {
    const months = engine();
    expect(run(months, [allowance(600, { effectiveDate: '2025-03-03' }), allowance(700, { effectiveDate: '2025-04-03', payeeName: 'นางเฒ่า สุขใจ' })])).toEqual([]);
    const twice = engine();
    expect(run(twice, [allowance(600, { effectiveDate: '2025-03-03' }), allowance(600, { effectiveDate: '2025-03-20', payeeName: 'นาย แก่  ใจดี' })])).toEqual([]);
  });

  it('when the allowance transfer failed, then no money moved and it is quiet', () => {
    expect(engine().process(allowance(650, { status: 'failed' }))).toEqual([]);
  });
});
