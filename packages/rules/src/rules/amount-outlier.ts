/**
 * amount-outlier@2.0.0 — an amount far above what this payee is usually paid for that service type (typologies.md).
 * LAOs pay most vendors only a few times a year, so the payee's own history decides even when short; the LAO's (or
 * its peer group's) spread only stands in when the payee has none. Recurring pay (salary, utilities) is compared with
 * the same person's or meter's own amount, never with the LAO's spread; allowances are welfare-anomaly's (their
 * amounts are fixed by scale, and back pay for months at once is routine).
 *
 * 2.0.0: the payee decides first (from 3 earlier payments for one-off pay, from 1 for recurring pay); the LAO's, then
 * the peer group's spread only for a payee with no history; every finding says which baseline decided and on how
 * many observations.
 * 2.1.0: in a first month, an LAO with a few amounts of the type (fewer than a spread needs) is bounded by them: 3 × the
 * largest, and above the peer group's (or province's) p99 — the pooled spread alone mixes LAOs of every size.
 */
import { isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { median } from 'simple-statistics';
import type { Rule } from '../rule.ts';
import { robustZDetail } from '../stats/robust-z.ts';
import { toWindowPayment, type AmountSample, type LaoStateView } from '../state/lao-state.ts';
import { baht, formatDateTh, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of amount-outlier. How much history is kept is engine state (`state` in the rule set). */
export const AmountOutlierConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Robust z of the log amount above which it is an outlier, against a long payee history or the LAO's / peers' spread. */
  zThreshold: z.number().min(0).default(6),
  /** A payee history this long decides by robust z; a shorter one by a ratio to its median. */
  minObservations: z.number().int().min(2).default(20),
  /** Fewest earlier one-off payments to a payee that make a baseline of its own. */
  shortHistoryMin: z.number().int().min(1).default(3),
  /** With a short payee history: the amount must be at least this many times the payee's median … */
  shortHistoryRatio: z.number().min(1).default(10),
  /** … and above this quantile of the LAO's amounts of the service type (when it has `fallbackMinObservations`). */
  shortHistoryLaoQuantile: z.number().gt(0).lt(1).default(0.75),
  /** Even a long, steady payee history needs the amount this many times its median (a fixed fee that rises a little is not fraud). */
  minRatio: z.number().min(1).default(3),
  /** Recurring pay (a salary, a meter): this many times the person's or meter's own median, from one earlier payment. */
  recurringRatio: z.number().min(1).default(5),
  /** Utility bills (telephone, electricity, water): paid to the utility's account for many meters at once. */
  utilityServiceTypes: z.array(z.string().regex(/^\d{2}$/)).default(() => ['10', '11', '12']),
  /** Recurring pay with no history of its own: this many times the LAO's p99 of the service type. */
  recurringFallbackRatio: z.number().min(1).default(3),
  /** Fewest LAO (or peer-group) amounts of the service type that make a spread to stand in for a payee with no history. */
  fallbackMinObservations: z.number().int().min(2).default(20),
  /** Fewest LAO amounts of the type that bound what it pays when they are too few for a spread (`shortLaoCeiling`). */
  shortLaoMin: z.number().int().min(1).default(3),
  /** … the amount must then also be above this quantile of the peer group's (or province's) amounts. */
  shortLaoPooledQuantile: z.number().gt(0).lt(1).default(0.99),
  /** Standing in for a payee with no history, the amount must be this many times the spread's 99th percentile … */
  fallbackP99Ratio: z.number().min(1).default(3),
  /** … and its log amount this many quartile-based robust σ above the median. */
  fallbackZ: z.number().min(0).default(2.5),
});
/** Parsed amount-outlier configuration. */
export type AmountOutlierConfig = z.infer<typeof AmountOutlierConfig>;

/** Which history decided, as the evidence names it. */
export type OutlierBaseline = 'payee' | 'payee-short' | 'payee-recurring' | 'lao-ceiling' | 'peer-ceiling' | 'lao-short' | 'lao' | 'peer-group' | 'province';

/** What decided and why. */
interface Verdict { baseline: OutlierBaseline; observations: number; medianSatang: number; ratio: number; robustZ: number | null; limitSatang: number | null; limitWhat: string | null }

