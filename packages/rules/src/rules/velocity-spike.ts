/**
 * velocity-spike@1.0.0 — a sudden surge: an LAO's outflow on one day (count and amount) far above
 * what it pays on the same weekday in the weeks before (Ubon Ratchathani: 39 M baht out in two weeks).
 */
import { addDays, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { robustZDetail, type RobustZ } from '../stats/robust-z.ts';
import { toWindowPayment, type DayTotal, type LaoStateView } from '../state/lao-state.ts';
import { baht, formatDateTh, paymentDetail, paymentRef, unmaskedAccounts } from './explain.ts';

/** Thresholds of velocity-spike. */
export const VelocitySpikeConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Both the day's count and its amount must have a robust z above this against the baseline. */
  zThreshold: z.number().min(0).default(5),
  /** Same weekdays looked back at (and kept as daily totals in the state). */
  baselineWeeks: z.number().int().min(2).max(53).default(12),
  /** Fewer baseline days (days with payments) than this (a new LAO, a gap in the data): no verdict. */
  minBaselineDays: z.number().int().min(2).default(8),
  /** With fewer baseline days than `minBaselineDays` but at least this many, a short history decides by ratio. */
  shortBaselineMinDays: z.number().int().min(1).default(2),
  /** … the day must have this many times the median count and amount of those days (and twice `minDayCount` payments). */
  shortBaselineRatio: z.number().min(1).default(4),
  /** A day with fewer payments than this is no surge, whatever the baseline (a Saturday with two transfers is off-hours' business). */
  minDayCount: z.number().int().min(1).default(5),
  /**
   * Not counted in the daily totals: payroll, utilities and allowance days come once a month
   * on whatever weekday the date falls, and would look like a surge against the weeks between.
   */
  excludedServiceTypes: uniqueList(ServiceTypeCode).default(() => ['01', '02', '10', '11', '12']),
});
/** Parsed velocity-spike configuration. */
export type VelocitySpikeConfig = z.infer<typeof VelocitySpikeConfig>;

/** The paying days (count > 0) every `step` days back from `date` over `baselineWeeks`, not before `earliest` (a module function: a closure per record cost more than the walk). */
function activeDays(state: LaoStateView, date: string, format: Disbursement['sourceFormat'], earliest: string, step: number, baselineWeeks: number): DayTotal[] {
  const out: DayTotal[] = [];
  for (let back = step; back <= 7 * baselineWeeks; back += step) {
    const day = addDays(date, -back);
    if (day < earliest) break;
    const t = state.dayTotal(day, format);
    if (t.count > 0) out.push(t);
  }
  return out;
}

const showZ = (z: number): string => (Number.isFinite(z) ? z.toFixed(1) : '∞');
const zEvidence = (v: RobustZ) => ({ median: v.median, robustZ: Number.isFinite(v.z) ? Math.round(v.z * 100) / 100 : null, zeroDispersion: !Number.isFinite(v.z) });

/**
 * The rule. Evaluated on every payment, with the day's totals including it. The baseline is the
 * days ON WHICH THE LAO PAID on the same weekday in the `baselineWeeks` weeks before; when there
 * are fewer than `minBaselineDays` of those, every day it paid in those weeks. Days without
 * payments are left out: LAOs pay in batches a few days a month, and against a baseline of mostly
 * empty days every ordinary batch day would look like a surge (the synthetic world of `pnpm quality`
 * gave 119 such alerts in 10,000 payments). A surge is a day far above the LAO's ordinary paying
 * days. Only days the state still holds count. Totals are per source format. Subject `lao-period`
 * keyed `day-${date}`: the day's alert is updated as the day grows.
 */
