/**
 * self-approval@1.0.0 — no segregation of duties: the person who keyed a transfer also approved
 * it, or the approval came within seconds of the transaction, too fast for anyone to have read it
 * (the Ministry of Interior's 2022 circular: those holding the passwords were those moving the money).
 */
import { isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of self-approval. */
export const SelfApprovalConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** An approval this close (either way) to the transaction time is a rubber stamp. */
  maxApprovalSeconds: z.number().int().min(0).max(86_400).default(60),
});
/** Parsed self-approval configuration. */
export type SelfApprovalConfig = z.infer<typeof SelfApprovalConfig>;

/** User ids as the bank prints them vary in case and padding; one person is one id. */
const userKey = (id: string | null): string | null => {
  const k = id?.trim().toUpperCase() ?? '';
  return k === '' ? null : k;
};

/**
 * The rule. Maker = authorizer is high severity on its own; a quick approval is medium. Both
 * need bank-report fields (maker, authorizer, transaction and approval times): bulk files have
 * none of them, so the rule is silent on bulk lines.
 */
export const selfApprovalRule: Rule<SelfApprovalConfig> = {
  id: 'self-approval',
  version: '1.0.0',
  configSchema: SelfApprovalConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: SelfApprovalConfig): Finding[] {
    if (!isOutflow(record.status)) return [];
    const maker = userKey(record.makerId), authorizer = userKey(record.authorizerId);
    const samePerson = maker !== null && maker === authorizer;
    let approvalSeconds: number | null = null;
    if (record.executedAt !== null && record.approvedAt !== null) approvalSeconds = Math.round((Date.parse(record.approvedAt) - Date.parse(record.executedAt)) / 1000);
    const quick = approvalSeconds !== null && Math.abs(approvalSeconds) <= config.maxApprovalSeconds;
    if (!samePerson && !quick) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p), amount = baht(p.amountSatang);
    const th: string[] = [], en: string[] = [];
    if (samePerson) {
      th.push(`ผู้ทำรายการและผู้อนุมัติเป็นบุคคลเดียวกัน (รหัสผู้ใช้ ${record.makerId})`);
      en.push(`the maker and the authorizer are the same user (${record.makerId})`);
    }
    if (quick) {
      th.push(`อนุมัติห่างจากเวลาทำรายการเพียง ${Math.abs(approvalSeconds!)} วินาที (เกณฑ์: ไม่เกิน ${config.maxApprovalSeconds} วินาที)`);
      en.push(`it was approved ${Math.abs(approvalSeconds!)} s from the transaction time (threshold: within ${config.maxApprovalSeconds} s)`);
    }
    return [{
      ruleId: selfApprovalRule.id,
      ruleVersion: selfApprovalRule.version,
      severity: samePerson ? 'high' : 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `ไม่มีการแบ่งแยกหน้าที่: รายการจ่ายให้ ${who.th} ${amount} บาท (${where.th}) ${th.join(' และ')} ควรตรวจสอบการกำหนดสิทธิ์ผู้ใช้ในระบบ KTB Corporate Online ว่าผู้ทำรายการและผู้อนุมัติเป็นคนละคน และผู้อนุมัติได้ตรวจเอกสารก่อนอนุมัติ`,
        en: `No segregation of duties: on the payment of ${amount} baht to ${who.en} (${where.en}), ${en.join(' and ')}. Check the KTB Corporate Online user rights: maker and authorizer must be different people, and the authorizer must review the documents before approving.`,
      },
      evidence: {
        makerId: record.makerId,
        authorizerId: record.authorizerId,
        samePerson,
        executedAt: record.executedAt,
        approvedAt: record.approvedAt,
        approvalSeconds,
        maxApprovalSeconds: config.maxApprovalSeconds,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