/** Robust z of log10(x) against a sorted sample through its quartiles (IQR / 1.349 estimates σ), so no pass over it. */
function quartileZ(x: number, s: AmountSample): number {
  const q1 = Math.log10(s.quantile(0.25)), q2 = Math.log10(s.quantile(0.5)), q3 = Math.log10(s.quantile(0.75));
  const sigma = (q3 - q1) / 1.349;
  const d = Math.log10(x) - q2;
  return sigma > 0 ? d / sigma : d > 0 ? Infinity : 0;
}

/** The verdict of the payee's own history, or null when it has none long enough (`undefined`: it has, and the amount is ordinary). */
function payeeVerdict(amount: number, history: readonly number[], recurring: boolean, state: LaoStateView, record: Disbursement, config: AmountOutlierConfig): Verdict | null | undefined {
  const n = history.length;
  if (recurring) {
    if (n < 1) return recurringFallback(amount, state, record, config);
    const m = median(history);
    return amount >= config.recurringRatio * m ? { baseline: 'payee-recurring', observations: n, medianSatang: Math.round(m), ratio: amount / m, robustZ: null, limitSatang: Math.round(config.recurringRatio * m), limitWhat: `${config.recurringRatio} × median` } : undefined;
  }
  if (n < config.shortHistoryMin) return null;
  const m = median(history);
  if (n >= config.minObservations) {
    const zd = robustZDetail(Math.log10(amount), history.map(Math.log10));
    return zd.z > config.zThreshold && amount >= config.minRatio * m
      ? { baseline: 'payee', observations: n, medianSatang: Math.round(m), ratio: amount / m, robustZ: Number.isFinite(zd.z) ? Math.round(zd.z * 100) / 100 : null, limitSatang: Math.round(config.minRatio * m), limitWhat: `robust z > ${config.zThreshold} and ${config.minRatio} × median` }
      : undefined;
  }
  if (amount < config.shortHistoryRatio * m) return undefined;
  // A short history of small payments says little about what is large for the LAO: the amount must be large there too.
  const lao = state.laoAmounts(record.serviceType);
  const spread = lao.size >= config.fallbackMinObservations ? lao : state.peers && state.peers.amounts(record.serviceType).size >= config.fallbackMinObservations ? state.peers.amounts(record.serviceType) : null;
  const p = spread ? spread.quantile(config.shortHistoryLaoQuantile) : null;
  if (p !== null && !(amount > p)) return undefined;
  return { baseline: 'payee-short', observations: n, medianSatang: Math.round(m), ratio: amount / m, robustZ: null, limitSatang: p === null ? null : Math.round(p), limitWhat: p === null ? null : `p${Math.round(config.shortHistoryLaoQuantile * 100)} of the ${spread === lao ? 'LAO' : 'peer group'}` };
}

/**
 * Recurring pay with no earlier payment of its own (a first month): never judged by the LAO's spread, only against its
 * ceiling — `recurringFallbackRatio` × the largest amounts (p99) the LAO pays of that service type. A wage three
 * times the best-paid official's is no grade the LAO has.
 */
function recurringFallback(amount: number, state: LaoStateView, record: Disbursement, config: AmountOutlierConfig): Verdict | undefined {
  const lao = state.laoAmounts(record.serviceType), peers = state.peers?.amounts(record.serviceType);
  const [baseline, s] = lao.size >= config.fallbackMinObservations ? ['lao-ceiling', lao] as const : peers && peers.size >= config.fallbackMinObservations ? ['peer-ceiling', peers] as const : [null, null];
  if (!baseline) return undefined;
  const p99 = s.quantile(0.99), m = s.quantile(0.5);
  return amount >= config.recurringFallbackRatio * p99 ? { baseline, observations: s.size, medianSatang: Math.round(m), ratio: amount / m, robustZ: null, limitSatang: Math.round(config.recurringFallbackRatio * p99), limitWhat: `${config.recurringFallbackRatio} × p99` } : undefined;
}

/** A sample with at least `min` amounts (module-level: a closure per record cost more than the test). */
const enough = (s: AmountSample | undefined, min: number): s is AmountSample => s !== undefined && s.size >= min;

