/**
 * duplicate-payment@2.1.0 — "paid twice": the same voucher paid twice to one payee, or the
 * same account paid the same amount twice within the window for one-off payments.
 *
 * 2.1.0: "without distinct vouchers" (typologies.md) reads the LAO's approved voucher list too: two lines quoting no
 * voucher number, each covered by an approved voucher of its own, are two payments; a standing monthly amount explains
 * one payment a month, not two in the same month.
 */
import { accountKey, daysBetween, isOutflow, thaiDigitsToAscii, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type LaoStateView, type WindowPayment } from '../state/lao-state.ts';
import { baht, compareByDateThenArrival, formatDateTh, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of duplicate-payment. */
export const DuplicatePaymentConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Two payments further apart than this (effective dates, either order) are not compared. */
  windowDays: z.number().int().min(0).max(366).default(30),
  /**
   * Other calendar months in which the account got the very same amount that make it a standing arrangement (a
   * monthly contract, a hired worker paid the same wage), not a second payment.
   */
  standingMonths: z.number().int().min(1).max(24).default(1),
  /** A failed transfer in the bank's report this many days from a bulk line is that line's outcome. */
  retryToleranceDays: z.number().int().min(0).max(30).default(3),
});
/** Parsed duplicate-payment configuration. */
export type DuplicatePaymentConfig = z.infer<typeof DuplicatePaymentConfig>;

/** Why two payments are considered one payment made twice. */
export type DuplicateMatch = 'voucher' | 'account-amount';

/** Voucher numbers are typed by people: compare them without spaces, Thai digits or case. */
export function normaliseVoucher(voucherNo: string | null): string | null {
  if (voucherNo === null) return null;
  const v = thaiDigitsToAscii(voucherNo).replace(/\s+/g, '').toUpperCase();
  return v === '' ? null : v;
}

/**
 * Whether two outflow payments to the same account are one payment made twice (symmetric).
 *
 * Never a duplicate: the same row; a bulk-file line and a report line (the instruction and its
 * outcome are one transfer seen from two sides — pairing them is reconciliation, not this rule);
 * two report lines with the same bank reference (overlapping reports list one transfer twice);
 * two people with different citizen IDs sharing an account (welfare-anomaly's concern).
 * A voucher (ฎีกา) can cover a whole payroll or welfare batch, so a repeated voucher number
 * counts only when it pays the same account again.
 */
export function matchDuplicate(a: WindowPayment, b: WindowPayment, config: DuplicatePaymentConfig, state?: Pick<LaoStateView, 'failedTransfers' | 'monthsPaidAmount' | 'coveringVouchers'>): DuplicateMatch | null {
  if (a.recordId === b.recordId || a.sourceFormat !== b.sourceFormat) return null;
  if (a.payeeBankCode !== b.payeeBankCode || accountKey(a.payeeBankCode, a.payeeAccount) !== accountKey(b.payeeBankCode, b.payeeAccount)) return null;
  if (a.bankReference !== null && a.bankReference === b.bankReference) return null;
  if (a.payeeId !== null && b.payeeId !== null && a.payeeId !== b.payeeId) return null;
  if (Math.abs(daysBetween(a.effectiveDate, b.effectiveDate)) > config.windowDays) return null;
  // A bulk instruction the bank's report shows failed moved no money: the next instruction is its retry.
  if (state && (reportedFailed(a, state, config) || reportedFailed(b, state, config))) return null;
  const va = normaliseVoucher(a.voucherNo), vb = normaliseVoucher(b.voucherNo);
  if (va !== null && va === vb) return 'voucher';
  // Two different approved vouchers are two payments, however alike.
  if (va !== null && vb !== null) return null;
  // Salaries, utilities and allowances repeat the same amount every month by design.
  if (a.recurring || b.recurring) return null;
  if (a.amountSatang !== b.amountSatang) return null;
  // The same amount in a third month too is a standing arrangement (a monthly contract, a hired worker), not a double.
  if (state && standingAmount(a, b, state, config)) return null;
  // The lines quote no voucher, but the LAO's approved list holds one for each: two approved payments, not one twice.
  if (state && distinctVouchers(a, b, state)) return null;
  return 'account-amount';
}

