/**
 * repeat-siphon@1.0.0 — many transfers to one non-vendor account: the Lad Yao pattern (215
 * unauthorised transfers), where one account receives transfer after transfer, far more often
 * than any other account this LAO pays.
 */
import { accountKey, addDays, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { robustZDetail } from '../stats/robust-z.ts';
import { referenceAccountKey } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView, type WindowPayment } from '../state/lao-state.ts';
import { looksLikeBusiness } from '../text/normalise-thai-name.ts';
import { baht, compareByDateThenArrival, formatDateTh, paymentDetail, paymentRef, payeeLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of repeat-siphon. */
export const RepeatSiphonConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Transfers are counted over this many days ending on the payment's effective date. */
  windowDays: z.number().int().min(1).max(366).default(30),
  /** More transfers than this to one account in the window … */
  minCount: z.number().int().min(1).default(5),
  /** … and a robust z of that count against the LAO's other accounts above this. */
  zThreshold: z.number().min(0).default(4),
  /** Fewer other accounts than this are no baseline. */
  minAccounts: z.number().int().min(2).default(10),
  /**
   * The typology is about non-vendor accounts: a firm (legal form or shop word in the name) or an
   * active payee of the LAO's register is a vendor, and vendors (fuel, supplies) are paid often.
   */
  skipVendors: z.boolean().default(true),
  /** Paid on a rhythm (salary, utilities, allowances): many transfers are normal for them. */
  recurringServiceTypes: uniqueList(ServiceTypeCode).default(() => ['01', '02', '10', '11', '12', '59']),
});
/** Parsed repeat-siphon configuration. */
export type RepeatSiphonConfig = z.infer<typeof RepeatSiphonConfig>;

/**
 * The one-off payments of one account in [from, to] that count: rows of the record's own source
 * format (a bulk line and the report line of one transfer are one transfer), each bank reference once.
 */
function counted(list: readonly WindowPayment[], format: WindowPayment['sourceFormat'], from: string, to: string, recurring: readonly string[]): WindowPayment[] {
  const refs = new Set<string>();
  const out: WindowPayment[] = [];
  for (const p of list) {
    if (p.sourceFormat !== format || p.effectiveDate < from || p.effectiveDate > to || recurring.includes(p.serviceType)) continue;
    if (p.bankReference !== null) { if (refs.has(p.bankReference)) continue; refs.add(p.bankReference); }
    out.push(p);
  }
  return out;
}

/**
 * The rule. Counts this account's one-off transfers in the `windowDays` ending on the payment's
 * date, and compares that count with the same count of every other account the LAO paid in that
 * period (robust z). Subject `payee` keyed `${bank}:${account}`, so later transfers update the
 * account's one alert with the growing list.
 */
export const repeatSiphonRule: Rule<RepeatSiphonConfig> = {
  id: 'repeat-siphon',
  version: '1.0.0',
  configSchema: RepeatSiphonConfig,
  windowDays: (config) => config.windowDays,
  evaluate(record: Disbursement, state: LaoStateView, config: RepeatSiphonConfig): Finding[] {
    if (!isOutflow(record.status) || config.recurringServiceTypes.includes(record.serviceType)) return [];
    if (config.skipVendors && (looksLikeBusiness(record.payeeName) || state.reference.payees?.byAccount.get(referenceAccountKey(record.payeeBankCode, record.payeeAccount))?.some((e) => e.status === 'active'))) return [];
    const current = toWindowPayment(record, state.nextSeq);
    const to = record.effectiveDate, from = addDays(to, -(config.windowDays - 1));
    const own = state.paymentsToPayee(record.payeeBankCode, record.payeeAccount);
    if (current.bankReference !== null && own.some((p) => p.sourceFormat === current.sourceFormat && p.bankReference === current.bankReference)) return [];
    const mine = [...counted(own, record.sourceFormat, from, to, config.recurringServiceTypes), current];
    // Cheap test first: most payments are nowhere near the count, and the baseline costs a pass over every account.
    if (mine.length <= config.minCount) return [];

    const ownKey = accountKey(record.payeeBankCode, record.payeeAccount);
    const others: number[] = [];
    for (const list of state.windowByPayee()) {
      const first = list[0];
      if (!first || accountKey(first.payeeBankCode, first.payeeAccount) === ownKey) continue;
      const n = counted(list, record.sourceFormat, from, to, config.recurringServiceTypes).length;
      if (n > 0) others.push(n);
    }
    if (others.length < config.minAccounts) return [];
    const z = robustZDetail(mine.length, others);
    if (!(z.z > config.zThreshold)) return [];

    mine.sort(compareByDateThenArrival);
    const sum = mine.reduce((s, p) => s + p.amountSatang, 0);
    const who = payeeLabel(current);
    const zText = Number.isFinite(z.z) ? z.z.toFixed(1) : '∞';
    return [{
      ruleId: repeatSiphonRule.id,
      ruleVersion: repeatSiphonRule.version,
      severity: 'high',
      laoCode: state.laoCode,
      subject: { kind: 'payee', key: ownKey },
      reasons: {
        th: `โอนเงินเข้าบัญชีเดียวซ้ำหลายครั้ง: ${who.th} ได้รับเงิน ${mine.length} ครั้ง รวม ${baht(sum)} บาท ระหว่าง ${formatDateTh(from)} ถึง ${formatDateTh(to)} ขณะที่บัญชีอื่นของ อปท. ${others.length} บัญชีได้รับโดยมัธยฐาน ${z.median} ครั้ง (robust z = ${zText}; เกณฑ์: เกิน ${config.minCount} ครั้งใน ${config.windowDays} วัน และ robust z > ${config.zThreshold}) ไม่นับเงินเดือน ค่าสาธารณูปโภค และเบี้ยยังชีพ ควรตรวจสอบว่าบัญชีนี้เป็นของผู้ใด และทุกรายการมีฎีกาอนุมัติหรือไม่`,
        en: `Repeated transfers to one account: ${who.en} received ${mine.length} transfers totalling ${baht(sum)} baht between ${from} and ${to}, while the LAO's ${others.length} other accounts received a median of ${z.median} (robust z = ${zText}; threshold: more than ${config.minCount} in ${config.windowDays} days and robust z > ${config.zThreshold}); salaries, utilities and allowances are not counted. Check whose account this is and whether each transfer has an approved voucher.`,
      },
      evidence: {
        count: mine.length,
        sumSatang: sum,
        from,
        to,
        windowDays: config.windowDays,
        minCount: config.minCount,
        zThreshold: config.zThreshold,
        otherAccounts: others.length,
        otherMedianCount: z.median,
        robustZ: Number.isFinite(z.z) ? Math.round(z.z * 100) / 100 : null,
        zeroDispersion: !Number.isFinite(z.z),
        paymentDetails: mine.map(paymentDetail),
      },
      unmasked: unmaskedAccounts(mine),
      payments: mine.map(paymentRef),
    }];
  },
};
