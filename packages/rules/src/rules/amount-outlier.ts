/**
 * amount-outlier@1.0.0 — an amount far above what this LAO (and this payee, when it has a
 * history) usually receives for the same service type.
 */
import { isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { median } from 'simple-statistics';
import type { Rule } from '../rule.ts';
import { robustZDetail, type RobustZ } from '../stats/robust-z.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { baht, formatDateTh, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of amount-outlier. How much history is kept is engine state (`state` in the rule set). */
export const AmountOutlierConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Robust z (median / 1.4826·MAD) above which an amount is an outlier. */
  zThreshold: z.number().min(0).default(6),
  /** Below this many earlier amounts a history says nothing, and the rule stays quiet. */
  minObservations: z.number().int().min(2).default(20),
});
/** Parsed amount-outlier configuration. */
export type AmountOutlierConfig = z.infer<typeof AmountOutlierConfig>;

/** What one history says about the amount. */
interface HistoryVerdict extends RobustZ { observations: number }

/**
 * The rule. Amounts are compared on a logarithmic scale: payment amounts are heavy-tailed (a municipality
 * pays 500-baht supplies and 5-million-baht roads under the same service type), and on the raw scale every
 * large-but-ordinary contract would look extreme. On the log scale "z > 6" means "many typical spreads
 * above the usual order of magnitude". Only high amounts count: money leaves through amounts that are too large, and a
 * small payment (an instalment, a partial refund) is routine. Fires when the amount is above
 * the threshold against the LAO's history for the service type (≥ minObservations); when the
 * payee has its own history of that size, the amount must be unusual for the payee too, so a
 * contractor who is always paid large sums is not flagged for being paid one more.
 */
export const amountOutlierRule: Rule<AmountOutlierConfig> = {
  id: 'amount-outlier',
  version: '1.0.0',
  configSchema: AmountOutlierConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: AmountOutlierConfig): Finding[] {
    if (!isOutflow(record.status)) return [];
    const laoHistory = state.laoAmounts(record.serviceType);
    if (laoHistory.length < config.minObservations) return [];
    // Most amounts are at or below the median, where z ≤ 0 cannot pass a threshold ≥ 0: skip the MAD.
    if (record.amountSatang <= median(laoHistory)) return [];
    const lao: HistoryVerdict = { ...robustZDetail(Math.log10(record.amountSatang), laoHistory.map(Math.log10)), observations: laoHistory.length };
    if (!(lao.z > config.zThreshold)) return [];
    const payeeHistory = state.payeeAmounts(record.serviceType, record.payeeBankCode, record.payeeAccount);
    let payee: HistoryVerdict | null = null;
    if (payeeHistory.length >= config.minObservations) {
      payee = { ...robustZDetail(Math.log10(record.amountSatang), payeeHistory.map(Math.log10)), observations: payeeHistory.length };
      if (!(payee.z > config.zThreshold)) return [];
    }
    return [buildFinding(state, record, lao, payee, config)];
  },
};

/** z for people: one decimal, or ∞ when every earlier amount was the same. */
const showZ = (z: number): string => (Number.isFinite(z) ? z.toFixed(1) : '∞');

/** Evidence of one history. JSON has no Infinity, so an infinite z is null with `zeroDispersion`. */
function historyEvidence(v: HistoryVerdict) {
  return {
    observations: v.observations,
    medianSatang: Math.round(10 ** v.median),
    /** Robust spread of log10(amount): 0.3 means amounts typically vary by a factor of two. */
    madLog10: Math.round(v.mad * 1000) / 1000,
    scale: v.scale,
    robustZ: Number.isFinite(v.z) ? Math.round(v.z * 100) / 100 : null,
    zeroDispersion: !Number.isFinite(v.z),
  };
}

function buildFinding(state: LaoStateView, record: Disbursement, lao: HistoryVerdict, payee: HistoryVerdict | null, config: AmountOutlierConfig): Finding {
  const p = toWindowPayment(record, state.nextSeq);
  const who = payeeLabel(p), where = rowLabel(p), amount = baht(p.amountSatang);
  const same = { th: lao.scale === 'none' ? ' ทุกรายการก่อนหน้าเป็นจำนวนเดียวกัน' : '', en: lao.scale === 'none' ? '; every earlier amount was the same' : '' };
  const payeeTh = payee ? `; ค่ามัธยฐานที่เคยจ่ายให้ผู้รับรายนี้ ${baht(Math.round(10 ** payee.median))} บาท จาก ${payee.observations} รายการ (robust z = ${showZ(payee.z)})` : '';
  const payeeEn = payee ? `; the median this LAO paid this payee is ${baht(Math.round(10 ** payee.median))} baht over ${payee.observations} payments (robust z = ${showZ(payee.z)})` : '';
  return {
    ruleId: amountOutlierRule.id,
    ruleVersion: amountOutlierRule.version,
    severity: 'medium',
    laoCode: state.laoCode,
    subject: { kind: 'payment', key: p.recordId },
    reasons: {
      th: `ยอดเงินสูงผิดปกติ: จ่ายให้ ${who.th} ${amount} บาท เมื่อ ${formatDateTh(p.effectiveDate)} (ประเภทบริการ ${p.serviceType}, ${where.th}) ขณะที่ค่ามัธยฐานของ อปท. สำหรับประเภทนี้คือ ${baht(Math.round(10 ** lao.median))} บาท จาก ${lao.observations} รายการ${same.th} (robust z ของลอการิทึมยอดเงิน = ${showZ(lao.z)}, เกณฑ์ > ${config.zThreshold})${payeeTh} ควรตรวจสอบฎีกาและเอกสารประกอบการจ่ายรายการนี้`,
      en: `Unusually large amount: ${amount} baht paid to ${who.en} on ${p.effectiveDate} (service type ${p.serviceType}, ${where.en}); the LAO's median for this service type is ${baht(Math.round(10 ** lao.median))} baht over ${lao.observations} payments${same.en} (robust z of the log amount = ${showZ(lao.z)}, threshold > ${config.zThreshold})${payeeEn}. Check the voucher and supporting documents of this payment.`,
    },
    evidence: {
      amountSatang: p.amountSatang,
      serviceType: p.serviceType,
      zThreshold: config.zThreshold,
      minObservations: config.minObservations,
      lao: historyEvidence(lao),
      payee: payee ? historyEvidence(payee) : null,
      paymentDetails: [paymentDetail(p)],
    },
    unmasked: unmaskedAccounts([p]),
    payments: [paymentRef(p)],
  };
}
