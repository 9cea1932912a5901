/**
 * welfare-anomaly@1.0.0 — allowances to fake or ineligible people: an elderly allowance that is not a
 * tier (600/700/800/1,000 baht) times a whole number of months, a beneficiary whose citizen ID
 * fails its check digit, or one account receiving for two or more beneficiaries (borrowed ID cards).
 * Silent for an LAO whose beneficiary list has not been loaded.
 */
import { isOutflow, isValidThaiId, z, type Disbursement, type Finding, type WelfareBeneficiary } from '@paywatch/domain';
import type { Rule } from '../rule.ts';
import { referenceAccountKey } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of welfare-anomaly. */
export const WelfareAnomalyConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Elderly allowance tiers by age band (domain.md), satang a month. */
  elderlyTiersSatang: z.array(z.number().int().min(1)).min(1).default(() => [60_000, 70_000, 80_000, 100_000]),
  /** Back pay may cover several months at once, up to this many. */
  maxMonths: z.number().int().min(1).max(24).default(12),
  /** Beneficiaries sharing one account at or above this count. */
  maxBeneficiariesPerAccount: z.number().int().min(2).default(2),
});
/** Parsed welfare-anomaly configuration. */
export type WelfareAnomalyConfig = z.infer<typeof WelfareAnomalyConfig>;

/** What is wrong with a welfare payment. */
export type WelfareProblem = 'amount-not-a-tier' | 'invalid-citizen-id' | 'shared-account';

/**
 * The rule. A payment is a welfare payment when its citizen ID or its account is in the LAO's
 * beneficiary list. The tier check applies to elderly allowances only (disability and other
 * allowances have other scales).
 */
export const welfareAnomalyRule: Rule<WelfareAnomalyConfig> = {
  id: 'welfare-anomaly',
  version: '1.0.0',
  configSchema: WelfareAnomalyConfig,
  needs: 'beneficiaries',
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: WelfareAnomalyConfig): Finding[] {
    const list = state.reference.beneficiaries;
    if (!list || !isOutflow(record.status)) return [];
    const onAccount = list.byAccount.get(referenceAccountKey(record.payeeBankCode, record.payeeAccount)) ?? [];
    const byId = record.payeeId !== null ? (list.byCitizenId.get(record.payeeId) ?? []) : [];
    const matched: WelfareBeneficiary[] = [...new Set([...byId, ...onAccount])];
    if (matched.length === 0) return [];

    const problems: WelfareProblem[] = [];
    const th: string[] = [], en: string[] = [];
    const elderly = matched.some((b) => b.allowanceType === 'elderly');
    const tierMonths = config.elderlyTiersSatang.flatMap((t) => (record.amountSatang % t === 0 && record.amountSatang / t <= config.maxMonths ? [{ tierSatang: t, months: record.amountSatang / t }] : []));
    if (elderly && tierMonths.length === 0) {
      problems.push('amount-not-a-tier');
      th.push(`ยอด ${baht(record.amountSatang)} บาท ไม่ใช่อัตราเบี้ยยังชีพผู้สูงอายุ (${config.elderlyTiersSatang.map(baht).join(' / ')} บาท) คูณจำนวนเดือน`);
      en.push(`${baht(record.amountSatang)} baht is not an elderly-allowance tier (${config.elderlyTiersSatang.map(baht).join(' / ')} baht) times a number of months`);
    }
    const ids = [...new Set([...matched.map((b) => b.citizenId), ...(record.payeeId !== null ? [record.payeeId] : [])])];
    const invalid = ids.filter((id) => !isValidThaiId(id));
    if (invalid.length > 0) {
      problems.push('invalid-citizen-id');
      th.push(`เลขประจำตัวประชาชน ${invalid.length} เลขตรวจสอบหลักสุดท้ายไม่ผ่าน`);
      en.push(`${invalid.length} citizen ID(s) fail the check digit`);
    }
    const sharing = new Set(onAccount.map((b) => b.citizenId));
    if (sharing.size >= config.maxBeneficiariesPerAccount) {
      problems.push('shared-account');
      th.push(`บัญชีนี้เป็นบัญชีรับเงินของผู้มีสิทธิ ${sharing.size} คน`);
      en.push(`this account receives for ${sharing.size} beneficiaries`);
    }
    if (problems.length === 0) return [];

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
        beneficiaries: matched.map((b) => ({ name: b.name, allowanceType: b.allowanceType, monthlyAmountSatang: b.monthlyAmountSatang, citizenIdValid: isValidThaiId(b.citizenId) })),
        elderlyTiersSatang: config.elderlyTiersSatang,
        maxMonths: config.maxMonths,
        tierMonths,
        beneficiariesOnAccount: sharing.size,
        maxBeneficiariesPerAccount: config.maxBeneficiariesPerAccount,
        beneficiaryListVersion: list.version,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
