/**
 * velocity-spike@2.1.0 — a sudden surge: an LAO's outflow on one day (count and amount) far above
 * what it pays on the same weekday in the weeks before (Ubon Ratchathani: 39 M baht out in two weeks).
 *
 * 2.1.0: a day paid before there was any baseline (the first days of a new deployment) is judged once against the
 * paying days that follow it (`lookBackAfterDays`), instead of never.
 */
import { addDays, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { robustZDetail, type RobustZ } from '../stats/robust-z.ts';
import { toWindowPayment, type DayTotal, type LaoStateView, type WindowPayment } from '../state/lao-state.ts';
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
  shortBaselineMinDays: z.number().int().min(1).default(1),
  /** … the day must have this many times the median count and amount of those days (and twice `minDayCount` payments). */
  shortBaselineRatio: z.number().min(1).default(4),
  /**
   * A day paid before the LAO had `shortBaselineMinDays` earlier paying days (the first days of a new deployment) could
   * not be judged when it happened: it is judged once, by `shortBaselineRatio`, against the paying days that came after
   * it, as soon as this many of them exist. 0 turns the look-back off.
   */
  lookBackAfterDays: z.number().int().min(0).default(2),
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

/**
 * The paying days (count > 0) every `step` days back from `date` over `baselineWeeks`, not before `earliest`, most
 * recent first; their dates go into `dates` when given (a module function: a closure per record cost more than the walk).
 */
function activeDays(state: LaoStateView, date: string, format: Disbursement['sourceFormat'], earliest: string, step: number, baselineWeeks: number, dates?: string[]): DayTotal[] {
  const out: DayTotal[] = [];
  for (let back = step; back <= 7 * baselineWeeks; back += step) {
    const day = addDays(date, -back);
    if (day < earliest) break;
    const t = state.dayTotal(day, format);
    if (t.count > 0) { out.push(t); dates?.push(day); }
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
  version: '2.1.0',
  configSchema: VelocitySpikeConfig,
  // The look-back points at the early day's payments: the window keeps a month of them (other rules keep as much).
  windowDays: (config) => (config.lookBackAfterDays > 0 ? LOOK_BACK_WINDOW_DAYS : 0),
  evaluate(record: Disbursement, state: LaoStateView, config: VelocitySpikeConfig): Finding[] {
    if (!isOutflow(record.status) || config.excludedServiceTypes.includes(record.serviceType) || state.isRecurring(record)) return [];
    const date = record.effectiveDate, format = record.sourceFormat;
    const before = state.dayTotal(date, format);
    const count = before.count + 1, amount = before.amountSatang + record.amountSatang;
    if (state.firstDate === null) return [];
    const earliest = state.oldestDayKept !== null && state.oldestDayKept > state.firstDate ? state.oldestDayKept : state.firstDate;
    // The first record of a paying day is when the days before it are complete: the time to look back at early days.
    const looked = before.count === 0 && config.lookBackAfterDays > 0 ? lookBack(record, state, config, earliest) : [];
    if (count < config.minDayCount) return looked;
    return [...looked, ...judgeToday(record, state, config, earliest, count, amount)];
  },
};

/** Today's verdict, against the same weekdays, else every paying day, else a short history. */
function judgeToday(record: Disbursement, state: LaoStateView, config: VelocitySpikeConfig, earliest: string, count: number, amount: number): Finding[] {
    const date = record.effectiveDate, format = record.sourceFormat;
    let baseline = activeDays(state, date, format, earliest, 7, config.baselineWeeks);
    let baselineKind: BaselineKind = 'same-weekday';
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
    return [surgeFinding(state, config, { date, format, count, amount, baselineKind, counts, zCount, zAmount }, [toWindowPayment(record, state.nextSeq)])];
}

/**
 * The early days (paid before `shortBaselineMinDays` earlier paying days existed) judged against the paying days after
 * them, as soon as `lookBackAfterDays` of those exist. Called on the first record of each paying day, so each early
 * day is judged exactly once: when the paying days before today that came after it number `lookBackAfterDays`.
 */
function lookBack(record: Disbursement, state: LaoStateView, config: VelocitySpikeConfig, earliest: string): Finding[] {
  const format = record.sourceFormat, dates: string[] = [];
  const totals = activeDays(state, record.effectiveDate, format, earliest, 1, config.baselineWeeks, dates);
  // totals[k] has k paying days after it (before today): the early day due now is the one with exactly lookBackAfterDays.
  const k = config.lookBackAfterDays, early = totals[k], earlyDate = dates[k];
  if (!early || !earlyDate || early.count < 2 * config.minDayCount) return [];
  // Early only if it had too few paying days before it (days expire; a long-running LAO has no early days).
  if (activeDays(state, earlyDate, format, earliest, 1, config.baselineWeeks).length >= config.shortBaselineMinDays) return [];
  const others = totals.filter((_, i) => i !== k);
  const counts = others.map((t) => t.count), amounts = others.map((t) => t.amountSatang);
  const zCount = robustZDetail(early.count, counts), zAmount = robustZDetail(early.amountSatang, amounts);
  if (!(early.count >= config.shortBaselineRatio * zCount.median && early.amountSatang >= config.shortBaselineRatio * zAmount.median)) return [];
  const payments = dayPayments(state, earlyDate, format, config);
  // An alert points at payments; a day already out of the window (its later days came more than a month after it) has none left.
  if (payments.length === 0) return [];
  return [surgeFinding(state, config, { date: earlyDate, format, count: early.count, amount: early.amountSatang, baselineKind: 'later-days', counts, zCount, zAmount }, payments)];
}

/** The day's counted payments the window still holds, in arrival order (an alert points at what it can). */
function dayPayments(state: LaoStateView, date: string, format: Disbursement['sourceFormat'], config: VelocitySpikeConfig): WindowPayment[] {
  const out: WindowPayment[] = [];
  for (const list of state.windowByPayee()) for (const p of list) {
    if (p.effectiveDate === date && p.sourceFormat === format && !p.recurring && !config.excludedServiceTypes.includes(p.serviceType)) out.push(p);
  }
  return out.sort((a, b) => a.seq - b.seq).slice(0, MAX_DAY_PAYMENTS);
}
const MAX_DAY_PAYMENTS = 50;
const LOOK_BACK_WINDOW_DAYS = 31;

type BaselineKind = 'same-weekday' | 'paying-days' | 'short-history' | 'later-days';
interface Surge { date: string; format: Disbursement['sourceFormat']; count: number; amount: number; baselineKind: BaselineKind; counts: number[]; zCount: RobustZ; zAmount: RobustZ }

const BASELINE_TEXT: Record<BaselineKind, { th: string; en: string }> = {
  'same-weekday': { th: 'วันเดียวกันของสัปดาห์', en: 'paying days on the same weekday' },
  'paying-days': { th: 'วันที่มีการจ่ายเงิน', en: 'paying days' },
  'short-history': { th: 'วันที่มีการจ่ายเงิน', en: 'paying days' },
  'later-days': { th: 'วันที่มีการจ่ายเงินถัดมา (ก่อนวันนี้ยังไม่มีประวัติ)', en: 'paying days that followed (there were none before it)' },
};

function surgeFinding(state: LaoStateView, config: VelocitySpikeConfig, s: Surge, payments: readonly WindowPayment[]): Finding {
  const { date, format, count, amount, baselineKind, counts, zCount, zAmount } = s;
  const ratioRule = baselineKind === 'short-history' || baselineKind === 'later-days';
  const where = BASELINE_TEXT[baselineKind];
  const span = baselineKind === 'later-days' ? { th: 'ที่ตามมา', en: 'that followed' } : { th: `ในช่วง ${config.baselineWeeks} สัปดาห์ก่อนหน้า`, en: `of the ${config.baselineWeeks} weeks before` };
  return {
      ruleId: velocitySpikeRule.id,
      ruleVersion: velocitySpikeRule.version,
      severity: 'high',
      laoCode: state.laoCode,
      subject: { kind: 'lao-period', key: `day-${date}` },
      reasons: {
        th: `ยอดโอนออกในวันเดียวสูงผิดปกติ: วันที่ ${formatDateTh(date)} อปท. โอนเงิน ${count} รายการ รวม ${baht(amount)} บาท ขณะที่${where.th} ${counts.length} วัน${span.th}มีค่ามัธยฐาน ${zCount.median} รายการ ${baht(Math.round(zAmount.median))} บาท (${ratioRule ? `ประวัติยังสั้น: เกณฑ์ ${config.shortBaselineRatio} เท่าของค่ามัธยฐานทั้งสองค่า` : `robust z: จำนวนรายการ ${showZ(zCount.z)}, ยอดเงิน ${showZ(zAmount.z)}; เกณฑ์ > ${config.zThreshold} ทั้งสองค่า`} ไม่นับเงินเดือน ค่าสาธารณูปโภค และเบี้ยยังชีพ) ควรตรวจสอบรายการโอนทั้งหมดของวันนี้กับฎีกาที่อนุมัติ`,
        en: `Unusual surge of outflow: on ${date} the LAO transferred ${count} payments totalling ${baht(amount)} baht, while the LAO's ${counts.length} ${where.en} ${span.en} had a median of ${zCount.median} payments and ${baht(Math.round(zAmount.median))} baht (${ratioRule ? `short history: threshold ${config.shortBaselineRatio} × the median of both` : `robust z: count ${showZ(zCount.z)}, amount ${showZ(zAmount.z)}; threshold > ${config.zThreshold} for both`}; salaries, utilities and allowances not counted). Check every transfer of the day against the approved vouchers.`,
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
        paymentDetails: payments.map(paymentDetail),
      },
      unmasked: unmaskedAccounts(payments),
      payments: payments.map(paymentRef),
  };
}
