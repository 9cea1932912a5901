/**
 * near-threshold@2.1.0 — amounts hugging a procurement limit: an LAO's procurement payments fall
 * in [90 %, 100 %) of 100,000 or 500,000 baht far more often than its peers' (the province's) or its own amounts just
 * below that band would lead one to expect (one-sided binomial test).
 *
 * 2.1.0: (1) the bands of all thresholds are also tested together — a clerk who keeps purchases under the limits
 * keeps some under 100,000 and some under 500,000 baht, and each band alone may hold too few; the count in the union
 * of the bands is binomial with the sum of the bands' expected shares, so the pooled test is exact; the smallest of the
 * per-band and the pooled p-values decides. (2) With no or little history the band payments of a first month often
 * come before the LAO has `minPayments` one-off payments in the window, when no test is allowed: the test is run once
 * more on the payment that brings the window to `minPayments` (any one-off payment, in a band or not). (3) The
 * finding lists the window's payments in the bands, not only the one that triggered it.
 */
import { fiscalYear, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { uniqueList } from '../config-fields.ts';
import { oncePerConfig } from '../once-per-config.ts';
import type { Rule } from '../rule.ts';
import { binomialUpperTail } from '../stats/binomial-tail.ts';
import { toWindowPayment, type AmountSample, type LaoStateView, type WindowPayment } from '../state/lao-state.ts';
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

/** The thresholds smallest first, sorted once per configuration rather than per record. */
const ascending = oncePerConfig((thresholds: readonly number[]): readonly number[] => [...thresholds].sort((x, y) => x - y));

/** How many of a sample's amounts lie in [from, to) (module-level: a closure per record cost more than the count). */
const inBand = (s: Pick<AmountSample, 'countBelow'>, from: number, to: number): number => s.countBelow(to) - s.countBelow(from);

/** One band's test: its payments, the share expected there and where that share came from. */
interface BandTest { threshold: number; low: number; near: number; below: number; expectedShare: number; expectedFrom: 'province' | 'comparison-band' | 'baseline'; provinceSize: number }

/**
 * The rule. Counted on the state's sorted one-off window amounts (a band is two binary searches, not a walk of the
 * window). Evaluated when a payment lands in a band, and once on the payment that brings the window to `minPayments`,
 * so unrelated payments do not re-fire it. Subject `lao-period` keyed `fy-${year}`, shared with benford: both about
 * the LAO's year, one alert.
 */
export const nearThresholdRule: Rule<NearThresholdConfig> = {
  id: 'near-threshold',
  version: '2.1.0',
  configSchema: NearThresholdConfig,
  // The share is taken over the LAO's window: say how long it must be (a month), rather than borrow other rules'.
  windowDays: () => 31,
  evaluate(record: Disbursement, state: LaoStateView, config: NearThresholdConfig): Finding[] {
    // Purchases, whatever service type they were paid under (04, 14, or 59 "other"): not wages, utilities or allowances.
    if (!isOutflow(record.status) || state.isRecurring(record)) return [];
    const a = record.amountSatang;
    const thresholds = ascending(config.thresholdsSatang);
    const own = thresholds.find((t) => a >= t * config.bandFraction && a < t);
    // The LAO's one-off payments of the window (the last month or so: hugging a limit is a habit of a season, and a
    // year of ordinary purchases would dilute it), every purchase whatever its service type, this one included; the
    // record's own source format only (a bulk line and its report line are one payment).
    const window = state.oneOffWindowAmounts(record.sourceFormat);
    const n = 1 + window.size;
    if (n < config.minPayments || (own === undefined && n !== config.minPayments)) return [];
    const province = state.province?.oneOffAmounts;
    const bands: BandTest[] = thresholds.map((threshold) => {
      const low = threshold * config.bandFraction, width = threshold - low;
      const near = (own === threshold ? 1 : 0) + inBand(window, low, threshold), below = inBand(window, low - width, low);
      // Expected share: the province's (its LAOs' one-off payments, this LAO's among them) when it has enough payments;
      // else the LAO's own band just below (amount densities fall as amounts grow: conservative); else the baseline.
      const expectedFrom: BandTest['expectedFrom'] = province && province.size >= config.minProvincePayments ? 'province' : below >= config.minComparisonCount ? 'comparison-band' : 'baseline';
      const expectedShare = expectedFrom === 'province' ? Math.max(config.minExpectedShare, inBand(province!, low, threshold) / province!.size)
        : expectedFrom === 'comparison-band' ? below / n : config.baselineShare;
      return { threshold, low, near, below, expectedShare, expectedFrom, provinceSize: province?.size ?? 0 };
    });
    // At or under the expected share the tail is about one half or more: no test needed.
    const pOf = (near: number, share: number) => (near <= n * share || share >= 1 ? 1 : binomialUpperTail(near, n, share));
    const candidates = bands.filter((b) => b.near > 0).map((b) => ({ bands: [b], p: pOf(b.near, b.expectedShare) }));
    if (candidates.length === 0) return [];
    if (bands.length > 1) {
      const near = bands.reduce((s, b) => s + b.near, 0), share = bands.reduce((s, b) => s + b.expectedShare, 0);
      candidates.push({ bands, p: pOf(near, share) });
    }
    const best = candidates.reduce((x, y) => (y.p < x.p ? y : x));
    const p = best.p;
    if (!(p < config.pValue)) return [];

    const fy = fiscalYear(record.effectiveDate);
    const cur = toWindowPayment(record, state.nextSeq);
    const tested = best.bands;
    const pooled = tested.length > 1;
    const near = tested.reduce((s, b) => s + b.near, 0), expectedShare = tested.reduce((s, b) => s + b.expectedShare, 0);
    const main = pooled ? (bands.find((b) => b.threshold === own) ?? tested.reduce((x, y) => (y.near > x.near ? y : x))) : tested[0]!;
    // The window's one-off payments in the tested bands (this format), oldest first: what the auditor should look at.
    const inTested = (x: number) => tested.some((b) => x >= b.low && x < b.threshold);
    const listed: WindowPayment[] = [];
    for (const list of state.windowByPayee()) for (const w of list) if (w.sourceFormat === record.sourceFormat && !w.recurring && inTested(w.amountSatang)) listed.push(w);
    listed.sort((x, y) => x.seq - y.seq);
    if (inTested(a)) listed.push(cur);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const pText = p < 1e-6 ? p.toExponential(1) : p.toPrecision(2);
    const bandTh = tested.map((b) => `${baht(b.low)}–${baht(b.threshold)}`).join(' และ ');
    const bandEn = tested.map((b) => `${baht(b.low)}–${baht(b.threshold)}`).join(' and ');
    const fromTh = (b: BandTest) => (b.expectedFrom === 'province' ? `สัดส่วนของ อปท. ทั้งจังหวัด ${b.provinceSize} รายการ` : b.expectedFrom === 'comparison-band' ? `ช่วง ${baht(b.low - (b.threshold - b.low))}–${baht(b.low)} บาท ซึ่งมี ${b.below} รายการ` : `ค่าฐาน ${pct(config.baselineShare)}`);
    const fromEn = (b: BandTest) => (b.expectedFrom === 'province' ? `the share of every LAO in the province over ${b.provinceSize} payments` : b.expectedFrom === 'comparison-band' ? `the ${baht(b.low - (b.threshold - b.low))}–${baht(b.low)} baht band just below, which holds ${b.below}` : `the baseline of ${pct(config.baselineShare)}`);
    const limitTh = tested.map((b) => baht(b.threshold)).join(' และ '), limitEn = tested.map((b) => baht(b.threshold)).join(' and ');
    return [{
      ruleId: nearThresholdRule.id,
      ruleVersion: nearThresholdRule.version,
      severity: 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'lao-period', key: `fy-${fy}` },
      reasons: {
        th: `ยอดจ่ายกระจุกใต้วงเงิน ${limitTh} บาท: รายการจ่ายครั้งเดียวล่าสุดของ อปท. (ปีงบประมาณ พ.ศ. ${fy + 543}) ${near} จาก ${n} รายการ (${pct(near / n)}) อยู่ในช่วง ${bandTh} บาท ขณะที่คาดไว้ ${pct(expectedShare)} (จาก${tested.map(fromTh).join(' และ')}; p = ${pText}, เกณฑ์ p < ${config.pValue}) ควรตรวจสอบว่ามีการกำหนดราคาเพื่อหลีกเลี่ยงวิธีการจัดซื้อจัดจ้างหรือผู้ตรวจรับที่กำหนดหรือไม่`,
        en: `Amounts bunch under the ${limitEn} baht limit${pooled ? 's' : ''}: of the LAO's latest one-off payments (fiscal year ${fy}), ${near} of ${n} (${pct(near / n)}) fall in ${bandEn} baht, where ${pct(expectedShare)} was expected (from ${tested.map(fromEn).join(' and ')}; binomial p = ${pText}, threshold p < ${config.pValue}). Check whether prices were set to stay under the procurement method or inspection limit.`,
      },
      evidence: {
        fiscalYear: fy,
        sourceFormat: record.sourceFormat,
        /** `threshold`: one band tested alone; `all-thresholds`: the union of every threshold's band (2.1.0). */
        test: pooled ? 'all-thresholds' : 'threshold',
        thresholdSatang: main.threshold,
        band: { fromSatang: Math.round(main.low), toSatang: main.threshold },
        bands: tested.map((b) => ({ thresholdSatang: b.threshold, fromSatang: Math.round(b.low), inBand: b.near, expectedShare: Math.round(b.expectedShare * 10_000) / 10_000, baseline: b.expectedFrom, comparisonBandCount: b.below })),
        payments: n,
        inBand: near,
        observedShare: Math.round((near / n) * 10_000) / 10_000,
        expectedShare: Math.round(expectedShare * 10_000) / 10_000,
        /** Which baseline decided the expected share: the province's LAOs, the LAO's band just below, or the configured baseline. */
        baseline: main.expectedFrom,
        comparisonBandCount: main.below,
        pValue: p,
        pValueThreshold: config.pValue,
        minPayments: config.minPayments,
        paymentDetails: listed.map(paymentDetail),
      },
      unmasked: unmaskedAccounts(listed),
      payments: listed.map(paymentRef),
    }];
  },
};
