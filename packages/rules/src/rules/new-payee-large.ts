/**
 * new-payee-large@1.0.0 — a first-time payee receiving a large sum: an account this LAO never
 * paid before gets more than the LAO's 95th percentile of one-off payments.
 */
import { isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { quantile } from 'simple-statistics';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { referenceAccountKey } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of new-payee-large. */
export const NewPayeeLargeConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** The amount must be above this quantile of the LAO's one-off payments. */
  quantile: z.number().gt(0).lt(1).default(0.95),
  /** Fewer one-off payments than this say nothing about what is large for the LAO. */
  minObservations: z.number().int().min(2).default(50),
  /** Recurring payments (salary, utilities, allowances): a new account for them is a new employee or meter, not a one-off payee. */
  recurringServiceTypes: uniqueList(ServiceTypeCode).default(() => ['01', '02', '10', '11', '12', '59']),
});
/** Parsed new-payee-large configuration. */
export type NewPayeeLargeConfig = z.infer<typeof NewPayeeLargeConfig>;

/**
 * The rule. "Never paid" is as far as the engine remembers: the least recently paid of more than
 * `state.maxPayeeHistories` accounts is forgotten. The one-off sample is the LAO's recent amounts
 * of every non-recurring service type (`state.laoHistorySize` per type). When the LAO's payee
 * register is loaded, an account registered there (active) is not new either.
 */
export const newPayeeLargeRule: Rule<NewPayeeLargeConfig> = {
  id: 'new-payee-large',
  version: '1.0.0',
  configSchema: NewPayeeLargeConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: NewPayeeLargeConfig): Finding[] {
    if (!isOutflow(record.status) || config.recurringServiceTypes.includes(record.serviceType)) return [];
    if (state.payeeNames(record.payeeBankCode, record.payeeAccount) !== undefined) return [];
    const registered = state.reference.payees?.byAccount.get(referenceAccountKey(record.payeeBankCode, record.payeeAccount));
    if (registered?.some((e) => e.status === 'active')) return [];
    const histories = state.serviceTypes().filter((st) => !config.recurringServiceTypes.includes(st)).map((st) => state.laoAmounts(st));
    let size = 0, below = 0;
    for (const h of histories) { size += h.length; for (const a of h) if (a < record.amountSatang) below++; }
    if (size < config.minObservations) return [];
    // Exceeding the (interpolated) q-quantile needs at least ⌊n·q⌋ − 1 smaller amounts: a count rules out most payments without sorting.
    if (below < Math.floor(size * config.quantile) - 1) return [];
    const sample = histories.flat();
    const limit = quantile(sample, config.quantile);
    if (!(record.amountSatang > limit)) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p), pct = Math.round(config.quantile * 100);
    return [{
      ruleId: newPayeeLargeRule.id,
      ruleVersion: newPayeeLargeRule.version,
      severity: 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `ผู้รับเงินรายใหม่ได้รับเงินจำนวนมาก: ${who.th} ไม่เคยได้รับเงินจาก อปท. นี้มาก่อน แต่ได้รับ ${baht(p.amountSatang)} บาท (${where.th}) สูงกว่าเปอร์เซ็นไทล์ที่ ${pct} ของรายการจ่ายครั้งเดียวของ อปท. (${baht(Math.round(limit))} บาท จาก ${sample.length} รายการ) ควรตรวจสอบแบบแจ้งข้อมูลการรับเงินโอน สัญญา และฎีกาของรายการนี้`,
        en: `New payee, large payment: ${who.en} was never paid by this LAO before and received ${baht(p.amountSatang)} baht (${where.en}), above the ${pct}th percentile of the LAO's one-off payments (${baht(Math.round(limit))} baht over ${sample.length} payments). Check the payee registration form, the contract and the voucher of this payment.`,
      },
      evidence: {
        amountSatang: p.amountSatang,
        quantile: config.quantile,
        quantileSatang: Math.round(limit),
        observations: sample.length,
        minObservations: config.minObservations,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