/** True when the LAO's voucher list covers each payment with a voucher of its own (two vouchers, one each). */
function distinctVouchers(a: WindowPayment, b: WindowPayment, state: Pick<LaoStateView, 'coveringVouchers'>): boolean {
  const forA = state.coveringVouchers(a), forB = state.coveringVouchers(b);
  if (!forA || !forB || forA.length === 0 || forB.length === 0) return false;
  // Only one voucher covers both (the same one): it was paid twice.
  return !(forA.length === 1 && forB.length === 1 && forA[0] === forB[0]);
}

/** True when the account was paid the pair's amount, in the pair's source format, in enough other calendar months. */
function standingAmount(a: WindowPayment, b: WindowPayment, state: Pick<LaoStateView, 'monthsPaidAmount'>, config: DuplicatePaymentConfig): boolean {
  const pair = new Set([a.effectiveDate.slice(0, 7), b.effectiveDate.slice(0, 7)]);
  // A standing arrangement is paid once a month: the same amount twice in one month is the second payment it does not explain.
  if (pair.size === 1) return false;
  return state.monthsPaidAmount(a.sourceFormat, a.payeeBankCode, a.payeeAccount, a.amountSatang).filter((m) => !pair.has(m)).length >= config.standingMonths;
}

/** True when a bulk line's transfer shows failed in the bank's report (same account and amount, within `retryToleranceDays`). */
function reportedFailed(p: WindowPayment, state: Pick<LaoStateView, 'failedTransfers'>, config: DuplicatePaymentConfig): boolean {
  if (p.sourceFormat !== 'ktb-bulk') return false;
  // The failure reports the line's own outcome: dated on or after it, within the tolerance (a later line is the retry).
  return state.failedTransfers(p.payeeBankCode, p.payeeAccount).some(([amount, date]) => amount === p.amountSatang && daysBetween(p.effectiveDate, date) >= 0 && daysBetween(p.effectiveDate, date) <= config.retryToleranceDays);
}

interface Earlier { payment: WindowPayment; matchedBy: DuplicateMatch }

/**
 * The rule. The subject is the later payment (by effective date, then arrival), so the alert
 * is the same whichever of the two rows arrives first. When the new record is dated before a
 * payment already seen, that payment's finding is re-issued with all its earlier duplicates,
 * so the upserted alert stays complete.
 */
export const duplicatePaymentRule: Rule<DuplicatePaymentConfig> = {
  id: 'duplicate-payment',
  version: '2.1.0',
  configSchema: DuplicatePaymentConfig,
  windowDays: (config) => config.windowDays,
  evaluate(record: Disbursement, state: LaoStateView, config: DuplicatePaymentConfig): Finding[] {
    // A failed or rejected transfer paid again is a retry, not a second payment.
    if (!isOutflow(record.status)) return [];
    const peers = state.paymentsToPayee(record.payeeBankCode, record.payeeAccount);
    // Most payments are the first to their account in the window: nothing to compare, nothing to build.
    if (peers.length === 0) return [];
    const current = toWindowPayment(record, state.nextSeq, state.isRecurring(record));
    const matched = peers.filter((p) => matchDuplicate(p, current, config, state) !== null);
    if (matched.length === 0) return [];

    const findings: Finding[] = [];
    const pool = [...peers, current];
    const earlierMatches = (later: WindowPayment): Earlier[] =>
      pool
        .filter((q) => compareByDateThenArrival(q, later) < 0)
        .flatMap((q) => { const m = matchDuplicate(q, later, config, state); return m ? [{ payment: q, matchedBy: m }] : []; })
        .sort((x, y) => compareByDateThenArrival(x.payment, y.payment));

    if (matched.some((p) => compareByDateThenArrival(p, current) < 0)) findings.push(buildFinding(state.laoCode, current, earlierMatches(current), config));
    for (const later of matched.filter((p) => compareByDateThenArrival(p, current) > 0).sort(compareByDateThenArrival)) {
      findings.push(buildFinding(state.laoCode, later, earlierMatches(later), config));
    }
    return findings;
  },
};

