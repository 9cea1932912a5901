/**
 * welfare-anomaly@2.0.0, its cross-LAO check (configured as `welfare-two-laos`) — one citizen ID paid an allowance by
 * two LAOs in one month (typologies.md, welfare-anomaly: "same citizen ID paid by two LAOs in one month"). A monthly
 * allowance is paid by the one LAO where the beneficiary is registered; a second LAO paying the same person in the
 * same month is a person registered twice, or an ID card borrowed to draw the allowance again. No single LAO can see
 * it: stage 2 brings every allowance paid to a person's citizen ID to one place, whatever LAO paid it (`payeeKeyOf`
 * → `cid:<id>`). The finding carries the rule id `welfare-anomaly` (the typology it belongs to) with the problem
 * `same-citizen-two-laos`.
 *
 * 2.0.0: remarks no longer decide whether two payments are the same allowance (every LAO words its own), nor does
 * the service type (one LAO pays allowances as 59, another as 01): two LAOs paying one person an allowance in one
 * month is the finding.
 */
import { isOutflow, maskCitizenId, Severity, z, type Disbursement, type Finding } from '@paywatch/domain';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from '../rules/explain.ts';
import type { WindowPayment } from '../state/lao-state.ts';

/** Thresholds of welfare-two-laos. */
export const WelfareTwoLaosConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Paying one person twice from public funds, in two places at once, is rarely an accident. */
  severity: Severity.default('high'),
  /**
   * Months of a citizen ID's payments remembered, counted back from the latest month paid to that ID (its own clock,
   * not the stream's): one month's files from different LAOs arrive within weeks of each other, a late upload later.
   */
  monthsKept: z.number().int().min(1).max(24).default(3),
});
/** Parsed welfare-two-laos configuration. */
export type WelfareTwoLaosConfig = z.infer<typeof WelfareTwoLaosConfig>;

/** One welfare payment to a citizen ID remembered by stage 2. */
export interface CitizenPayment { laoCode: string; month: string; remark: string | null; payment: WindowPayment }

/** The month a payment is for (its effective date's), YYYY-MM. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The month `n` months before `month` (YYYY-MM). */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) - n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}


/**
 * The rule: `seen` is what stage 2 remembers of this citizen ID. When another LAO paid the same person the same
 * allowance (service type, and remark when both have one) for the same month, every LAO involved gets a finding
 * about its own payments (its auditors see their LAO only), naming the other LAOs and their payments in the evidence.
 * Subject `xlao:cid:<id>:<month>`, so more payments in that month update the same alerts.
 */
export const welfareTwoLaosRule = {
  id: 'welfare-anomaly' as const,
  version: '2.0.0',
  configSchema: WelfareTwoLaosConfig,
  evaluate(record: Disbursement, citizenId: string, seen: readonly CitizenPayment[], config: WelfareTwoLaosConfig, seq = 0): Finding[] {
    // Stage 1 forwarded the record under `cid:<id>` because it is an allowance to that person (ADR 0008).
    if (!config.enabled || !isOutflow(record.status)) return [];
    const month = monthOf(record.effectiveDate);
    const current: CitizenPayment = { laoCode: record.laoCode, month, remark: record.remark, payment: toPayment(record, seq) };
    const sameMonth = seen.filter((s) => s.month === month && s.payment.recordId !== record.recordId);
    if (!sameMonth.some((s) => s.laoCode !== record.laoCode)) return [];
    const all = [...sameMonth, current];
    const laos = [...new Set(all.map((s) => s.laoCode))].sort();
    return laos.map((lao) => finding(lao, citizenId, month, all, laos, config));
  },
};

const byLaoDateRecord = (a: CitizenPayment, b: CitizenPayment): number =>
  a.laoCode.localeCompare(b.laoCode) || a.payment.effectiveDate.localeCompare(b.payment.effectiveDate) || a.payment.recordId.localeCompare(b.payment.recordId);

