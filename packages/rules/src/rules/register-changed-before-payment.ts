/**
 * register-changed-before-payment@1.0.0 — the audited LAO controls its own payee register (issue 14): a clerk who
 * wants to pay a shell vendor registers it first, one who wants to redirect a vendor's money changes its account.
 * So a payee added to the register, or a payee whose account changed there, within `windowDays` before the first
 * payment the LAO makes to that account is itself a finding (ADR 0018).
 *
 * When the register changed: the history the register versions carry (`PayeeRegister.changes`, the date of the version
 * that added the account or moved the payee to it: observed by paywatch, not claimed by the LAO); for an account in the
 * first register paywatch saw, the row's own `registeredOn` (the only date there is). A change of name alone (same
 * account) is no finding: the money still goes where it went, and account-many-names covers names.
 *
 * Only the first payment to the account after the change (none earlier in the history held): later ones would repeat
 * the same question about the same registration. An added payee paid less than the LAO's usual one-off payment (below
 * `minAmountQuantile` of its own, else its peer group's, else its province's sample) is a new supplier's small first
 * order and stays quiet; an account change fires at any amount, and on recurring pay too (a redirected salary).
 * Severity: medium for an addition, high for an account change; one step up when the change is `urgentDays` or fewer
 * before the payment, one step up when the amount is above the sample's `largeQuantile`.
 */
import { accountKey, daysBetween, isOutflow, maskAccount, z, type Disbursement, type Finding, type Severity } from '@paywatch/domain';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type AmountSample, type LaoStateView } from '../state/lao-state.ts';
import { baht, formatDateTh, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of register-changed-before-payment. */
export const RegisterChangedBeforePaymentConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** A register change this many days or fewer before the payment is a finding. */
  windowDays: z.number().int().min(1).max(365).default(90),
  /** A change this many days or fewer before the payment raises severity one step. */
  urgentDays: z.number().int().min(0).max(365).default(14),
  /** An added payee's first payment below this quantile of the LAO's (peers', province's) one-off payments is quiet. */
  minAmountQuantile: z.number().min(0).lt(1).default(0.5),
  /** Above this quantile the amount raises severity one step. */
  largeQuantile: z.number().gt(0).lt(1).default(0.95),
  /** Fewer one-off payments than this say nothing about what is usual: the next sample stands in (none: no amount test). */
  minObservations: z.number().int().min(2).default(50),
});
/** Parsed register-changed-before-payment configuration. */
export type RegisterChangedBeforePaymentConfig = z.infer<typeof RegisterChangedBeforePaymentConfig>;

const STEPS: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
const raise = (s: Severity, by: number): Severity => STEPS[Math.min(STEPS.length - 1, STEPS.indexOf(s) + by)]!;

/** When and how the register last changed for an account, and which register version says so. */
interface Change { change: 'added' | 'account-changed'; on: string; version: number; source: 'register-history' | 'registered-on' }

function changeOf(record: Disbursement, state: LaoStateView): Change | null {
  const register = state.reference.payees;
  if (!register) return null;
  const key = accountKey(record.payeeBankCode, record.payeeAccount);
  const seen = register.changes.get(key);
  if (seen) return { change: seen[1], on: seen[2], version: seen[3], source: 'register-history' };
  // No observed change: the row is as old as the first register paywatch saw, whose own date is the only one there is.
  const dated = (register.byAccount.get(key) ?? []).map((e) => e.registeredOn).filter((d): d is string => d !== null).sort();
  const latest = dated.at(-1);
  return latest ? { change: 'added', on: latest, version: register.version, source: 'registered-on' } : null;
}

function sampleOf(state: LaoStateView, config: RegisterChangedBeforePaymentConfig): [string, AmountSample] | null {
  const candidates: [string, AmountSample | undefined][] = [['lao', state.oneOffAmounts], ['peer-group', state.peers?.oneOffAmounts], ['province', state.province?.oneOffAmounts]];
  for (const [name, s] of candidates) if (s && s.size >= config.minObservations) return [name, s];
  return null;
}

