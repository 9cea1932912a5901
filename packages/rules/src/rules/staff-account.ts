/**
 * staff-account@1.0.0 — money routed to insiders: a non-salary payment to an account (or citizen
 * ID) of the LAO's own staff or officials — Na Khian SAO paid the officer's wife and employees.
 * Silent for an LAO whose staff list has not been loaded.
 */
import { isOutflow, z, type Disbursement, type Finding, type StaffMember } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { referenceAccountKey } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of staff-account. */
export const StaffAccountConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Salary and wages (01, 02): paying staff is what they are for. */
  salaryServiceTypes: uniqueList(ServiceTypeCode).default(() => ['01', '02']),
});
/** Parsed staff-account configuration. */
export type StaffAccountConfig = z.infer<typeof StaffAccountConfig>;

/** How the payee was matched to a staff member. */
export type StaffMatch = 'account' | 'citizen-id' | 'name';

/**
 * The rule. Matched by account or citizen ID (high), or by name alone only where that name belongs
 * to exactly one staff member of the LAO (medium: a namesake is possible). Per-diem and travel
 * refunds to staff are legitimate non-salary payments too, which is why this is a reason to look.
 */
export const staffAccountRule: Rule<StaffAccountConfig> = {
  id: 'staff-account',
  version: '1.0.0',
  configSchema: StaffAccountConfig,
  needs: 'staff',
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: StaffAccountConfig): Finding[] {
    const staff = state.reference.staff;
    if (!staff || !isOutflow(record.status) || config.salaryServiceTypes.includes(record.serviceType)) return [];
    let match: StaffMatch | null = null;
    let member: StaffMember | undefined;
    if ((member = staff.byAccount.get(referenceAccountKey(record.payeeBankCode, record.payeeAccount))?.[0])) match = 'account';
    else if (record.payeeId !== null && (member = staff.byCitizenId.get(record.payeeId)?.[0])) match = 'citizen-id';
    else {
      const byName = staff.byName.get(normaliseThaiName(record.payeeName)) ?? [];
      if (byName.length === 1) { member = byName[0]; match = 'name'; }
    }
    if (!match || !member) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p);
    const position = member.position ? ` (${member.position})` : '';
    const how = { account: { th: 'เลขบัญชีตรงกับบัญชีของ', en: 'the account is that of' }, 'citizen-id': { th: 'เลขประจำตัวประชาชนตรงกับของ', en: 'the citizen ID is that of' }, name: { th: 'ชื่อตรงกับ', en: 'the name matches' } }[match];
    return [{
      ruleId: staffAccountRule.id,
      ruleVersion: staffAccountRule.version,
      severity: match === 'name' ? 'medium' : 'high',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `จ่ายเงินเข้าบัญชีบุคลากรของ อปท.: จ่ายให้ ${who.th} ${baht(p.amountSatang)} บาท ประเภทบริการ ${p.serviceType} (${where.th}) ซึ่ง${how.th} ${member.name}${position} (ไม่ใช่เงินเดือน/ค่าจ้าง ${config.salaryServiceTypes.join(', ')}) ควรตรวจสอบว่าเป็นการจ่ายที่มีสิทธิ์ เช่น ค่าเดินทางหรือเงินยืม และมีฎีกาอนุมัติหรือไม่`,
        en: `Payment to an insider's account: ${baht(p.amountSatang)} baht to ${who.en}, service type ${p.serviceType} (${where.en}), where ${how.en} ${member.name}${position}, a member of the LAO's staff (not salary/wages ${config.salaryServiceTypes.join(', ')}). Check whether it is an entitlement (travel, advance) with an approved voucher.`,
      },
      evidence: { matchedBy: match, staffName: member.name, staffPosition: member.position, staffListVersion: staff.version, serviceType: p.serviceType, paymentDetails: [paymentDetail(p)] },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