/** The verdict of the LAO's spread, else its peer group's, for a payee with no history of its own. */
function spreadVerdict(amount: number, state: LaoStateView, record: Disbursement, config: AmountOutlierConfig): Verdict | undefined {
  const lao = state.laoAmounts(record.serviceType);
  const peers = state.peers?.amounts(record.serviceType), province = state.province?.amounts(record.serviceType);
  const min = config.fallbackMinObservations;
  if (lao.size < min && lao.size >= config.shortLaoMin) {
    const ceiling = shortLaoCeiling(amount, lao, enough(peers, min) ? peers : enough(province, min) ? province : undefined, config);
    if (ceiling) return ceiling;
  }
  const [baseline, s] = enough(lao, min) ? ['lao', lao] as const : enough(peers, min) ? ['peer-group', peers] as const : enough(province, min) ? ['province', province] as const : [null, null];
  if (!baseline) return undefined;
  const z = quartileZ(amount, s), p99 = s.quantile(0.99), m = s.quantile(0.5);
  // An LAO pays suppliers of every size, so its spread is wide: what stands out is an amount several times the largest
  // it pays (p99), clearly off the spread (a quartile z that rules out a sample too narrow for p99 to mean much).
  if (!(z > config.fallbackZ) || amount < config.fallbackP99Ratio * p99) return undefined;
  return { baseline, observations: s.size, medianSatang: Math.round(m), ratio: amount / m, robustZ: Number.isFinite(z) ? Math.round(z * 100) / 100 : null, limitSatang: Math.round(config.fallbackP99Ratio * p99), limitWhat: `${config.fallbackP99Ratio} × p99 and robust z > ${config.fallbackZ}` };
}

/**
 * A first month: the LAO has paid a few amounts of the type, too few for a spread, and the peer group's spread mixes
 * LAOs of every size. The LAO's own few amounts still bound what it pays: an amount `fallbackP99Ratio` × the largest of
 * them that is also above the pooled spread's `shortLaoPooledQuantile` is far above anything this LAO pays.
 */
function shortLaoCeiling(amount: number, lao: AmountSample, pooled: AmountSample | undefined, config: AmountOutlierConfig): Verdict | undefined {
  if (!pooled) return undefined;
  const max = lao.quantile(1), m = lao.quantile(0.5), bar = pooled.quantile(config.shortLaoPooledQuantile);
  if (!(amount >= config.fallbackP99Ratio * max) || !(amount > bar)) return undefined;
  return { baseline: 'lao-short', observations: lao.size, medianSatang: Math.round(m), ratio: amount / m, robustZ: null, limitSatang: Math.round(Math.max(config.fallbackP99Ratio * max, bar)), limitWhat: `${config.fallbackP99Ratio} × the LAO's largest and above p${Math.round(config.shortLaoPooledQuantile * 100)} of ${pooled.size} pooled amounts` };
}

/** The rule. */
export const amountOutlierRule: Rule<AmountOutlierConfig> = {
  id: 'amount-outlier',
  version: '2.1.0',
  configSchema: AmountOutlierConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: AmountOutlierConfig): Finding[] {
    // Allowances are paid by scale, back pay for months at once: welfare-anomaly's to judge.
    // Utilities: one company account takes every meter's bill, so no "own amount" exists; their rhythm is not this rule's.
    if (!isOutflow(record.status) || state.allowance(record) !== null || config.utilityServiceTypes.includes(record.serviceType)) return [];
    const recurring = state.isRecurring(record);
    const history = state.payeeAmounts(record.serviceType, record.payeeBankCode, record.payeeAccount);
    const own = payeeVerdict(record.amountSatang, history, recurring, state, record, config);
    // The payee's own history decides whenever it exists; recurring pay is never judged by the LAO's spread.
    const verdict = own !== null ? own : spreadVerdict(record.amountSatang, state, record, config);
    return verdict ? [buildFinding(state, record, verdict, config)] : [];
  },
};

