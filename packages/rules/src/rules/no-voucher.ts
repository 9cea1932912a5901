/**
 * no-voucher@1.0.0 — ghost payment: a paid line for which the LAO's accounting system (e-LAAS) has
 * no approved voucher (ฎีกา) of that amount, to that payee, within a few days. Silent for an LAO
 * whose voucher list has not been loaded.
 */
import { isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { normaliseVoucher } from './duplicate-payment.ts';
import { coveringVouchers } from './voucher-cover.ts';
import { baht, formatDateTh, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of no-voucher. */
export const NoVoucherConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** A voucher dated this many days before or after the payment's effective date still covers it. */
  toleranceDays: z.number().int().min(0).max(60).default(3),
});
/** Parsed no-voucher configuration. */
export type NoVoucherConfig = z.infer<typeof NoVoucherConfig>;

/**
 * The rule. A voucher covers the payment when the amount is equal, the payee matches (account when
 * the voucher has one, else the normalised name) and its date is within `toleranceDays`; when the
 * payment carries a voucher number, the voucher must also have that number.
 */
export const noVoucherRule: Rule<NoVoucherConfig> = {
  id: 'no-voucher',
  version: '2.0.0',
  configSchema: NoVoucherConfig,
  needs: 'vouchers',
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: NoVoucherConfig): Finding[] {
    const vouchers = state.reference.vouchers;
    // One voucher usually covers a whole payroll, utility or allowance batch, so such a line matches no voucher's amount
    // — unless the LAO's accounting keeps a voucher per line there too (then a line without one is a ghost).
    if (!vouchers || !isOutflow(record.status) || (state.isRecurring(record) && !state.perLineRecurringVouchers)) return [];
    const number = normaliseVoucher(record.voucherNo);
    const sameAmount = vouchers.byAmount.get(record.amountSatang) ?? [];
    if (coveringVouchers(record, vouchers, config.toleranceDays).length > 0) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p);
    const numbered = number !== null ? { th: ` ฎีกาเลขที่ ${record.voucherNo} ที่อ้างถึงไม่พบหรือไม่ตรงกัน`, en: `; the voucher it quotes, ${record.voucherNo}, is missing or does not match` } : { th: '', en: '' };
    return [{
      ruleId: noVoucherRule.id,
      ruleVersion: noVoucherRule.version,
      severity: 'high',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `ไม่พบฎีกาอนุมัติ: จ่ายให้ ${who.th} ${baht(p.amountSatang)} บาท เมื่อ ${formatDateTh(p.effectiveDate)} (${where.th}) แต่ไม่มีฎีกาที่อนุมัติในระบบ e-LAAS ซึ่งมียอดเงิน ผู้รับ และวันที่ตรงกัน (เกณฑ์: ± ${config.toleranceDays} วัน)${numbered.th} ควรเรียกฎีกาและเอกสารประกอบการจ่ายมาตรวจสอบ`,
        en: `No approved voucher: ${baht(p.amountSatang)} baht paid to ${who.en} on ${p.effectiveDate} (${where.en}), but no approved e-LAAS voucher has that amount, payee and date (threshold: ± ${config.toleranceDays} days)${numbered.en}. Call for the voucher and its supporting documents.`,
      },
      evidence: {
        toleranceDays: config.toleranceDays,
        voucherNo: record.voucherNo,
        vouchersWithSameAmount: sameAmount.length,
        voucherListVersion: vouchers.version,
        voucherListSize: vouchers.count,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
