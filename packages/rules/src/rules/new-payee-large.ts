/**
 * new-payee-large@2.0.0 — a first-time payee receiving a large sum (typologies.md): an account this LAO has never
 * paid before (in the history the pipeline holds) receives more than the LAO's 95th percentile of one-off payments.
 * Being on the payee register does not make a payee old: a vendor registered days before a large first payment is
 * the classic set-up (register a shell vendor, pay it big), so a registration within `recentDays` raises severity.
 *
 * 2.0.0: registration no longer makes a payee "not new"; the percentile falls back on the peer group (LAOs of the
 * same type in the province) when the LAO's own sample is short; a payee never paid but registered long ago needs
 * the history held to be long enough for "never paid" to mean something, else a larger amount.
 * 2.1.0: the peer group's or province's percentile stands in from `pooledMinObservations` (30) amounts, so the first
 * weeks of a deployment have a baseline.
 */
import { accountKey, daysBetween, isOutflow, z, type Disbursement, type Finding, type RegisteredPayee } from '@paywatch/domain';
import { ServiceTypeCode, uniqueList } from '../config-fields.ts';
import type { Rule } from '../rule.ts';
import { toWindowPayment, type AmountSample, type LaoStateView } from '../state/lao-state.ts';
import { baht, formatDateTh, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of new-payee-large. */
export const NewPayeeLargeConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** The amount must be above this quantile of the LAO's one-off payments. */
  quantile: z.number().gt(0).lt(1).default(0.95),
  /** Fewer one-off payments than this say nothing about what is large for the LAO: the peer group's stand in. */
  minObservations: z.number().int().min(2).default(50),
  /**
   * Fewest one-off payments of the peer group (or province) that stand in for a short LAO sample: several LAOs' payments
   * pooled spread more evenly than one LAO's, and in a first month they are all there is.
   */
  pooledMinObservations: z.number().int().min(2).default(30),
  /** A registration this many days or fewer before the payment is recent. */
  recentDays: z.number().int().min(0).max(3_650).default(90),
  /**
   * Days of the LAO's history the pipeline must hold before "never paid" says much about a payee that is not newly
   * registered: LAOs pay many vendors once or twice a year, so in a short history most of them look new.
   */
  minHistoryDays: z.number().int().min(0).default(180),
  /** Below this many days of history, "never paid" says nothing: only a recent registration or a missing one fires. */
  minHistoryDaysForAny: z.number().int().min(0).default(45),
  /** Below `minHistoryDaysForAny`, with no register to tell, a payee must get this many times the percentile. */
  noHistoryFactor: z.number().min(1).default(2),
  /** In a shorter history, a payee that is not newly registered must get this many times the percentile. */
  shortHistoryFactor: z.number().min(1).default(2),
});
/** Parsed new-payee-large configuration. */
export type NewPayeeLargeConfig = z.infer<typeof NewPayeeLargeConfig>;

/** How the payee stands in the LAO's register, when there is one. */
type Registration = { kind: 'recent'; entry: RegisteredPayee; daysBefore: number } | { kind: 'long-ago'; entry: RegisteredPayee; daysBefore: number | null } | { kind: 'not-registered' } | { kind: 'no-register' };

function registrationOf(record: Disbursement, state: LaoStateView, config: NewPayeeLargeConfig): Registration {
  const register = state.reference.payees;
  if (!register) return { kind: 'no-register' };
  const entries = register.byAccount.get(accountKey(record.payeeBankCode, record.payeeAccount)) ?? [];
  if (entries.length === 0) return { kind: 'not-registered' };
  // The latest registration of the account is the one that matters: re-registering an account is a set-up too.
  const dated = entries.filter((e) => e.registeredOn !== null).sort((a, b) => (a.registeredOn! < b.registeredOn! ? 1 : -1));
  const latest = dated[0];
  if (!latest) return { kind: 'long-ago', entry: entries[0]!, daysBefore: null };
  const daysBefore = daysBetween(latest.registeredOn!, record.effectiveDate);
  return daysBefore <= config.recentDays ? { kind: 'recent', entry: latest, daysBefore } : { kind: 'long-ago', entry: latest, daysBefore };
}