export const velocitySpikeRule: Rule<VelocitySpikeConfig> = {
  id: 'velocity-spike',
  version: '2.0.0',
  configSchema: VelocitySpikeConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: VelocitySpikeConfig): Finding[] {
    if (!isOutflow(record.status) || config.excludedServiceTypes.includes(record.serviceType) || state.isRecurring(record)) return [];
    const date = record.effectiveDate, format = record.sourceFormat;
    const before = state.dayTotal(date, format);
    const count = before.count + 1, amount = before.amountSatang + record.amountSatang;
    if (count < config.minDayCount || state.firstDate === null) return [];
    const earliest = state.oldestDayKept !== null && state.oldestDayKept > state.firstDate ? state.oldestDayKept : state.firstDate;
    let baseline = activeDays(state, date, format, earliest, 7, config.baselineWeeks);
    let baselineKind: 'same-weekday' | 'paying-days' | 'short-history' = 'same-weekday';
    if (baseline.length < config.minBaselineDays) { baseline = activeDays(state, date, format, earliest, 1, config.baselineWeeks); baselineKind = 'paying-days'; }
    // A new deployment has weeks, not months: a few earlier paying days still say what an ordinary one looks like,
    // so a day several times their median (count and amount) is a surge; the robust z needs more days to mean much.
    if (baseline.length < config.minBaselineDays) {
      if (baseline.length < config.shortBaselineMinDays || count < 2 * config.minDayCount) return [];
      baselineKind = 'short-history';
    }
    const counts = baseline.map((t) => t.count), amounts = baseline.map((t) => t.amountSatang);
    const zCount = robustZDetail(count, counts), zAmount = robustZDetail(amount, amounts);
    const surge = baselineKind === 'short-history'
      ? count >= config.shortBaselineRatio * zCount.median && amount >= config.shortBaselineRatio * zAmount.median
      : zCount.z > config.zThreshold && zAmount.z > config.zThreshold;
    if (!surge) return [];

    const p = toWindowPayment(record, state.nextSeq);
    return [{
      ruleId: velocitySpikeRule.id,
      ruleVersion: velocitySpikeRule.version,
      severity: 'high',
      laoCode: state.laoCode,
      subject: { kind: 'lao-period', key: `day-${date}` },
      reasons: {
        th: `ยอดโอนออกในวันเดียวสูงผิดปกติ: วันที่ ${formatDateTh(date)} อปท. โอนเงิน ${count} รายการ รวม ${baht(amount)} บาท ขณะที่${baselineKind === 'same-weekday' ? 'วันเดียวกันของสัปดาห์' : 'วันที่มีการจ่ายเงิน'} ${counts.length} วันในช่วง ${config.baselineWeeks} สัปดาห์ก่อนหน้ามีค่ามัธยฐาน ${zCount.median} รายการ ${baht(Math.round(zAmount.median))} บาท (${baselineKind === 'short-history' ? `ประวัติยังสั้น: เกณฑ์ ${config.shortBaselineRatio} เท่าของค่ามัธยฐานทั้งสองค่า` : `robust z: จำนวนรายการ ${showZ(zCount.z)}, ยอดเงิน ${showZ(zAmount.z)}; เกณฑ์ > ${config.zThreshold} ทั้งสองค่า`} ไม่นับเงินเดือน ค่าสาธารณูปโภค และเบี้ยยังชีพ) ควรตรวจสอบรายการโอนทั้งหมดของวันนี้กับฎีกาที่อนุมัติ`,
        en: `Unusual surge of outflow: on ${date} the LAO transferred ${count} payments totalling ${baht(amount)} baht, while the LAO's ${counts.length} ${baselineKind === 'same-weekday' ? 'paying days on the same weekday' : 'paying days'} of the ${config.baselineWeeks} weeks before had a median of ${zCount.median} payments and ${baht(Math.round(zAmount.median))} baht (${baselineKind === 'short-history' ? `short history: threshold ${config.shortBaselineRatio} × the median of both` : `robust z: count ${showZ(zCount.z)}, amount ${showZ(zAmount.z)}; threshold > ${config.zThreshold} for both`}; salaries, utilities and allowances not counted). Check every transfer of the day against the approved vouchers.`,
      },
      evidence: {
        date,
        sourceFormat: format,
        dayCount: count,
        dayAmountSatang: amount,
        baselineDays: counts.length,
        baseline: baselineKind,
        minBaselineDays: config.minBaselineDays,
        zThreshold: config.zThreshold,
        count: zEvidence(zCount),
        amount: { ...zEvidence(zAmount), median: Math.round(zAmount.median) },
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
