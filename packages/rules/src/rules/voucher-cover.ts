/** Which approved vouchers cover a payment: shared by no-voucher (per line) and batch-padded (lines of a batch). */
import { daysBetween, type ApprovedVoucher, type Disbursement } from '@paywatch/domain';
import { referenceAccountKey, type VoucherList } from '../state/lao-reference.ts';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';
import { normaliseVoucher } from './duplicate-payment.ts';

/** What a payment must say for a voucher to cover it: a record, or a payment the window keeps. */
export type VoucherMatchable = Pick<Disbursement, 'voucherNo' | 'amountSatang' | 'effectiveDate' | 'payeeBankCode' | 'payeeAccount' | 'payeeName'>;

function payeeMatches(v: ApprovedVoucher, record: VoucherMatchable): boolean {
  if (v.payeeBankCode !== null && v.payeeAccount !== null) return referenceAccountKey(v.payeeBankCode, v.payeeAccount) === referenceAccountKey(record.payeeBankCode, record.payeeAccount);
  if (v.payeeName !== null) return normaliseThaiName(v.payeeName) === normaliseThaiName(record.payeeName);
  // A voucher naming no payee can only be matched on amount and date.
  return true;
}

/**
 * The approved vouchers that cover a payment: the amount is equal, the payee matches (account when the voucher has
 * one, else the normalised name), its date is within `toleranceDays`, and when the payment quotes a voucher number
 * the voucher has that number.
 */
export function coveringVouchers(record: VoucherMatchable, vouchers: VoucherList, toleranceDays: number): ApprovedVoucher[] {
  const number = normaliseVoucher(record.voucherNo);
  return (vouchers.byAmount.get(record.amountSatang) ?? []).filter((v) => Math.abs(daysBetween(v.voucherDate, record.effectiveDate)) <= toleranceDays && payeeMatches(v, record) && (number === null || normaliseVoucher(v.voucherNo) === number));
}
