/**
 * split-payment@2.0.0 — threshold avoidance (แบ่งซื้อแบ่งจ้าง): one purchase cut into pieces, each under a
 * procurement threshold, that together exceed it. The pieces are procurement payments by one LAO to one account,
 * paid close together (one purchase is ordered, inspected and paid together — by default within a week), and, when
 * the LAO's approved vouchers name their budget items, charged to the same budget item.
 *
 * 2.0.0 (was 1.0.0): the default span of a split is 7 days instead of 30, and pieces charged to different budget
 * items no longer add up. A supplier the LAO buys from every week or month (fuel, materials, a monthly service)
 * easily totals more than 100,000 baht in 30 days on separate orders; that is its rhythm, not a split.
 */
import { accountKey, addDays, daysBetween, isOutflow, Severity, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import { oncePerConfig } from '../once-per-config.ts';
import type { Rule } from '../rule.ts';
import type { LaoReferenceView } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView, type WindowPayment } from '../state/lao-state.ts';
import { normaliseVoucher } from './duplicate-payment.ts';
import { baht, compareByDateThenArrival, formatDateTh, paymentDetail, paymentRef, payeeLabel, unmaskedAccounts } from './explain.ts';

/** A procurement threshold and the severity of splitting around it. */
export const SplitThreshold = z.strictObject({
  amountSatang: z.number().int().min(1),
  severity: Severity,
});
/** Parsed procurement threshold. */
export type SplitThreshold = z.infer<typeof SplitThreshold>;

/** Thresholds of split-payment. */
export const SplitPaymentConfig = z
  .strictObject({
    enabled: z.boolean().default(true),
    /**
     * All pieces of a split lie within this many days of each other (first to last). A split purchase is paid on
     * successive runs of one month, up to about three weeks apart (2.0.0's 7 days missed pieces a fortnight apart on
     * independent data); typologies.md's 30 days would also join a monthly contract's consecutive payments, 28–31
     * days apart, which is the rhythm of a regular supplier, not a purchase cut into pieces.
     */
    windowDays: z.number().int().min(0).max(366).default(21),
    /** Procurement service types (goods and services); salaries, allowances and utilities are not purchases. */
    serviceTypes: uniqueList(ServiceTypeCode).min(1).default(() => ['04', '14']),
    minPayments: z.number().int().min(2).default(2),
    /**
     * When the LAO's approved vouchers (e-LAAS) name the budget item of two pieces and the items differ, they pay for
     * different things and do not add up. A piece whose item is unknown (no voucher list, no voucher number, or a
     * voucher without an item) still counts: missing data must not hide a split.
     */
    sameBudgetItem: z.boolean().default(true),
    /** A single inspector up to 100,000 baht, the specific method up to 500,000 baht (domain.md). */
    thresholds: z.array(SplitThreshold).min(1).default((): SplitThreshold[] => [
      { amountSatang: 10_000_000, severity: 'medium' },
      { amountSatang: 50_000_000, severity: 'high' },
    ]),
  })
  .refine((c) => new Set(c.thresholds.map((t) => t.amountSatang)).size === c.thresholds.length, { message: 'thresholds must not repeat an amount', path: ['thresholds'] });
/** Parsed split-payment configuration. */
export type SplitPaymentConfig = z.infer<typeof SplitPaymentConfig>;

interface Cluster { members: WindowPayment[]; sumSatang: number }

/**
 * The rule. Each new procurement payment is checked against the windows that contain it; the
 * highest threshold crossed is reported, with the payments of the window with the largest total.
 *
 * Subject key `${bank}:${account}:${anchorRecordId}`. The anchor is the first payment to ARRIVE
 * in the run of this account's procurement payments that are chained by gaps of at most
 * `windowDays` (the "series"). A further payment joins the run and arrives later, so it cannot
 * become the anchor: the key, and so the alertId, stays the same and the alert is updated, not
 * duplicated — also when the new payment is dated before the others (files come in file order),
 * which would change an anchor chosen by date. The threshold is not in the key, so a series that
 * grows past 500,000 baht raises the same alert's severity rather than opening a second alert.
 * The key changes only when the anchor has left the date window or two series merge.
 */