/** The rule. */
export const registerChangedBeforePaymentRule: Rule<RegisterChangedBeforePaymentConfig> = {
  id: 'register-changed-before-payment',
  version: '1.0.0',
  configSchema: RegisterChangedBeforePaymentConfig,
  needs: 'payees',
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: RegisterChangedBeforePaymentConfig): Finding[] {
    if (!isOutflow(record.status)) return [];
    const change = changeOf(record, state);
    if (!change) return [];
    const daysBefore = daysBetween(change.on, record.effectiveDate);
    if (daysBefore < 0 || daysBefore > config.windowDays) return [];
    // The first payment to the account since the change; the LAO has paid it before: the question was already asked.
    if (state.payeeNames(record.payeeBankCode, record.payeeAccount) !== undefined) return [];
    // A new employee, meter or beneficiary is the LAO's rhythm; a redirected salary is not.
    if (change.change === 'added' && state.isRecurring(record)) return [];
    const sample = sampleOf(state, config);
    const usualSatang = sample ? Math.round(sample[1].quantile(config.minAmountQuantile)) : null;
    const largeSatang = sample ? Math.round(sample[1].quantile(config.largeQuantile)) : null;
    if (change.change === 'added' && usualSatang !== null && record.amountSatang < usualSatang) return [];
    const large = largeSatang !== null && record.amountSatang > largeSatang;
    // A date the clerk wrote in the row is weaker than a version paywatch saw change, and on a short history a payment
    // cannot be known to be the account's first: only a large one counts (regular vendors registered a month or two
    // before deployment were most of this rule's false alerts on a first month).
    if (change.source === 'registered-on' && change.change === 'added' && largeSatang !== null && !large) return [];
    const severity = raise(change.change === 'added' ? 'medium' : 'high', (daysBefore <= config.urgentDays ? 1 : 0) + (large ? 1 : 0));

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p), amount = baht(p.amountSatang);
    const what = change.change === 'added'
      ? { th: 'ถูกเพิ่มเข้าทะเบียนผู้รับเงินโอน', en: 'was added to the payee register' }
      : { th: 'ถูกเปลี่ยนเลขบัญชีในทะเบียนผู้รับเงินโอนมาเป็นบัญชีนี้', en: 'had its account in the payee register changed to this one' };
    const how = change.source === 'register-history'
      ? { th: `(ทะเบียนฉบับที่ ${change.version} อัปโหลดเมื่อ ${formatDateTh(change.on)})`, en: `(register version ${change.version}, uploaded on ${change.on})` }
      : { th: `(วันที่ลงทะเบียน ${formatDateTh(change.on)} ตามทะเบียนฉบับที่ ${change.version})`, en: `(registered on ${change.on} according to register version ${change.version})` };
    return [{
      ruleId: registerChangedBeforePaymentRule.id,
      ruleVersion: registerChangedBeforePaymentRule.version,
      severity,
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `ทะเบียนผู้รับเงินเปลี่ยนก่อนจ่ายเงิน: ${who.th} ${what.th} ${how.th} เพียง ${daysBefore} วันก่อนการจ่ายครั้งแรก ${amount} บาท (${where.th})${large ? ' ซึ่งสูงกว่ารายการจ่ายครั้งเดียวเกือบทั้งหมดของ อปท.' : ''} ควรตรวจสอบแบบแจ้งข้อมูลการรับเงินโอน ผู้อนุมัติการเปลี่ยนแปลง และยืนยันกับผู้รับเงินโดยตรง`,
        en: `Payee register changed before payment: ${who.en} ${what.en} ${how.en}, only ${daysBefore} days before the first payment to it of ${amount} baht (${where.en})${large ? ', above nearly every one-off payment of the LAO' : ''}. Check the payee registration form and who approved the change, and confirm with the payee directly.`,
      },
      evidence: {
        change: change.change,
        changedOn: change.on,
        daysBeforePayment: daysBefore,
        registerVersion: change.version,
        registerVersionInForce: state.reference.payees!.version,
        changeSource: change.source,
        accountMasked: maskAccount(p.payeeAccount),
        amountSatang: p.amountSatang,
        baseline: sample?.[0] ?? null,
        observations: sample?.[1].size ?? 0,
        usualSatang,
        largeSatang,
        windowDays: config.windowDays,
        urgentDays: config.urgentDays,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: { ...unmaskedAccounts([p]), accountMasked: p.payeeAccount },
      payments: [paymentRef(p)],
    }];
  },
};
