/**
 * near-threshold@1.0.0 — amounts hugging a procurement limit: an LAO's procurement payments fall
 * in [90 %, 100 %) of 100,000 or 500,000 baht far more often than its own amounts just below that
 * band would lead one to expect (one-sided binomial test).
 */
import { fiscalYear, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { binomialUpperTail } from '../stats/binomial-tail.ts';
import { toWindowPayment, type AmountSample, type LaoStateView } from '../state/lao-state.ts';
import { baht, paymentDetail, paymentRef, unmaskedAccounts } from './explain.ts';

/** Thresholds of near-threshold. */
export const NearThresholdConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** A single inspector up to 100,000 baht, the specific method up to 500,000 baht (domain.md). */
  thresholdsSatang: uniqueList(z.number().int().min(1)).min(1).default(() => [10_000_000, 50_000_000]),
  /** The band is [fraction·T, T); the comparison band is the same width just below it. */
  bandFraction: z.number().gt(0.5).lt(1).default(0.9),
  /** Fewer one-off payments held for the LAO than this: no test. */
  minPayments: z.number().int().min(1).default(15),
  /** The province's one-off payments must number this many for its share to be the expectation. */
  minProvincePayments: z.number().int().min(1).default(300),
  /** The expected share is never taken below this (a province that never pays near a limit still might). */
  minExpectedShare: z.number().gt(0).lt(1).default(0.005),
  /** The comparison band must hold at least this many payments to estimate the expected share … */
  minComparisonCount: z.number().int().min(1).default(5),
  /** … otherwise this share is expected in the band. */
  baselineShare: z.number().gt(0).lt(1).default(0.02),
  /** One-sided binomial p-value below which the share is "far above". */
  pValue: z.number().gt(0).lt(1).default(0.001),
});
/** Parsed near-threshold configuration. */
export type NearThresholdConfig = z.infer<typeof NearThresholdConfig>;

const sortedThresholds = new WeakMap<readonly number[], readonly number[]>();
/** The thresholds smallest first, sorted once per (parsed, never changed) configuration rather than per record. */
function ascending(thresholds: readonly number[]): readonly number[] {
  let sorted = sortedThresholds.get(thresholds);
  if (!sorted) sortedThresholds.set(thresholds, (sorted = [...thresholds].sort((x, y) => x - y)));
  return sorted;
}

/** How many of a sample's amounts lie in [from, to) (module-level: a closure per record cost more than the count). */
const inBand = (s: Pick<AmountSample, 'countBelow'>, from: number, to: number): number => s.countBelow(to) - s.countBelow(from);

/**
 * The rule. Tallies per (fiscal year, source format, service type) hold, for each threshold, the
 * count in the band and in the comparison band. Amount densities fall as amounts grow, so the
 * comparison band (just below) over-estimates what the band should hold: the test is conservative.
 * Evaluated only when a payment lands in a band, so unrelated payments never re-fire it. Subject
 * `lao-period` keyed `fy-${year}`, shared with benford: both about the LAO's year, one alert.
 */
