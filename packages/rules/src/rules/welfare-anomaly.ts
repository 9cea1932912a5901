/**
 * welfare-anomaly@2.0.0 — allowances to fake or ineligible people (typologies.md): an allowance amount no scale
 * gives (elderly 600/700/800/1,000 baht a month, times a whole number of months); a beneficiary whose citizen ID
 * fails its check digit, in the payment or in the LAO's beneficiary list (the list keeps such rows, flagged: an
 * invented person is exactly what this looks for); one account receiving for two or more people. Stage 2 adds the
 * same citizen ID paid by two LAOs in one month (cross-lao/welfare-two-laos.ts), under this rule id too.
 *
 * 2.0.0: works without a beneficiary list (the payment's own ID, service type and amount, and the account's other
 * allowance payments of the month), matches list rows by citizen ID (even an invalid one), account or name, and
 * takes allowances paid as service type 01 with a remark that says so.
 */
import { isOutflow, isValidThaiId, maskCitizenId, z, type Disbursement, type Finding } from '@paywatch/domain';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';
import { ALLOWANCE_SCALES_SATANG, writtenPersonId } from './welfare-allowance.ts';

/** Thresholds of welfare-anomaly. */
export const WelfareAnomalyConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Elderly allowance tiers by age band (domain.md), satang a month. */
  elderlyTiersSatang: z.array(z.number().int().min(1)).min(1).default(() => [60_000, 70_000, 80_000, 100_000]),
  /** Every monthly allowance scale (elderly tiers, disability 800/1,000, AIDS 500): an allowance of unknown kind must be one. */
  allowanceScalesSatang: z.array(z.number().int().min(1)).min(1).default(() => [...ALLOWANCE_SCALES_SATANG]),
  /** Back pay may cover several months at once, up to this many. */
  maxMonths: z.number().int().min(1).max(24).default(12),
  /** Beneficiaries sharing one account at or above this count. */
  maxBeneficiariesPerAccount: z.number().int().min(2).default(2),
});
/** Parsed welfare-anomaly configuration. */
export type WelfareAnomalyConfig = z.infer<typeof WelfareAnomalyConfig>;

/** What is wrong with a welfare payment (`same-citizen-two-laos` comes from stage 2). */
export type WelfareProblem = 'amount-not-a-tier' | 'invalid-citizen-id' | 'shared-account' | 'same-citizen-two-laos';

/** The tiers × months that make up an amount (empty when none does). */
function tierMonths(amountSatang: number, tiers: readonly number[], maxMonths: number): { tierSatang: number; months: number }[] {
  const out: { tierSatang: number; months: number }[] = [];
  for (const t of tiers) if (amountSatang % t === 0 && amountSatang / t <= maxMonths) out.push({ tierSatang: t, months: amountSatang / t });
  return out;
}

/**
 * Other people this account received allowances for in the payment's month (in this LAO's window, the record's own
 * source format), told apart by normalised name — the one thing every line of a person carries, with or without an
 * ID — so a second person on one account shows even with no list.
 */
function otherPeopleOnAccount(record: Disbursement, state: LaoStateView): number {
  const paid = state.paymentsToPayee(record.payeeBankCode, record.payeeAccount);
  // Most allowances go to an account with no other payment in the window: no one else to count.
  if (paid.length === 0) return 0;
  const month = record.effectiveDate.slice(0, 7), me = normaliseThaiName(record.payeeName);
  const others = new Set<string>();
  for (const p of paid) {
    if (p.effectiveDate.slice(0, 7) !== month || !p.recurring || p.sourceFormat !== record.sourceFormat || p.serviceType !== record.serviceType) continue;
    const who = normaliseThaiName(p.payeeName);
    if (who !== me) others.add(who);
  }
  return others.size;
}

