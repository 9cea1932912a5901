/**
 * benford@2.0.0 — fabricated amounts: the first and first-two digits of an LAO's procurement
 * payments over a fiscal year depart from Benford's law (Nigrini's MAD cut-offs). Invented
 * amounts favour some digits; genuine invoices spread as the law says.
 *
 * 2.0.0 (was 1.0.0): the cut-offs apply to the EXCESS MAD — the MAD minus the MAD a conforming sample of the same
 * size shows by chance (`expectedMad`), as Nigrini advises for small samples. Nigrini's cut-offs were set on tens of
 * thousands of amounts; an LAO's year holds hundreds, where chance alone gives a first-two-digit MAD of about
 * 0.0046 at 300 amounts (1.0.0 fired on every such year) and a first-digit MAD of about 0.0136.
 *
 * 2.1.0: a month test beside the year's. A clerk who invents amounts does it in a month or two, and a year of genuine
 * invoices dilutes that month (50 invented amounts in a year of 600 move the year's MAD by less than chance does),
 * while at a new deployment the year never reaches 300 amounts. So the calendar month's amounts invoiced by firms are
 * tested on their own (first digits, Pearson χ² with 8 degrees of freedom, a strict p-value: the test is repeated for
 * every LAO every month, and genuine months of 40–60 amounts wander from the law more than Nigrini's MAD allows).
 */
