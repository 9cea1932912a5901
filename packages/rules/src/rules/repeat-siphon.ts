/**
 * repeat-siphon@2.1.0 — many transfers to one non-vendor account: the Lad Yao pattern (215
 * unauthorised transfers), where one account receives transfer after transfer, far more often
 * than it ever did. 2.0.0 compares the count with the account's own earlier months (typologies.md), where 1.0.0
 * compared it with the LAO's other accounts and stayed silent for an account with no history.
 *
 * 2.1.0: a registration vouches for an account only under the name it was registered with, and never for an account
 * the LAO pays wages into. A staff member's salary account is on the payee register (that is how payroll reaches
 * it), so under 2.0.0 every transfer to it — written under a shop's name or the person's own — counted as a vendor's,
 * and the insider's month of transfers (found only by payee-not-registered and no-voucher) went unseen.
 */
import { accountKey, addDays, daysBetween, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { robustZDetail } from '../stats/robust-z.ts';
import { referenceAccountKey } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView, type WindowPayment } from '../state/lao-state.ts';
import { looksLikeBusiness, normaliseThaiName } from '../text/normalise-thai-name.ts';
import { baht, compareByDateThenArrival, formatDateTh, paymentDetail, paymentRef, payeeLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of repeat-siphon. */
export const RepeatSiphonConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Transfers are counted over this many days ending on the payment's effective date. */
  windowDays: z.number().int().min(1).max(366).default(30),
  /** More transfers than this to one account in the window … */
  minCount: z.number().int().min(1).default(5),
  /** … and a robust z of that count against the account's own monthly counts before (when it has any) above this. */
  zThreshold: z.number().min(0).default(4),
  /** Months of the account's own history compared with (at most `state.accountMonthsKept`). */
  historyMonths: z.number().int().min(1).max(36).default(12),
  /**
   * The typology is about non-vendor accounts: a firm (legal form or shop word in the name) or an
   * active payee of the LAO's register is a vendor, and vendors (fuel, supplies) are paid often.
   */
  skipVendors: z.boolean().default(true),
  /** A payee registered this many days or fewer before the transfer is not yet an established vendor. */
  recentRegistrationDays: z.number().int().min(0).default(90),
  /** Wages (salary, regular pay): an account the LAO pays these into is a person on its payroll, never a vendor (2.1.0). */
  wageServiceTypes: uniqueList(ServiceTypeCode).default(() => ['01', '02']),
});
/** Parsed repeat-siphon configuration. */
export type RepeatSiphonConfig = z.infer<typeof RepeatSiphonConfig>;

/**
 * The one-off payments of one account in [from, to] that count: rows of the record's own source
 * format (a bulk line and the report line of one transfer are one transfer), each bank reference once.
 */
function counted(list: readonly WindowPayment[], format: WindowPayment['sourceFormat'], from: string, to: string): WindowPayment[] {
  const refs = new Set<string>();
  const out: WindowPayment[] = [];
  for (const p of list) {
    if (p.sourceFormat !== format || p.effectiveDate < from || p.effectiveDate > to || p.recurring) continue;
    if (p.bankReference !== null) { if (refs.has(p.bankReference)) continue; refs.add(p.bankReference); }
    out.push(p);
  }
  return out;
}

/**
 * A vendor's account: an active payee of the LAO's register, or one every payment to which (this one too) names a
 * firm. Never a staff member's account: transfers to an insider written under a shop's name are the disguise this
 * rule must see through, so one person's name among the firms makes the account a person's.
 */
function isVendorAccount(record: Disbursement, own: readonly WindowPayment[], state: LaoStateView, config: RepeatSiphonConfig): boolean {
  const key = referenceAccountKey(record.payeeBankCode, record.payeeAccount);
  if ((state.reference.staff?.byAccount.get(key)?.length ?? 0) > 0) return false;
  // Wages paid into the account make it a person's on the payroll (its registration is the payroll's, not a vendor's).
  if (own.some((p) => config.wageServiceTypes.includes(p.serviceType))) return false;
  // Registering the account first is the set-up of the scheme: only a registration older than `recentDays` makes a
  // vendor, and only under the registered name — a shop's name on an account registered to someone else is a disguise.
  const name = normaliseThaiName(record.payeeName);
  if (state.reference.payees?.byAccount.get(key)?.some((e) => e.status === 'active' && (e.registeredOn === null || daysBetween(e.registeredOn, record.effectiveDate) > config.recentRegistrationDays) && normaliseThaiName(e.name) === name)) return true;
  return looksLikeBusiness(record.payeeName) && own.every((p) => looksLikeBusiness(p.payeeName));
}

/** Months back from `month` (YYYY-MM), as YYYY-MM. */
function monthMinus(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) - n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/**
 * The account's own one-off transfer counts in the LAO's months before `beforeMonth` (zero where it was not paid),
 * as far back as the LAO's history and the kept months reach: the baseline typologies.md asks for ("far above the
 * LAO's history for that account"). Empty when the LAO has no earlier month.
 */