/** The rule. */
export const newPayeeLargeRule: Rule<NewPayeeLargeConfig> = {
  id: 'new-payee-large',
  version: '2.1.0',
  configSchema: NewPayeeLargeConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView, config: NewPayeeLargeConfig): Finding[] {
    // Recurring pay (salary, utilities, allowances): a new account for it is a new employee, meter or beneficiary.
    if (!isOutflow(record.status) || state.isRecurring(record)) return [];
    if (state.payeeNames(record.payeeBankCode, record.payeeAccount) !== undefined) return [];
    const lao = state.oneOffAmounts, peers = state.peers?.oneOffAmounts, province = state.province?.oneOffAmounts;
    const pooled = config.pooledMinObservations;
    const [baseline, sample]: ['lao' | 'peer-group' | 'province', AmountSample] | [null, null] = lao.size >= config.minObservations ? ['lao', lao]
      : peers && peers.size >= pooled ? ['peer-group', peers] : province && province.size >= pooled ? ['province', province] : [null, null];
    if (!baseline) return [];
    const percentile = sample.quantile(config.quantile);
    if (!(record.amountSatang > percentile)) return [];
    const registration = registrationOf(record, state, config);
    const historyDays = state.firstDate === null ? 0 : Math.max(0, daysBetween(state.firstDate, record.effectiveDate));
    // "Never paid" is evidence in proportion to the history held; a fresh registration is evidence on its own, and so
    // is an account missing from a register the LAO keeps. In the first weeks every payee looks new: only those speak.
    // Without a register and in the first weeks, only an amount well above the percentile says "new and large".
    if (historyDays < config.minHistoryDaysForAny && registration.kind === 'long-ago') return [];
    const factor = registration.kind === 'recent' || registration.kind === 'not-registered' || historyDays >= config.minHistoryDays ? 1
      : historyDays < config.minHistoryDaysForAny ? config.noHistoryFactor : config.shortHistoryFactor;
    const limit = percentile * factor;
    if (!(record.amountSatang > limit)) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const who = payeeLabel(p), where = rowLabel(p), pct = Math.round(config.quantile * 100);
    const base = baseline === 'lao' ? { th: 'ของ อปท.', en: "of the LAO's" } : baseline === 'peer-group' ? { th: 'ของ อปท. ประเภทเดียวกันในจังหวัด', en: 'of LAOs of the same type in the province' } : { th: 'ของ อปท. ทั้งจังหวัด', en: 'of every LAO in the province' };
    const reg = registration.kind === 'recent'
      ? { th: ` โดยลงทะเบียนรับเงินโอนเมื่อ ${formatDateTh(registration.entry.registeredOn!)} เพียง ${registration.daysBefore} วันก่อนจ่าย`, en: `; it was registered for transfers on ${registration.entry.registeredOn}, only ${registration.daysBefore} days before this payment` }
      : registration.kind === 'not-registered' ? { th: ' และไม่อยู่ในทะเบียนผู้รับเงินโอน', en: '; it is not in the payee register' } : { th: '', en: '' };
    return [{
      ruleId: newPayeeLargeRule.id,
      ruleVersion: newPayeeLargeRule.version,
      severity: registration.kind === 'recent' || registration.kind === 'not-registered' ? 'high' : 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'payment', key: p.recordId },
      reasons: {
        th: `ผู้รับเงินรายใหม่ได้รับเงินจำนวนมาก: ${who.th} ไม่เคยได้รับเงินจาก อปท. นี้ในประวัติ ${historyDays} วันที่ระบบมี แต่ได้รับ ${baht(p.amountSatang)} บาท (${where.th}) สูงกว่าเปอร์เซ็นไทล์ที่ ${pct} ของรายการจ่ายครั้งเดียว${base.th} (${baht(Math.round(percentile))} บาท จาก ${sample.size} รายการ${factor > 1 ? ` คูณ ${factor} เพราะประวัติยังสั้น` : ''})${reg.th} ควรตรวจสอบแบบแจ้งข้อมูลการรับเงินโอน สัญญา และฎีกาของรายการนี้`,
        en: `New payee, large payment: ${who.en} was never paid by this LAO in the ${historyDays} days of history held, and received ${baht(p.amountSatang)} baht (${where.en}), above the ${pct}th percentile of one-off payments ${base.en} (${baht(Math.round(percentile))} baht over ${sample.size} payments${factor > 1 ? `, times ${factor} because the history is short` : ''})${reg.en}. Check the payee registration form, the contract and the voucher of this payment.`,
      },
      evidence: {
        amountSatang: p.amountSatang,
        /** Which sample the percentile came from: the LAO's own one-off payments, or its peer group's. */
        baseline,
        observations: sample.size,
        quantile: config.quantile,
        quantileSatang: Math.round(percentile),
        limitSatang: Math.round(limit),
        historyDays,
        registration: registration.kind,
        registeredOn: 'entry' in registration ? registration.entry.registeredOn : null,
        daysSinceRegistration: 'daysBefore' in registration ? registration.daysBefore : null,
        recentDays: config.recentDays,
        paymentDetails: [paymentDetail(p)],
      },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