import { fiscalYear, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { benfordFit, chiSquaredUpperTailEven, expectedMad, firstDigitChiSquared, BENFORD_FIRST } from '../stats/benford.ts';
import { firstTwoDigits, toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { looksLikeBusiness } from '../text/normalise-thai-name.ts';
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
  /** The calendar month's test (2.1.0): the month's amounts on their own, so that an invented month is not diluted by the year. */
  month: z.strictObject({
    enabled: z.boolean().default(true),
    /**
     * Distinct amounts invoiced by firms in the month below this say nothing: at 40 a month of amounts with evenly spread
     * first digits (the invented kind) has an expected χ² of about 24, at the edge of what `pValue` lets through.
     */
    minPayments: z.number().int().min(20).default(40),
    /** First-digit χ² p-value (8 degrees of freedom) below which the month departs from the law: about χ² > 24.3. */
    pValue: z.number().gt(0).lt(1).default(0.002),
    /**
     * Besides once a paying day, lines dated before the LAO's latest day (a month's bank report arriving after it) are
     * judged on every this-many-th procurement line of the fiscal year; each test walks the window once.
     */
    evaluateEvery: z.number().int().min(1).default(50),
  }).prefault({}),
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
  version: '2.1.0',
  configSchema: BenfordConfig,
  // The month test reads the calendar month from the window: 31 days hold all of it.
  windowDays: (config) => (config.enabled && config.month.enabled ? 31 : 0),
  evaluate(record: Disbursement, state: LaoStateView, config: BenfordConfig): Finding[] {
    if (!isOutflow(record.status)) return [];
    // The month test runs when a record moves the LAO's clock to a later day: the days before are then paid, and a
    // walk of the window once a paying day (not once a payment) keeps the engine's cost flat.
    if (config.month.enabled && state.newestDate !== null && record.effectiveDate > state.newestDate) {
      const month = monthFindings(record, state, config, state.newestDate.slice(0, 7));
      if (month.length > 0) return month;
    }
    if (!config.serviceTypes.includes(record.serviceType)) return [];
    const own = record.amountSatang >= 1_000 ? firstTwoDigits(record.amountSatang) : null;
    if (own === null) return [];
    const fy = fiscalYear(record.effectiveDate);
    // The count first (kept per tally): most records are not the one that makes the year due, and need no digit sums.
    let n = 1;
    for (const st of config.serviceTypes) n += state.fiscalTally(fy, record.sourceFormat, st)?.digitTotal ?? 0;
    if (n < config.minPayments || (n - config.minPayments) % config.evaluateEvery !== 0) {
      // A bank report of the whole month arrives after the month's days (older dates): judged every so many of its lines.
      return config.month.enabled && state.newestDate !== null && record.effectiveDate < state.newestDate && n % config.month.evaluateEvery === 0
        ? monthFindings(record, state, config, record.effectiveDate.slice(0, 7), record) : [];
    }
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
        /** Which test decided: the fiscal year's amounts (`year`) or one calendar month's (`month`). */
        test: 'year',
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

/** A firm's invoice: a legal form or shop word in the payee's name. */
const invoicedByFirm = (name: string): boolean => looksLikeBusiness(name);

/**
 * The calendar month's test. Its sample is the month's procurement amounts paid to firms, per source format, each
 * distinct amount once: a person paid under a procurement type is most often a
 * contract worker on a fixed monthly rate (จ้างเหมาบริการ), and an amount paid again and again is a fixed price —
 * neither is an invoice whose digits Benford's law describes (Nigrini treats such duplicates apart). Read from the
 * LAO's window (which holds a month and more), so no state of its own. Same subject as the year's test: the LAO's
 * alert for the fiscal year, with the month that stood out in its evidence.
 */
function monthFindings(record: Disbursement, state: LaoStateView, config: BenfordConfig, month: string, counted?: Disbursement): Finding[] {
  // Per source format (a bulk line and its report line are one payment): the format whose month departs most decides.
  const byFormat = new Map<string, Set<number>>();
  const add = (format: string, amount: number) => { let set = byFormat.get(format); if (!set) byFormat.set(format, (set = new Set())); set.add(amount); };
  const firms = new Map<string, boolean>();
  const isFirm = (name: string) => { let f = firms.get(name); if (f === undefined) firms.set(name, (f = invoicedByFirm(name))); return f; };
  if (counted && counted.amountSatang >= 1_000 && isFirm(counted.payeeName)) add(counted.sourceFormat, counted.amountSatang);
  for (const list of state.windowByPayee()) {
    for (const p of list) {
      if (p.amountSatang < 1_000 || !p.effectiveDate.startsWith(month) || !config.serviceTypes.includes(p.serviceType) || !isFirm(p.payeeName)) continue;
      add(p.sourceFormat, p.amountSatang);
    }
  }
  let best: { format: string; m: number; digits: number[]; chi: number; pValue: number } | null = null;
  for (const [format, amounts] of byFormat) {
    if (amounts.size < config.month.minPayments) continue;
    const digits = new Array<number>(9).fill(0);
    for (const a of amounts) digits[Number(String(a)[0]) - 1]!++;
    const chi = firstDigitChiSquared(digits);
    const pValue = chiSquaredUpperTailEven(chi, 8);
    if (best === null || pValue < best.pValue) best = { format, m: amounts.size, digits, chi, pValue };
  }
  if (best === null || !(best.pValue < config.month.pValue)) return [];
  const { m, digits, chi, pValue } = best;
  const fy = fiscalYear(`${month}-01`);

  const shares = digits.map((c) => c / m);
  const madFirst = shares.reduce((s, share, i) => s + Math.abs(share - BENFORD_FIRST[i]!), 0) / 9;
  const expected = expectedMad(BENFORD_FIRST, m);
  const p = toWindowPayment(record, state.nextSeq);
  const monthTh = `${month.slice(5)}/${Number(month.slice(0, 4)) + 543}`;
  const pText = pValue < 1e-6 ? pValue.toExponential(1) : pValue.toPrecision(2);
  const sharesTh = shares.map((s, i) => `${i + 1}: ${(s * 100).toFixed(0)}%`).join(', ');
  return [{
    ruleId: benfordRule.id,
    ruleVersion: benfordRule.version,
    severity: 'medium',
    laoCode: state.laoCode,
    subject: { kind: 'lao-period', key: `fy-${fy}` },
    reasons: {
      th: `ตัวเลขหลักแรกของยอดจ่ายจัดซื้อจัดจ้างในเดือน ${monthTh} ผิดปกติ: ยอดที่จ่ายให้ร้านค้า/นิติบุคคล ${m} ยอด (ไม่นับยอดซ้ำ ประเภทบริการ ${config.serviceTypes.join(', ')}) มีหลักแรก ${sharesTh} ซึ่งต่างจากกฎของเบนฟอร์ด (หลัก 1 ควรราว 30%) χ² = ${chi.toFixed(1)}, p = ${pText} (เกณฑ์ p < ${config.month.pValue}, ขั้นต่ำ ${config.month.minPayments} ยอด) ยอดที่แต่งขึ้นมักมีหลักแรกกระจายเท่า ๆ กัน ควรสุ่มตรวจฎีกาและใบแจ้งหนี้ของเดือนนี้`,
      en: `Procurement amounts of ${month} do not follow Benford's law: the ${m} distinct amounts paid to firms (service types ${config.serviceTypes.join(', ')}) have first-digit shares ${shares.map((s, i) => `${i + 1}: ${(s * 100).toFixed(0)}%`).join(', ')} (about 30% should start with 1); χ² = ${chi.toFixed(1)}, p = ${pText} (threshold p < ${config.month.pValue}, minimum ${config.month.minPayments} amounts). Invented amounts tend to spread their first digits evenly: sample the month's vouchers and invoices.`,
    },
    evidence: {
      test: 'month',
      month,
      fiscalYear: fy,
      sourceFormat: best.format,
      serviceTypes: config.serviceTypes,
      /** Distinct amounts paid to firms in the month: the sample tested. */
      payments: m,
      minPayments: config.month.minPayments,
      chiSquared: round(chi, 2),
      degreesOfFreedom: 8,
      pValue,
      pValueThreshold: config.month.pValue,
      madFirstDigit: round(madFirst),
      expectedMadFirstDigit: round(expected),
      excessMadFirstDigit: round(madFirst - expected),
      firstDigitShares: shares.map((s, i) => ({ digit: i + 1, observed: round(s, 4), expected: round(BENFORD_FIRST[i]!, 4) })),
      paymentDetails: [paymentDetail(p)],
    },
    unmasked: unmaskedAccounts([p]),
    payments: [paymentRef(p)],
  }];
}