export const splitPaymentRule: Rule<SplitPaymentConfig> = {
  id: 'split-payment',
  version: '3.0.0',
  configSchema: SplitPaymentConfig,
  windowDays: (config) => config.windowDays,
  evaluate(record: Disbursement, state: LaoStateView, config: SplitPaymentConfig): Finding[] {
    if (!isOutflow(record.status) || !config.serviceTypes.includes(record.serviceType)) return [];
    const thresholds = thresholdsOf(config);
    const largest = thresholds[0]!.amountSatang;
    if (record.amountSatang >= largest) return [];

    const peers = state.paymentsToPayee(record.payeeBankCode, record.payeeAccount);
    // The pool below is at most this payment and those: too few to be a split, so nothing to build.
    if (peers.length + 1 < config.minPayments) return [];
    const current = toWindowPayment(record, state.nextSeq);
    // A report repeating a bank reference lists a transfer already counted: it adds nothing.
    if (current.bankReference !== null && peers.some((p) => p.sourceFormat === current.sourceFormat && p.bankReference === current.bankReference)) return [];
    // A report line whose instruction (same account, amount and date) came in a bulk file is the same transfer seen
    // from the bank's side: the bulk lines already spoke for it, and a second alert would name the same money twice.
    if (current.sourceFormat !== 'ktb-bulk' && peers.some((p) => p.sourceFormat === 'ktb-bulk' && p.amountSatang === current.amountSatang && p.effectiveDate === current.effectiveDate)) return [];
    const refs = new Set<string>();
    const pool = [current];
    const item = config.sameBudgetItem ? budgetItemOf(current, state.reference) : null;
    for (const p of peers) {
      // Only rows of the same kind: a bulk line and a report line of one transfer must not add up.
      if (p.sourceFormat !== current.sourceFormat || !config.serviceTypes.includes(p.serviceType) || p.amountSatang >= largest) continue;
      if (item !== null) { const other = budgetItemOf(p, state.reference); if (other !== null && other !== item) continue; }
      if (p.bankReference !== null) { if (refs.has(p.bankReference)) continue; refs.add(p.bankReference); }
      pool.push(p);
    }
    if (pool.length < config.minPayments) return [];
    pool.sort(compareByDateThenArrival);

    for (const threshold of thresholds) {
      if (current.amountSatang >= threshold.amountSatang) continue;
      const best = largestWindow(pool.filter((p) => p.amountSatang < threshold.amountSatang), current, config.windowDays);
      if (best.members.length >= config.minPayments && best.sumSatang > threshold.amountSatang) {
        const anchor = seriesAnchor(pool, current, config.windowDays);
        return [buildFinding(state.laoCode, current, anchor, best, threshold, config, item)];
      }
    }
    return [];
  },
};

/** The thresholds, largest first; sorted once per configuration rather than per record. */
const thresholdsOf = oncePerConfig((config: SplitPaymentConfig): SplitPaymentConfig['thresholds'] => [...config.thresholds].sort((a, b) => b.amountSatang - a.amountSatang));

/**
 * The budget item (หมวด/รายการงบประมาณ) of the approved voucher a payment was made on, normalised for comparison;
 * null when unknown. The voucher is found by number and amount, as no-voucher matches it.
 */
function budgetItemOf(p: WindowPayment, reference: LaoReferenceView): string | null {
  if (reference.vouchers === undefined) return null;
  const number = normaliseVoucher(p.voucherNo);
  if (number === null) return null;
  const voucher = reference.vouchers.byAmount.get(p.amountSatang)?.find((v) => normaliseVoucher(v.voucherNo) === number);
  const item = voucher?.budgetItem?.replace(/\s+/g, ' ').trim();
  return item ? item : null;
}

