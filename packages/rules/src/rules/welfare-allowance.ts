/**
 * What makes a payment a welfare allowance, shared by stage 1 (welfare-anomaly) and stage 2 (the cross-LAO citizen-ID
 * check). LAOs pay allowances as service type 59 (other) or 01, and word their remarks each their own way, so a
 * remark is only one hint among several, and never decides whether two payments are the same allowance.
 */
import { normaliseThaiId, type Disbursement } from '@paywatch/domain';

/**
 * Words of an allowance remark: เบี้ยยังชีพ, ผู้สูงอายุ, ผู้พิการ/คนพิการ, ผู้ป่วยเอดส์, in Thai or English. Not เบี้ยประชุม
 * (a council meeting allowance), which is no welfare.
 */
const ALLOWANCE_REMARK = /ยังชีพ|สูงอายุ|พิการ|เอดส์|elderly|old[- ]?age|disab|welfare|living allowance/i;

/** True when a free-text remark reads like a welfare allowance. */
export const remarkSaysAllowance = (remark: string | null): boolean => remark !== null && ALLOWANCE_REMARK.test(remark);

/**
 * A 13-digit citizen ID of a person the payment names, valid or not (`receiverId` keeps an ID that fails its check
 * digit), never a juristic person's tax ID (those start with 0); else null.
 */
export function writtenPersonId(record: Pick<Disbursement, 'payeeId'> & { receiverId?: string | null | undefined }): string | null {
  const id = record.payeeId ?? (record.receiverId ? normaliseThaiId(record.receiverId) : null);
  return id !== null && id[0] !== '0' ? id : null;
}

/**
 * True when the payment is an allowance: one of the allowance service types (default 59), or service type 01 (where
 * some LAOs put allowances beside wages) with a remark that says so.
 */
export function isAllowancePayment(record: Pick<Disbursement, 'serviceType' | 'remark'>, allowanceServiceTypes: readonly string[]): boolean {
  return allowanceServiceTypes.includes(record.serviceType) || (record.serviceType === '01' && remarkSaysAllowance(record.remark));
}