/** The rule. */
export const welfareAnomalyRule: Rule<WelfareAnomalyConfig> = {
  id: 'welfare-anomaly',
  version: '2.0.0',
  configSchema: WelfareAnomalyConfig,
  windowDays: () => 31,
  evaluate(record: Disbursement, state: LaoStateView, config: WelfareAnomalyConfig): Finding[] {
    if (!isOutflow(record.status)) return [];
    const allowance = state.allowance(record);
    if (allowance === null) return [];
    const personId = writtenPersonId(record);
    const matched = allowance.beneficiaries, onAccount = allowance.onAccount;

    const problems: WelfareProblem[] = [];
    const th: string[] = [], en: string[] = [];
    // The scale: the elderly tiers for a listed elderly person or an elderly remark, every scale for an allowance of unknown kind.
    const elderly = allowance.kind === 'elderly';
    const scale = elderly ? config.elderlyTiersSatang : config.allowanceScalesSatang;
    const tiers = tierMonths(record.amountSatang, scale, config.maxMonths);
    // An allowance the list calls "other" has a scale of its own that no table here knows.
    if (tiers.length === 0 && allowance.kind !== 'other') {
      problems.push('amount-not-a-tier');
      const scaleText = scale.map(baht).join(' / ');
      th.push(`ยอด ${baht(record.amountSatang)} บาท ไม่ใช่อัตรา${elderly ? 'เบี้ยยังชีพผู้สูงอายุ' : 'เบี้ยยังชีพ'} (${scaleText} บาท) คูณจำนวนเดือน`);
      en.push(`${baht(record.amountSatang)} baht is not ${elderly ? 'an elderly-allowance tier' : 'an allowance rate'} (${scaleText} baht) times a number of months`);
    }
    // Without list rows the only ID is the one written in the payment (the same list the Set below would give).
    const ids = matched.length === 0 ? (personId !== null ? [personId] : []) : [...new Set([...matched.map((b) => b.citizenId), ...(personId !== null ? [personId] : [])])];
    const invalid = ids.filter((id) => !isValidThaiId(id));
    if (invalid.length > 0) {
      problems.push('invalid-citizen-id');
      const where = matched.some((b) => !isValidThaiId(b.citizenId)) ? { th: 'ในทะเบียนผู้มีสิทธิ', en: 'in the beneficiary list' } : { th: 'ในรายการจ่าย', en: 'in the payment' };
      th.push(`เลขประจำตัวประชาชน ${invalid.map(maskCitizenId).join(', ')} ${where.th} ตรวจสอบหลักสุดท้ายไม่ผ่าน (อาจเป็นบุคคลที่ไม่มีตัวตน)`);
      en.push(`citizen ID ${invalid.map(maskCitizenId).join(', ')} ${where.en} fails its check digit (possibly an invented person)`);
    }
    const listed = onAccount.length === 0 ? 0 : new Set(onAccount.map((b) => b.citizenId)).size;
    const seenThisMonth = otherPeopleOnAccount(record, state) + 1;
    const people = Math.max(listed, seenThisMonth);
    if (people >= config.maxBeneficiariesPerAccount) {
      problems.push('shared-account');
      th.push(`บัญชีนี้เป็นบัญชีรับเงินของผู้มีสิทธิ ${people} คน${listed >= config.maxBeneficiariesPerAccount ? 'ตามทะเบียน' : 'ในเดือนเดียวกัน'}`);
      en.push(`this account receives for ${people} beneficiaries${listed >= config.maxBeneficiariesPerAccount ? ' in the list' : ' in one month'}`);
    }
    if (problems.length === 0) return [];

    const list = state.reference.beneficiaries;
    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p);
    return [{
      ruleId: welfareAnomalyRule.id,
      ruleVersion: welfareAnomalyRule.version,
      severity: problems.includes('shared-account') || problems.includes('invalid-citizen-id') ? 'high' : 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `เบี้ยยังชีพผิดปกติ: จ่ายให้ ${who.th} ${baht(p.amountSatang)} บาท (${where.th}) ${th.join(' และ')} ควรตรวจสอบบัตรประจำตัวประชาชนและการยืนยันสิทธิของผู้รับเบี้ยยังชีพ และบัญชีที่ใช้รับเงิน`,
        en: `Welfare allowance anomaly: ${baht(p.amountSatang)} baht to ${who.en} (${where.en}): ${en.join('; ')}. Check the beneficiaries' ID cards, their eligibility records and the account used.`,
      },
      evidence: {
        problems,
        /** Which data decided: the LAO's beneficiary list (and how the payment was matched to it), or the payment alone. */
        baseline: allowance.by === 'citizen-id' || allowance.by === 'account' || allowance.by === 'name' ? `beneficiary-list-by-${allowance.by}` : `payment-${allowance.by}`,
        beneficiaries: matched.map((b) => ({ name: b.name, allowanceType: b.allowanceType, monthlyAmountSatang: b.monthlyAmountSatang, citizenIdMasked: maskCitizenId(b.citizenId), citizenIdValid: isValidThaiId(b.citizenId) })),
        scaleSatang: scale,
        maxMonths: config.maxMonths,
        tierMonths: tiers,
        beneficiariesOnAccount: people,
        maxBeneficiariesPerAccount: config.maxBeneficiariesPerAccount,
        beneficiaryListVersion: list?.version ?? null,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: { ...unmaskedAccounts([p]), ...Object.fromEntries(matched.map((b, i) => [`beneficiaries[${i}].citizenIdMasked`, b.citizenId])) },
      payments: [paymentRef(p)],
    }];
  },
};
