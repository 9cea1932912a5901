/**
 * What makes a payment a welfare allowance, shared by stage 1 (welfare-anomaly, and the rules that leave recurring
 * pay alone) and stage 2 (the cross-LAO citizen-ID check). LAOs pay allowances as service type 59 (other) or 01 and
 * word their remarks each their own way (`เบี้ยยังชีพ เดือนมีนาคม 2569`, `ผส.03/69`, none at all), and 59 carries other
 * payments too; so the LAO's beneficiary list decides first, a remark or the service type only when the list says
 * nothing. A remark never decides whether two payments are the same allowance.
 */
import { accountKey, normaliseThaiId, type Disbursement, type WelfareBeneficiary } from '@paywatch/domain';
import type { LaoReferenceView } from '../state/lao-reference.ts';
import { looksLikeBusiness, normaliseThaiName } from '../text/normalise-thai-name.ts';

/**
 * Words of an allowance remark: เบี้ยยังชีพ, ผู้สูงอายุ, (ความ/คน/ผู้)พิการ, ผู้ป่วยเอดส์, the abbreviations ผส. and พก. with a
 * month, เงินสงเคราะห์, in Thai or English. Not เบี้ยประชุม (a council meeting allowance), which is no welfare.
 */
const ALLOWANCE_REMARK = /ยังชีพ|สูงอายุ|พิการ|เอดส์|สงเคราะห์|(?:^|[^\u0E00-\u0E7F])(?:ผส|พก)\s*\.?\s*\d|elderly|old[- ]?age|disab|welfare|living allowance/i;
const ELDERLY_REMARK = /สูงอายุ|(?:^|[^\u0E00-\u0E7F])ผส\s*\.?\s*\d|elderly|old[- ]?age/i;

/** True when a free-text remark reads like a welfare allowance. */
export function remarkSaysAllowance(remark: string | null): boolean {
  if (remark === null) return false;
  // An LAO writes the same few remarks on line after line: remember the verdicts, in a bounded cache.
  let says = remarkVerdicts.get(remark);
  if (says === undefined) {
    if (remarkVerdicts.size >= 4_096) remarkVerdicts.clear();
    remarkVerdicts.set(remark, (says = ALLOWANCE_REMARK.test(remark)));
  }
  return says;
}
const remarkVerdicts = new Map<string, boolean>();

/**
 * A 13-digit citizen ID of a person the payment names, valid or not (`receiverId` keeps an ID that fails its check
 * digit), never a juristic person's tax ID (those start with 0); else null.
 */
export function writtenPersonId(record: Pick<Disbursement, 'payeeId'> & { receiverId?: string | null | undefined }): string | null {
  const id = record.payeeId ?? (record.receiverId ? normaliseThaiId(record.receiverId) : null);
  return id !== null && id[0] !== '0' ? id : null;
}

/** The kind of allowance, as the list or the remark says. */
export type AllowanceKind = WelfareBeneficiary['allowanceType'];

/** Why a payment is taken for an allowance, whose it is, and what the beneficiary list says of it. */
export interface Allowance {
  /** What decided: the list (matched by the person's written ID, the account or the name), the remark, or the service type. */
  by: 'citizen-id' | 'account' | 'name' | 'remark' | 'service-type';
  /** The person's citizen ID: written in the payment, else the matched list row's (one person only). */
  citizenId: string | null;
  /** The list rows this payment is for. */
  beneficiaries: readonly WelfareBeneficiary[];
  /** Every list row paid into this account. */
  onAccount: readonly WelfareBeneficiary[];
  /** Null when neither list nor remark says which allowance. */
  kind: AllowanceKind | null;
}

/** What decides allowances beyond the list. */
export interface AllowanceLimits {
  /** Service types allowances are paid under (01 counts when the list or the remark says so). */
  allowanceServiceTypes: readonly string[];
  /** A payment of those types to a person, with no remark and no list row, is taken for an allowance up to this amount. */
  maxAllowanceSatang: number;
}

/** Monthly allowance rates (elderly 600/700/800/1,000 baht, disability 800/1,000, AIDS 500), satang. */
export const ALLOWANCE_SCALES_SATANG: readonly number[] = Object.freeze([50_000, 60_000, 70_000, 80_000, 100_000]);

/** The last answer: rules and state ask about the record being evaluated in turn, then never again. */
const last: { record: object | null; reference: LaoReferenceView | null; beneficiaries: unknown; limits: AllowanceLimits | null; value: Allowance | null } = {
  record: null, reference: null, beneficiaries: undefined, limits: null, value: null,
};

/**
 * The allowance a payment is, or null when it is none. Pure; memoised for the last record object asked about (rules
 * and state ask in turn while it is evaluated; one slot, not a weak map per record, which cost more than it saved),
 * the answer kept only for the same reference list and limits it was given.
 */
export function allowanceOf(record: Disbursement, reference: LaoReferenceView, limits: AllowanceLimits): Allowance | null {
  if (last.record === record && last.reference === reference && last.beneficiaries === reference.beneficiaries && last.limits === limits) return last.value;
  const value = classify(record, reference, limits);
  last.record = record; last.reference = reference; last.beneficiaries = reference.beneficiaries; last.limits = limits; last.value = value;
  return value;
}

function classify(record: Disbursement, reference: LaoReferenceView, limits: AllowanceLimits): Allowance | null {
  const personId = writtenPersonId(record);
  const typed = limits.allowanceServiceTypes.includes(record.serviceType) || record.serviceType === '01';
  const remark = remarkSaysAllowance(record.remark);
  const list = reference.beneficiaries;
  if (list) {
    const onAccount = list.byAccount.get(accountKey(record.payeeBankCode, record.payeeAccount)) ?? [];
    const byId = personId !== null ? (list.byCitizenId.get(personId) ?? []) : [];
    const name = normaliseThaiName(record.payeeName);
    const found = byId.length > 0 && (typed || remark) ? { by: 'citizen-id' as const, rows: byId }
      // An account of the list, or a listed person's name, paid as an allowance would be: the list row is its person.
      : onAccount.length > 0 && (typed || remark) ? { by: 'account' as const, rows: onAccount.filter((b) => normaliseThaiName(b.name) === name).length > 0 ? onAccount.filter((b) => normaliseThaiName(b.name) === name) : onAccount }
        : (typed || remark) && (list.byName.get(name) ?? []).length > 0 ? { by: 'name' as const, rows: list.byName.get(name)! } : null;
    if (found) {
      const ids = [...new Set(found.rows.map((b) => b.citizenId))];
      return { by: found.by, citizenId: personId ?? (ids.length === 1 ? ids[0]! : null), beneficiaries: found.rows, onAccount, kind: found.rows[0]!.allowanceType };
    }
  }
  if (remark && typed) return { by: 'remark', citizenId: personId, beneficiaries: [], onAccount: [], kind: ELDERLY_REMARK.test(record.remark!) ? 'elderly' : null };
  if (record.remark === null && !looksLikeBusiness(record.payeeName) && record.amountSatang <= limits.maxAllowanceSatang) {
    // 59 ("other") or 01 (wages) to a person, at most a few months of the top allowance: no month's wage is that small.
    if (limits.allowanceServiceTypes.includes(record.serviceType) || record.serviceType === '01') {
      return { by: 'service-type', citizenId: personId, beneficiaries: [], onAccount: [], kind: null };
    }
  }
  return null;
}