const BASELINE_TH: Record<OutlierBaseline, string> = {
  payee: 'ประวัติการจ่ายให้ผู้รับรายนี้', 'lao-ceiling': 'ยอดสูงสุดที่ อปท. จ่ายในประเภทนี้ (ผู้รับรายนี้ยังไม่มีประวัติ)', 'peer-ceiling': 'ยอดสูงสุดที่ อปท. ประเภทเดียวกันในจังหวัดจ่ายในประเภทนี้ (ผู้รับและ อปท. มีประวัติไม่พอ)', 'payee-short': 'ประวัติการจ่ายให้ผู้รับรายนี้ (ยังสั้น)', 'payee-recurring': 'ยอดที่ผู้รับรายนี้ได้รับเป็นประจำ',
  'lao-short': 'ยอดที่ อปท. เคยจ่ายในประเภทนี้ซึ่งยังมีไม่กี่รายการ (ผู้รับรายนี้ไม่มีประวัติ)', lao: 'การกระจายของยอดจ่ายของ อปท. (ผู้รับรายนี้ไม่มีประวัติ)', 'peer-group': 'การกระจายของยอดจ่ายของ อปท. ประเภทเดียวกันในจังหวัด (ผู้รับและ อปท. มีประวัติไม่พอ)', province: 'การกระจายของยอดจ่ายของ อปท. ทั้งจังหวัด (ผู้รับ อปท. และกลุ่มเดียวกันมีประวัติไม่พอ)',
};
const BASELINE_EN: Record<OutlierBaseline, string> = {
  payee: "this payee's payment history", 'lao-ceiling': "the highest amounts the LAO pays of this type (the payee has no history yet)", 'peer-ceiling': "the highest amounts LAOs of the same type in the province pay of this type (payee and LAO history too short)", 'payee-short': "this payee's (short) payment history", 'payee-recurring': "this payee's recurring amount",
  'lao-short': "the few amounts the LAO has paid of this type so far (the payee has no history)", lao: "the LAO's spread of amounts (the payee has no history)", 'peer-group': "the spread of LAOs of the same type in the province (payee and LAO history too short)", province: "the spread of every LAO in the province (payee, LAO and peer history too short)",
};

function buildFinding(state: LaoStateView, record: Disbursement, v: Verdict, config: AmountOutlierConfig): Finding {
  const p = toWindowPayment(record, state.nextSeq);
  const who = payeeLabel(p), where = rowLabel(p), amount = baht(p.amountSatang);
  const times = v.ratio >= 10 ? Math.round(v.ratio) : Math.round(v.ratio * 10) / 10;
  return {
    ruleId: amountOutlierRule.id,
    ruleVersion: amountOutlierRule.version,
    severity: v.ratio >= 20 ? 'high' : 'medium',
    laoCode: state.laoCode,
    subject: { kind: 'payment', key: p.recordId },
    reasons: {
      th: `ยอดเงินสูงผิดปกติ: จ่ายให้ ${who.th} ${amount} บาท เมื่อ ${formatDateTh(p.effectiveDate)} (ประเภทบริการ ${p.serviceType}, ${where.th}) เป็น ${times} เท่าของค่ามัธยฐาน ${baht(v.medianSatang)} บาท ตาม${BASELINE_TH[v.baseline]} จาก ${v.observations} รายการ${v.limitSatang !== null ? ` (เกณฑ์: ${baht(v.limitSatang)} บาท)` : ''} ควรตรวจสอบฎีกา สัญญา และเอกสารประกอบการจ่ายรายการนี้`,
      en: `Unusually large amount: ${amount} baht paid to ${who.en} on ${p.effectiveDate} (service type ${p.serviceType}, ${where.en}), ${times} × the median of ${baht(v.medianSatang)} baht in ${BASELINE_EN[v.baseline]} over ${v.observations} payments${v.limitSatang !== null ? ` (threshold: ${baht(v.limitSatang)} baht, ${v.limitWhat})` : ''}. Check the voucher, the contract and the supporting documents of this payment.`,
    },
    evidence: {
      amountSatang: p.amountSatang,
      serviceType: p.serviceType,
      /** Which history decided: the payee's own (long, short, recurring), the LAO's spread, or the peer group's. */
      baseline: v.baseline,
      observations: v.observations,
      medianSatang: v.medianSatang,
      ratio: Math.round(v.ratio * 100) / 100,
      robustZ: v.robustZ,
      limitSatang: v.limitSatang,
      zThreshold: config.zThreshold,
      paymentDetails: [paymentDetail(p)],
    },
    unmasked: unmaskedAccounts([p]),
    payments: [paymentRef(p)],
  };
}