function toPayment(record: Disbursement, seq: number): WindowPayment {
  return {
    seq, recordId: record.recordId, batchId: record.batchId, row: record.row, sourceFile: record.sourceFile, sourceFormat: record.sourceFormat,
    payeeBankCode: record.payeeBankCode, payeeAccount: record.payeeAccount, payeeName: record.payeeName, payeeId: record.payeeId,
    amountSatang: record.amountSatang, effectiveDate: record.effectiveDate, serviceType: record.serviceType, voucherNo: record.voucherNo, bankReference: record.bankReference, recurring: true,
  };
}

function finding(laoCode: string, citizenId: string, month: string, all: readonly CitizenPayment[], laos: readonly string[], config: WelfareTwoLaosConfig): Finding {
  // In a canonical order, so the alert reads the same whichever LAO's file stage 2 happened to see first.
  const sorted = [...all].sort(byLaoDateRecord);
  const own = sorted.filter((s) => s.laoCode === laoCode).map((s) => s.payment);
  const others = sorted.filter((s) => s.laoCode !== laoCode);
  const id = maskCitizenId(citizenId);
  const [y, m] = month.split('-');
  const monthTh = `${m}/${Number(y) + 543}`;
  const listTh = (ps: readonly CitizenPayment[]) => ps.map((s) => `อปท. ${s.laoCode} ${baht(s.payment.amountSatang)} บาท เข้าบัญชี ${payeeLabel(s.payment).th}`).join(', ');
  const listEn = (ps: readonly CitizenPayment[]) => ps.map((s) => `LAO ${s.laoCode} ${baht(s.payment.amountSatang)} baht to ${payeeLabel(s.payment).en}`).join(', ');
  const ownTh = own.map((p) => `${baht(p.amountSatang)} บาท (${rowLabel(p).th})`).join(', ');
  const ownEn = own.map((p) => `${baht(p.amountSatang)} baht (${rowLabel(p).en})`).join(', ');
  return {
    ruleId: welfareTwoLaosRule.id,
    ruleVersion: welfareTwoLaosRule.version,
    severity: config.severity,
    laoCode,
    subject: { kind: 'payee', key: `xlao:cid:${citizenId}:${month}` },
    reasons: {
      th: `ผู้มีสิทธิ์รายเดียวได้รับเบี้ยจาก ${laos.length} อปท. ในเดือนเดียวกัน: เลขประจำตัวประชาชน ${id} ได้รับเงินประเภทบริการ ${own[0]!.serviceType} เดือน ${monthTh} จาก อปท. นี้ ${ownTh} และจาก ${listTh(others)} ควรตรวจสอบทะเบียนผู้มีสิทธิ์ของทุก อปท. ว่าบุคคลนี้มีสิทธิ์รับที่ใด และผู้ใดเป็นผู้รับเงิน (อาจขึ้นทะเบียนซ้ำหรือมีการนำบัตรประชาชนผู้อื่นมาใช้)`,
      en: `One person paid an allowance by ${laos.length} LAOs in the same month: citizen ID ${id} was paid service type ${own[0]!.serviceType} for ${month} by this LAO — ${ownEn} — and by ${listEn(others)}. Check every LAO's beneficiary register for where this person is entitled, and who received the money (a double registration, or a borrowed ID card).`,
    },
    evidence: {
      scope: 'cross-lao',
      problems: ['same-citizen-two-laos'],
      baseline: 'every-lao-paying-this-citizen-id',
      citizenIdMasked: id,
      month,
      serviceType: own[0]!.serviceType,
      laoCodes: [...laos],
      paymentDetails: own.map(paymentDetail),
      otherLaoPayments: others.map((s) => ({ laoCode: s.laoCode, ...paymentDetail(s.payment) })),
    },
    unmasked: {
      citizenIdMasked: citizenId,
      ...unmaskedAccounts(own),
      ...unmaskedAccounts(others.map((s) => s.payment), 'otherLaoPayments'),
    },
    payments: own.map(paymentRef),
  };
}
