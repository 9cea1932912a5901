/**
 * benford@2.0.0 — fabricated amounts: the first and first-two digits of an LAO's procurement
 * payments over a fiscal year depart from Benford's law (Nigrini's MAD cut-offs). Invented
 * amounts favour some digits; genuine invoices spread as the law says.
 *
 * 2.0.0 (was 1.0.0): the cut-offs apply to the EXCESS MAD — the MAD minus the MAD a conforming sample of the same
 * size shows by chance (`expectedMad`), as Nigrini advises for small samples. Nigrini's cut-offs were set on tens of
 * thousands of amounts; an LAO's year holds hundreds, where chance alone gives a first-two-digit MAD of about
 * 0.0046 at 300 amounts (1.0.0 fired on every such year) and a first-digit MAD of about 0.0136.
 */
import { fiscalYear, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { benfordFit, BENFORD_FIRST } from '../stats/benford.ts';
import { firstTwoDigits, toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { paymentDetail, paymentRef, unmaskedAccounts } from './explain.ts';

/** Thresholds of benford. */
export const BenfordConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Procurement (goods and services): salaries, allowances and utilities have amounts fixed by rule, not by invoices. */
  serviceTypes: uniqueList(ServiceTypeCode).min(1).default(() => ['04', '14']),
  /** Fewer amounts in the fiscal year than this say nothing about digits. */
  minPayments: z.number().int().min(50).default(300),
  /** After the minimum, evaluated again every this many amounts, so it does not fire on every record. */
  evaluateEvery: z.number().int().min(1).default(100),
  /** Nigrini: first-digit MAD above 0.015 is nonconformity; compared with the excess MAD (MAD − expected MAD at this n). */
  madFirstDigit: z.number().gt(0).default(0.015),
  /** Nigrini: first-two-digit MAD above 0.0022 is nonconformity; compared with the excess MAD. */
  madFirstTwoDigits: z.number().gt(0).default(0.0022),
});
/** Parsed benford configuration. */
export type BenfordConfig = z.infer<typeof BenfordConfig>;

const round = (x: number, digits = 5): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The rule. Counts are kept per (fiscal year, source format, service type) as 90 first-two-digit
 * counters (amounts of at least 10 baht); the record's own format only, since a bulk line and its
 * report line are one payment. Evaluated when the count reaches `minPayments` and then every
 * `evaluateEvery` amounts. Subject `lao-period` keyed `fy-${year}` (CE fiscal year), so the LAO's
 * alert for the year is updated, not repeated; the record that triggered the evaluation is the
 * payment the finding points at.
 */
export const benfordRule: Rule<BenfordConfig> = {
  id: 'benford',
  version: '2.0.0',
  configSchema: BenfordConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: BenfordConfig): Finding[] {
    if (!isOutflow(record.status) || !config.serviceTypes.includes(record.serviceType)) return [];
    const own = record.amountSatang >= 1_000 ? firstTwoDigits(record.amountSatang) : null;
    if (own === null) return [];
    const fy = fiscalYear(record.effectiveDate);
    // The count first (kept per tally): most records are not the one that makes the year due, and need no digit sums.
    let n = 1;
    for (const st of config.serviceTypes) n += state.fiscalTally(fy, record.sourceFormat, st)?.digitTotal ?? 0;
    if (n < config.minPayments || (n - config.minPayments) % config.evaluateEvery !== 0) return [];
    const counts = new Array<number>(90).fill(0);
    for (const st of config.serviceTypes) {
      const tally = state.fiscalTally(fy, record.sourceFormat, st);
      if (tally) tally.digits.forEach((c, i) => { counts[i]! += c; });
    }
    counts[own - 10]!++;
    const fit = benfordFit(counts);
    const excessFirst = fit.madFirst - fit.expectedMadFirst, excessTwo = fit.madFirstTwo - fit.expectedMadFirstTwo;
    const firstOff = excessFirst > config.madFirstDigit, twoOff = excessTwo > config.madFirstTwoDigits;
    if (!firstOff && !twoOff) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const fyTh = fy + 543;
    const over = [
      firstOff ? `หลักแรก MAD = ${fit.madFirst.toFixed(4)} สูงกว่าที่คาดจากความบังเอิญ (${fit.expectedMadFirst.toFixed(4)}) อยู่ ${excessFirst.toFixed(4)} (เกณฑ์ > ${config.madFirstDigit})` : null,
      twoOff ? `สองหลักแรก MAD = ${fit.madFirstTwo.toFixed(4)} สูงกว่าที่คาดจากความบังเอิญ (${fit.expectedMadFirstTwo.toFixed(4)}) อยู่ ${excessTwo.toFixed(4)} (เกณฑ์ > ${config.madFirstTwoDigits})` : null,
    ].filter((x) => x !== null);
    const overEn = [
      firstOff ? `first-digit MAD ${fit.madFirst.toFixed(4)}, ${excessFirst.toFixed(4)} above the ${fit.expectedMadFirst.toFixed(4)} chance alone gives (threshold > ${config.madFirstDigit})` : null,
      twoOff ? `first-two-digit MAD ${fit.madFirstTwo.toFixed(4)}, ${excessTwo.toFixed(4)} above the ${fit.expectedMadFirstTwo.toFixed(4)} chance alone gives (threshold > ${config.madFirstTwoDigits})` : null,
    ].filter((x) => x !== null);
    return [{
      ruleId: benfordRule.id,
      ruleVersion: benfordRule.version,
      severity: 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'lao-period', key: `fy-${fy}` },
      reasons: {
        th: `การกระจายตัวเลขหลักแรกของยอดจ่ายจัดซื้อจัดจ้างผิดปกติ: ปีงบประมาณ พ.ศ. ${fyTh} มี ${n} รายการ (ประเภทบริการ ${config.serviceTypes.join(', ')}) ซึ่ง${over.join(' และ')} ไม่เป็นไปตามกฎของเบนฟอร์ด (เกณฑ์ Nigrini, ขั้นต่ำ ${config.minPayments} รายการ) ควรสุ่มตรวจฎีกาและใบแจ้งหนี้ของรายการที่มีตัวเลขนำหน้าซึ่งเกิดบ่อยเกินคาด`,
        en: `Procurement amounts do not follow Benford's law: fiscal year ${fy} (${fyTh} BE) has ${n} payments (service types ${config.serviceTypes.join(', ')}) with ${overEn.join(' and ')} (Nigrini cut-offs, minimum ${config.minPayments} payments). Sample the vouchers and invoices of the amounts whose leading digits occur more often than expected.`,
      },
      evidence: {
        fiscalYear: fy,
        sourceFormat: record.sourceFormat,
        serviceTypes: config.serviceTypes,
        payments: n,
        minPayments: config.minPayments,
        madFirstDigit: round(fit.madFirst),
        madFirstTwoDigits: round(fit.madFirstTwo),
        thresholds: { madFirstDigit: config.madFirstDigit, madFirstTwoDigits: config.madFirstTwoDigits },
        expectedMadFirstDigit: round(fit.expectedMadFirst),
        expectedMadFirstTwoDigits: round(fit.expectedMadFirstTwo),
        /** Nigrini's excess MAD: observed minus expected at this sample size; what the thresholds are compared with. */
        excessMadFirstDigit: round(excessFirst),
        excessMadFirstTwoDigits: round(excessTwo),
        firstDigitShares: fit.firstShares.map((s, i) => ({ digit: i + 1, observed: round(s, 4), expected: round(BENFORD_FIRST[i]!, 4) })),
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