/** The window of `windowDays` containing `current` whose payments add up to the most (ties: more payments, then earlier). */
function largestWindow(eligible: WindowPayment[], current: WindowPayment, windowDays: number): Cluster {
  const earliestStart = addDays(current.effectiveDate, -windowDays);
  let best: Cluster | null = null;
  for (const start of eligible) {
    if (start.effectiveDate < earliestStart || start.effectiveDate > current.effectiveDate) continue;
    const end = addDays(start.effectiveDate, windowDays);
    const members = eligible.filter((p) => p.effectiveDate >= start.effectiveDate && p.effectiveDate <= end);
    const sumSatang = members.reduce((sum, p) => sum + p.amountSatang, 0);
    if (!best || sumSatang > best.sumSatang || (sumSatang === best.sumSatang && members.length > best.members.length)) best = { members, sumSatang };
  }
  // `current` is itself a valid start, so there is always a window.
  return best!;
}

/** The first-arrived payment of the date-chained run (gaps ≤ windowDays) that contains `current`; `pool` is date-sorted. */
function seriesAnchor(pool: WindowPayment[], current: WindowPayment, windowDays: number): WindowPayment {
  const at = pool.indexOf(current);
  let lo = at, hi = at;
  while (lo > 0 && daysBetween(pool[lo - 1]!.effectiveDate, pool[lo]!.effectiveDate) <= windowDays) lo--;
  while (hi < pool.length - 1 && daysBetween(pool[hi]!.effectiveDate, pool[hi + 1]!.effectiveDate) <= windowDays) hi++;
  return pool.slice(lo, hi + 1).reduce((a, b) => (b.seq < a.seq ? b : a));
}

function buildFinding(
  laoCode: string,
  current: WindowPayment,
  anchor: WindowPayment,
  cluster: Cluster,
  threshold: { amountSatang: number; severity: Severity },
  config: SplitPaymentConfig,
  item: string | null,
): Finding {
  const members = cluster.members;
  const firstDate = members[0]!.effectiveDate, lastDate = members.at(-1)!.effectiveDate;
  const span = daysBetween(firstDate, lastDate);
  const payee = payeeLabel(current);
  const t = baht(threshold.amountSatang), sum = baht(cluster.sumSatang), n = members.length;
  const itemTh = item === null ? '' : ` รายการงบประมาณ "${item}"`, itemEn = item === null ? '' : ` charged to budget item "${item}"`;
  return {
    ruleId: splitPaymentRule.id,
    ruleVersion: splitPaymentRule.version,
    severity: threshold.severity,
    laoCode,
    subject: { kind: 'payee', key: `${accountKey(current.payeeBankCode, current.payeeAccount)}:${anchor.recordId}` },
    reasons: {
      th: `อาจแบ่งซื้อแบ่งจ้าง: จ่ายให้ ${payee.th} ${n} รายการ${itemTh} ระหว่าง ${formatDateTh(firstDate)} ถึง ${formatDateTh(lastDate)} (${span} วัน) แต่ละรายการต่ำกว่า ${t} บาท แต่รวมกัน ${sum} บาท เกินวงเงิน ${t} บาท (เกณฑ์: ยอดรวมภายใน ${config.windowDays} วัน) ควรตรวจสอบว่าเป็นการจัดซื้อจัดจ้างเรื่องเดียวกันที่แบ่งจ่ายเพื่อหลีกเลี่ยงวิธีการจัดซื้อจัดจ้างที่กำหนดหรือไม่`,
      en: `Possible split purchase: ${n} payments to ${payee.en}${itemEn} between ${firstDate} and ${lastDate} (${span} days), each under ${t} baht, together ${sum} baht, above the ${t} baht procurement threshold (threshold: total within ${config.windowDays} days). Check whether they are one purchase split to avoid the required procurement method.`,
    },
    evidence: {
      thresholdSatang: threshold.amountSatang,
      thresholdsSatang: config.thresholds.map((x) => x.amountSatang).sort((a, b) => a - b),
      windowDays: config.windowDays,
      minPayments: config.minPayments,
      budgetItem: item,
      sumSatang: cluster.sumSatang,
      count: n,
      firstDate,
      lastDate,
      spanDays: span,
      seriesAnchorRecordId: anchor.recordId,
      paymentDetails: members.map(paymentDetail),
    },
    unmasked: unmaskedAccounts(members),
    payments: members.map(paymentRef),
  };
}
