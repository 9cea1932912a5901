/**
 * payee-not-registered@1.0.0 — payee account swapped: money goes to a (bank, account) that is not
 * in the LAO's register of payees (แบบแจ้งข้อมูลการรับเงินโอน), or that is registered under another
 * name or citizen/tax ID. Silent for an LAO whose register has not been loaded.
 */
import { isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { referenceAccountKey } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of payee-not-registered. */
export const PayeeNotRegisteredConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** Service types whose payees are not in the register (none by default: the form covers every transfer). */
  exemptServiceTypes: uniqueList(ServiceTypeCode).default(() => []),
});
/** Parsed payee-not-registered configuration. */
export type PayeeNotRegisteredConfig = z.infer<typeof PayeeNotRegisteredConfig>;

/** Why a payment does not match the register. */
export type RegistrationProblem = 'not-registered' | 'inactive' | 'other-name' | 'other-id';

/**
 * The rule. An unregistered or inactive account is high severity; an account registered to a
 * different name (after `normaliseThaiName`) or to a different ID is medium: the register may lag a
 * change of name, but the auditor should see it.
 */
export const payeeNotRegisteredRule: Rule<PayeeNotRegisteredConfig> = {
  id: 'payee-not-registered',
  version: '1.0.0',
  configSchema: PayeeNotRegisteredConfig,
  needs: 'payees',
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: PayeeNotRegisteredConfig): Finding[] {
    const register = state.reference.payees;
    if (!register || !isOutflow(record.status) || config.exemptServiceTypes.includes(record.serviceType)) return [];
    const entries = register.byAccount.get(referenceAccountKey(record.payeeBankCode, record.payeeAccount)) ?? [];
    const active = entries.filter((e) => e.status === 'active');
    let problem: RegistrationProblem | null = null;
    if (entries.length === 0) problem = 'not-registered';
    else if (active.length === 0) problem = 'inactive';
    else if (!active.some((e) => normaliseThaiName(e.name) === normaliseThaiName(record.payeeName))) problem = 'other-name';
    else if (record.payeeId !== null && active.every((e) => e.payeeId !== null && e.payeeId !== record.payeeId)) problem = 'other-id';
    if (problem === null) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p), amount = baht(p.amountSatang);
    const registeredNames = (active.length > 0 ? active : entries).map((e) => e.name);
    const what = {
      'not-registered': { th: 'บัญชีนี้ไม่อยู่ในทะเบียนผู้รับเงินโอนของ อปท.', en: "the account is not in the LAO's register of payees" },
      inactive: { th: 'บัญชีนี้ถูกยกเลิกในทะเบียนผู้รับเงินโอนแล้ว', en: 'the account is registered but inactive' },
      'other-name': { th: `บัญชีนี้ลงทะเบียนในชื่อ ${registeredNames.map((n) => `"${n}"`).join(', ')}`, en: `the account is registered to ${registeredNames.map((n) => `"${n}"`).join(', ')}` },
      'other-id': { th: 'บัญชีนี้ลงทะเบียนไว้กับเลขประจำตัวผู้เสียภาษี/ประชาชนอื่น', en: 'the account is registered to another citizen/tax ID' },
    }[problem];
    return [{
      ruleId: payeeNotRegisteredRule.id,
      ruleVersion: payeeNotRegisteredRule.version,
      severity: problem === 'not-registered' || problem === 'inactive' ? 'high' : 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `บัญชีผู้รับเงินไม่ตรงกับทะเบียน: จ่ายให้ ${who.th} ${amount} บาท (${where.th}) แต่${what.th} (ทะเบียนฉบับที่ ${register.version}) ควรตรวจสอบแบบแจ้งข้อมูลการรับเงินโอนและหนังสือยืนยันจากผู้รับเงินว่าบัญชีถูกเปลี่ยนหรือไม่`,
        en: `Payee account does not match the register: ${amount} baht paid to ${who.en} (${where.en}), but ${what.en} (register version ${register.version}). Check the payee registration form and get the payee to confirm the account was not swapped.`,
      },
      evidence: {
        problem,
        registerVersion: register.version,
        registeredNames,
        registeredStatus: entries.map((e) => e.status),
        payeeId: record.payeeId,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
