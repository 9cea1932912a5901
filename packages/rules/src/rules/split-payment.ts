/**
 * split-payment@1.0.0 — threshold avoidance: procurement payments by one LAO to one account,
 * each under a procurement threshold, whose total within the window exceeds it.
 */
import { addDays, daysBetween, isOutflow, Severity, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type LaoStateView, type WindowPayment } from '../state/lao-state.ts';
import { baht, compareByDateThenArrival, formatDateTh, paymentDetail, paymentRef, payeeLabel } from './explain.ts';

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
    /** All payments of a split lie within this many days of each other. */
    windowDays: z.number().int().min(0).max(366).default(30),
    /** Procurement service types (goods and services); salaries, allowances and utilities are not purchases. */
    serviceTypes: uniqueList(ServiceTypeCode).min(1).default(() => ['04', '14']),
    minPayments: z.number().int().min(2).default(2),
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
  version: '1.0.0',
  configSchema: SplitPaymentConfig,
  windowDays: (config) => config.windowDays,
  evaluate(record: Disbursement, state: LaoStateView, config: SplitPaymentConfig): Finding[] {
    if (!isOutflow(record.status) || !config.serviceTypes.includes(record.serviceType)) return [];
    const current = toWindowPayment(record, state.nextSeq);
    const thresholds = [...config.thresholds].sort((a, b) => b.amountSatang - a.amountSatang);
    const largest = thresholds[0]!.amountSatang;
    if (current.amountSatang >= largest) return [];

    const peers = state.paymentsToPayee(record.payeeBankCode, record.payeeAccount);
    // A report repeating a bank reference lists a transfer already counted: it adds nothing.
    if (current.bankReference !== null && peers.some((p) => p.sourceFormat === current.sourceFormat && p.bankReference === current.bankReference)) return [];
    const refs = new Set<string>();
    const pool = [current];
    for (const p of peers) {
      // Only rows of the same kind: a bulk line and a report line of one transfer must not add up.
      if (p.sourceFormat !== current.sourceFormat || !config.serviceTypes.includes(p.serviceType) || p.amountSatang >= largest) continue;
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
        return [buildFinding(state.laoCode, current, anchor, best, threshold, config)];
      }
    }
    return [];
  },
};

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
): Finding {
  const members = cluster.members;
  const firstDate = members[0]!.effectiveDate, lastDate = members.at(-1)!.effectiveDate;
  const span = daysBetween(firstDate, lastDate);
  const payee = payeeLabel(current);
  const t = baht(threshold.amountSatang), sum = baht(cluster.sumSatang), n = members.length;
  return {
    ruleId: splitPaymentRule.id,
    ruleVersion: splitPaymentRule.version,
    severity: threshold.severity,
    laoCode,
    subject: { kind: 'payee', key: `${current.payeeBankCode}:${current.payeeAccount}:${anchor.recordId}` },
    reasons: {
      th: `อาจแบ่งซื้อแบ่งจ้าง: จ่ายให้ ${payee.th} ${n} รายการ ระหว่าง ${formatDateTh(firstDate)} ถึง ${formatDateTh(lastDate)} (${span} วัน) แต่ละรายการต่ำกว่า ${t} บาท แต่รวมกัน ${sum} บาท เกินวงเงิน ${t} บาท (เกณฑ์: ยอดรวมภายใน ${config.windowDays} วัน) ควรตรวจสอบว่าเป็นการจัดซื้อจัดจ้างเรื่องเดียวกันที่แบ่งจ่ายเพื่อหลีกเลี่ยงวิธีการจัดซื้อจัดจ้างที่กำหนดหรือไม่`,
      en: `Possible split purchase: ${n} payments to ${payee.en} between ${firstDate} and ${lastDate} (${span} days), each under ${t} baht, together ${sum} baht, above the ${t} baht procurement threshold (threshold: total within ${config.windowDays} days). Check whether they are one purchase split to avoid the required procurement method.`,
    },
    evidence: {
      thresholdSatang: threshold.amountSatang,
      thresholdsSatang: config.thresholds.map((x) => x.amountSatang).sort((a, b) => a - b),
      windowDays: config.windowDays,
      minPayments: config.minPayments,
      sumSatang: cluster.sumSatang,
      count: n,
      firstDate,
      lastDate,
      spanDays: span,
      seriesAnchorRecordId: anchor.recordId,
      paymentDetails: members.map(paymentDetail),
    },
    payments: members.map(paymentRef),
  };
}