function ownMonthlyCounts(state: LaoStateView, record: Disbursement, beforeMonth: string, monthsKept: number): number[] {
  if (state.firstDate === null) return [];
  const first = state.firstDate.slice(0, 7);
  const byMonth = new Map(state.oneOffMonths(record.sourceFormat, record.payeeBankCode, record.payeeAccount));
  const out: number[] = [];
  for (let k = 1; k <= monthsKept; k++) {
    const m = monthMinus(beforeMonth, k);
    if (m < first) break;
    out.push(byMonth.get(m) ?? 0);
  }
  return out.reverse();
}

/**
 * The rule. Counts this account's one-off transfers in the `windowDays` ending on the payment's date and compares the
 * count with the account's own monthly counts before that period (robust z). An account with no earlier history — or
 * only a salary history, which is not counted — counts as zero before, so a first month of many transfers to a staff
 * member's or an unregistered account fires on the count alone. Subject `payee` keyed by the account, so later
 * transfers update the account's one alert with the growing list.
 */
export const repeatSiphonRule: Rule<RepeatSiphonConfig> = {
  id: 'repeat-siphon',
  version: '2.1.0',
  configSchema: RepeatSiphonConfig,
  windowDays: (config) => config.windowDays,
  evaluate(record: Disbursement, state: LaoStateView, config: RepeatSiphonConfig): Finding[] {
    if (!isOutflow(record.status) || state.isRecurring(record)) return [];
    const own = state.paymentsToPayee(record.payeeBankCode, record.payeeAccount);
    // At most these and this one are counted below: no more than minCount, nothing to look at.
    if (own.length + 1 <= config.minCount) return [];
    if (config.skipVendors && isVendorAccount(record, own, state, config)) return [];
    const current = toWindowPayment(record, state.nextSeq, false);
    const to = record.effectiveDate, from = addDays(to, -(config.windowDays - 1));
    if (current.bankReference !== null && own.some((p) => p.sourceFormat === current.sourceFormat && p.bankReference === current.bankReference)) return [];
    const mine = [...counted(own, record.sourceFormat, from, to), current];
    if (mine.length <= config.minCount) return [];

    const ownKey = accountKey(record.payeeBankCode, record.payeeAccount);
    const before = ownMonthlyCounts(state, record, from.slice(0, 7), config.historyMonths);
    const z = before.length > 0 ? robustZDetail(mine.length, before) : null;
    if (z !== null && !(z.z > config.zThreshold)) return [];

    mine.sort(compareByDateThenArrival);
    const sum = mine.reduce((s, p) => s + p.amountSatang, 0);
    const who = payeeLabel(current);
    const zText = z === null ? null : Number.isFinite(z.z) ? z.z.toFixed(1) : '∞';
    const baseTh = z === null
      ? 'บัญชีนี้ไม่เคยได้รับโอนรายการจ่ายครั้งเดียวจาก อปท. นี้มาก่อน (ประวัติเป็นศูนย์)'
      : `ก่อนหน้านี้บัญชีนี้ได้รับโดยมัธยฐาน ${z.median} ครั้งต่อเดือน จาก ${before.length} เดือนที่ระบบมี (robust z = ${zText})`;
    const baseEn = z === null
      ? 'the account had no earlier one-off transfer from this LAO (its history counts as zero)'
      : `before, it received a median of ${z.median} a month over the ${before.length} months held (robust z = ${zText})`;
    return [{
      ruleId: repeatSiphonRule.id,
      ruleVersion: repeatSiphonRule.version,
      severity: 'high',
      laoCode: state.laoCode,
      subject: { kind: 'payee', key: ownKey },
      reasons: {
        th: `โอนเงินเข้าบัญชีเดียวซ้ำหลายครั้ง: ${who.th} ได้รับเงิน ${mine.length} ครั้ง รวม ${baht(sum)} บาท ระหว่าง ${formatDateTh(from)} ถึง ${formatDateTh(to)} ขณะที่${baseTh} (เกณฑ์: เกิน ${config.minCount} ครั้งใน ${config.windowDays} วัน และ robust z > ${config.zThreshold} เมื่อมีประวัติ) ไม่นับเงินเดือน ค่าสาธารณูปโภค และเบี้ยยังชีพ ควรตรวจสอบว่าบัญชีนี้เป็นของผู้ใด และทุกรายการมีฎีกาอนุมัติหรือไม่`,
        en: `Repeated transfers to one account: ${who.en} received ${mine.length} transfers totalling ${baht(sum)} baht between ${from} and ${to}, while ${baseEn} (threshold: more than ${config.minCount} in ${config.windowDays} days, and robust z > ${config.zThreshold} when there is a history); salaries, utilities and allowances are not counted. Check whose account this is and whether each transfer has an approved voucher.`,
      },
      evidence: {
        count: mine.length,
        sumSatang: sum,
        from,
        to,
        windowDays: config.windowDays,
        minCount: config.minCount,
        zThreshold: config.zThreshold,
        /** Which baseline decided: the account's own earlier months, or none at all (counted as zero). */
        baseline: z === null ? 'no-history' : 'account-history',
        observations: before.length,
        earlierMonthlyCounts: before,
        earlierMedianCount: z?.median ?? 0,
        robustZ: z === null || !Number.isFinite(z.z) ? null : Math.round(z.z * 100) / 100,
        zeroDispersion: z !== null && !Number.isFinite(z.z),
        paymentDetails: mine.map(paymentDetail),
      },
      unmasked: unmaskedAccounts(mine),
      payments: mine.map(paymentRef),
    }];
  },
};