export const nearThresholdRule: Rule<NearThresholdConfig> = {
  id: 'near-threshold',
  version: '2.0.0',
  configSchema: NearThresholdConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: NearThresholdConfig): Finding[] {
    // Purchases, whatever service type they were paid under (04, 14, or 59 "other"): not wages, utilities or allowances.
    if (!isOutflow(record.status) || state.isRecurring(record)) return [];
    const a = record.amountSatang;
    const threshold = ascending(config.thresholdsSatang).find((t) => a >= t * config.bandFraction && a < t);
    if (threshold === undefined) return [];
    const fy = fiscalYear(record.effectiveDate);
    const low = threshold * config.bandFraction, width = threshold - low;
    // The LAO's one-off payments of the window (the last month or so: hugging a limit is a habit of a season, and a
    // year of ordinary purchases would dilute it), every purchase whatever its service type, this one included; the
    // record's own source format only (a bulk line and its report line are one payment).
    // Counted on the state's sorted one-off window amounts: a band is two binary searches, not a walk of the window.
    const window = state.oneOffWindowAmounts(record.sourceFormat);
    const n = 1 + window.size, near = 1 + inBand(window, low, threshold), below = inBand(window, low - width, low);
    if (n < config.minPayments) return [];
    // Expected share: the province's (its LAOs' one-off payments, this LAO's among them) when it has enough payments;
    // else the LAO's own band just below (amount densities fall as amounts grow: conservative); else the baseline.
    const province = state.province?.oneOffAmounts;
    const expectedFrom: 'province' | 'comparison-band' | 'baseline' = province && province.size >= config.minProvincePayments ? 'province' : below >= config.minComparisonCount ? 'comparison-band' : 'baseline';
    const expectedShare = expectedFrom === 'province' ? Math.max(config.minExpectedShare, inBand(province!, low, threshold) / province!.size)
      : expectedFrom === 'comparison-band' ? below / n : config.baselineShare;
    const fromOwn = expectedFrom === 'comparison-band';
    // At or under the expected share the tail is about one half or more: no test needed.
    if (near <= n * expectedShare) return [];
    const p = binomialUpperTail(near, n, expectedShare);
    if (!(p < config.pValue)) return [];

    const cur = toWindowPayment(record, state.nextSeq);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const pText = p < 1e-6 ? p.toExponential(1) : p.toPrecision(2);
    const expectedTh = expectedFrom === 'province' ? `สัดส่วนของ อปท. ทั้งจังหวัด ${province!.size} รายการ` : fromOwn ? `ช่วง ${baht(low - width)}–${baht(low)} บาท ซึ่งมี ${below} รายการ` : `ค่าฐาน ${pct(config.baselineShare)}`;
    const expectedEn = expectedFrom === 'province' ? `the share of every LAO in the province over ${province!.size} payments` : fromOwn ? `the ${baht(low - width)}–${baht(low)} baht band just below, which holds ${below}` : `the baseline of ${pct(config.baselineShare)}`;
    return [{
      ruleId: nearThresholdRule.id,
      ruleVersion: nearThresholdRule.version,
      severity: 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'lao-period', key: `fy-${fy}` },
      reasons: {
        th: `ยอดจ่ายกระจุกใต้วงเงิน ${baht(threshold)} บาท: รายการจ่ายครั้งเดียวล่าสุดของ อปท. (ปีงบประมาณ พ.ศ. ${fy + 543}) ${near} จาก ${n} รายการ (${pct(near / n)}) อยู่ในช่วง ${baht(low)}–${baht(threshold)} บาท ขณะที่คาดไว้ ${pct(expectedShare)} (จาก${expectedTh}; p = ${pText}, เกณฑ์ p < ${config.pValue}) ควรตรวจสอบว่ามีการกำหนดราคาเพื่อหลีกเลี่ยงวิธีการจัดซื้อจัดจ้างหรือผู้ตรวจรับที่กำหนดหรือไม่`,
        en: `Amounts bunch under the ${baht(threshold)} baht limit: of the LAO's latest one-off payments (fiscal year ${fy}), ${near} of ${n} (${pct(near / n)}) fall in ${baht(low)}–${baht(threshold)} baht, where ${pct(expectedShare)} was expected (from ${expectedEn}; binomial p = ${pText}, threshold p < ${config.pValue}). Check whether prices were set to stay under the procurement method or inspection limit.`,
      },
      evidence: {
        fiscalYear: fy,
        sourceFormat: record.sourceFormat,
        thresholdSatang: threshold,
        band: { fromSatang: Math.round(low), toSatang: threshold },
        payments: n,
        inBand: near,
        observedShare: Math.round((near / n) * 10_000) / 10_000,
        expectedShare: Math.round(expectedShare * 10_000) / 10_000,
        /** Which baseline decided the expected share: the province's LAOs, the LAO's band just below, or the configured baseline. */
        baseline: expectedFrom,
        comparisonBandCount: below,
        pValue: p,
        pValueThreshold: config.pValue,
        minPayments: config.minPayments,
        paymentDetails: [paymentDetail(cur)],
      },
      unmasked: unmaskedAccounts([cur]),
      payments: [paymentRef(cur)],
    }];
  },
};