function buildFinding(laoCode: string, later: WindowPayment, earlier: Earlier[], config: DuplicatePaymentConfig): Finding {
  // Explain with the strongest pair: a repeated voucher, else the closest earlier payment.
  const shown = earlier.find((e) => e.matchedBy === 'voucher') ?? earlier.at(-1)!;
  const first = shown.payment;
  const payee = payeeLabel(later);
  const gap = Math.abs(daysBetween(first.effectiveDate, later.effectiveDate));
  const rowA = rowLabel(first), rowB = rowLabel(later);
  const more = earlier.length - 1;
  const th: string[] = [], en: string[] = [];
  if (shown.matchedBy === 'voucher') {
    th.push(`อาจจ่ายเงินซ้ำ: ฎีกาเลขที่ ${first.voucherNo} จ่ายให้ ${payee.th} แล้วเมื่อ ${formatDateTh(first.effectiveDate)} จำนวน ${baht(first.amountSatang)} บาท (${rowA.th}) และจ่ายอีกครั้งเมื่อ ${formatDateTh(later.effectiveDate)} จำนวน ${baht(later.amountSatang)} บาท (${rowB.th})`);
    en.push(`Possible double payment: voucher ${first.voucherNo} was paid to ${payee.en} on ${first.effectiveDate}, ${baht(first.amountSatang)} baht (${rowA.en}), and again on ${later.effectiveDate}, ${baht(later.amountSatang)} baht (${rowB.en})`);
  } else {
    th.push(`อาจจ่ายเงินซ้ำ: ${payee.th} ได้รับเงินจำนวนเท่ากัน ${baht(later.amountSatang)} บาท สองครั้ง เมื่อ ${formatDateTh(first.effectiveDate)} (${rowA.th}) และ ${formatDateTh(later.effectiveDate)} (${rowB.th}) ห่างกัน ${gap} วัน (เกณฑ์: ภายใน ${config.windowDays} วัน) โดยไม่มีฎีกาแยกกันสำหรับแต่ละรายการ`);
    en.push(`Possible double payment: ${payee.en} received the same amount, ${baht(later.amountSatang)} baht, on ${first.effectiveDate} (${rowA.en}) and on ${later.effectiveDate} (${rowB.en}), ${gap} days apart (threshold: within ${config.windowDays} days), without a separate voucher for each`);
  }
  if (more > 0) { th.push(` และยังตรงกับรายการก่อนหน้าอีก ${more} รายการ`); en.push(`, and matches ${more} more earlier payment(s)`); }
  th.push(' ควรตรวจสอบเอกสารประกอบการจ่ายทุกรายการ และเรียกเงินที่จ่ายเกินคืนหากจ่ายซ้ำจริง');
  en.push('. Check the supporting documents of each payment and recover the overpayment if it was paid twice.');

  const payments = [later, ...earlier.map((e) => e.payment)];
  return {
    ruleId: duplicatePaymentRule.id,
    ruleVersion: duplicatePaymentRule.version,
    severity: 'high',
    laoCode,
    subject: { kind: 'payment', key: later.recordId },
    reasons: { th: th.join(''), en: en.join('') },
    evidence: {
      windowDays: config.windowDays,
      later: later.recordId,
      earlier: earlier.map((e) => ({
        recordId: e.payment.recordId,
        matchedBy: e.matchedBy,
        daysApart: Math.abs(daysBetween(e.payment.effectiveDate, later.effectiveDate)),
        voucherNo: e.payment.voucherNo,
      })),
      paymentDetails: payments.map(paymentDetail),
    },
    unmasked: unmaskedAccounts(payments),
    payments: payments.map(paymentRef),
  };
}
