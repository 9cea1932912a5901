/**
 * Stage 2 of detection: state across LAOs, fed by `disbursements.by-payee.v1` (records re-keyed by `payeeKeyOf`, so
 * one partition sees every LAO's payments to one payee). It finds what no single LAO can see:
 * - under a `bank:account` key, one account paid under different names by different LAOs (account-many-names,
 *   cross-LAO variant; stage 1 reports the within-LAO variant, this engine only names that differ ACROSS LAOs);
 * - under a `cid:<citizen ID>` key (allowances to a person), one citizen ID paid the same allowance by two LAOs in
 *   one month (welfare-two-laos).
 */
import { accountKey, isOutflow, z, type Alert, type Disbursement, type Finding } from '@paywatch/domain';
import { RuleSetConfig, type RuleSetConfigInput } from '../rule-set-config.ts';
import { groupFindings } from '../group-findings.ts';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from '../rules/explain.ts';
import { toWindowPayment } from '../state/lao-state.ts';
import { WindowPaymentSchema } from '../state/engine-snapshot.ts';
import { monthOf, monthsBefore, welfareTwoLaosRule, type CitizenPayment } from './welfare-two-laos.ts';
import { decodeCitizens, encodeCitizens, internCitizenPayment, StringPool } from './citizen-codec.ts';

/**
 * Every key a record goes to stage 2 under: its account (`bank:account`, the comparison key) and, for an allowance
 * whose person is known (`citizenId`: written in the payment, or the LAO's beneficiary list row it was matched to —
 * stage 1 knows which), `cid:<citizen ID>`, so that every LAO's allowances to one person meet. Deterministic.
 */
export const payeeKeysOf = (r: Pick<Disbursement, 'payeeBankCode' | 'payeeAccount'>, citizenId: string | null): string[] => {
  const account = accountKey(r.payeeBankCode, r.payeeAccount);
  return citizenId !== null ? [`cid:${citizenId}`, account] : [account];
};

/** One name an account was paid under, by one LAO: [normalised, as written, LAO code, first record id]. */
type NameSeen = [string, string, string, string];

const StoredPayment = WindowPaymentSchema;
const StoredCitizenPayment = z.object({ laoCode: z.string(), month: z.string(), remark: z.string().nullable(), payment: StoredPayment });
const Accounts = z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.string(), z.string(), z.string()]))]));
/**
 * Format 3 writes the citizens compactly (`citizen-codec.ts`); format 2 (citizens as objects) and format 1 (accounts
 * only, no citizens) still restore.
 */
const PayeeEngineSnapshot = z.union([
  z.object({ format: z.literal('paywatch.rules.payee-engine/1'), accounts: Accounts }),
  z.object({ format: z.literal('paywatch.rules.payee-engine/2'), accounts: Accounts, citizens: z.array(z.tuple([z.string(), z.array(StoredCitizenPayment)])) }),
  z.object({ format: z.literal('paywatch.rules.payee-engine/3'), accounts: Accounts, strings: z.array(z.string()), citizens: z.array(z.unknown()) }),
]);

/** Most (name, LAO) pairs remembered per account: the first ones are the established names. */
const MAX_NAMES_PER_ACCOUNT = 16;
/** Most welfare payments remembered per citizen ID, whatever the months: the latest ones (bounds a pathological ID). */
const MAX_PAYMENTS_PER_CITIZEN = 24;

/** The stage-2 engine: `process` evaluates a record against the account's history across LAOs, then folds it in. */
export function createPayeeEngine(input: RuleSetConfigInput = {}) {
  const config = RuleSetConfig.parse(input);
  let accounts = new Map<string, NameSeen[]>();
  let citizens = new Map<string, CitizenPayment[]>();
  let seq = 0;
  const pool = new StringPool();

  /**
   * Welfare payments to one citizen ID: evaluate, then remember, keeping the ID's last `monthsKept` months by its own
   * latest month (so state stays a few payments per person). A replayed record neither fires nor changes state.
   */
  function processCitizen(record: Disbursement, key: string): Alert[] {
    const rule = config.rules['welfare-two-laos'];
    const seen = citizens.get(key) ?? [];
    if (seen.some((s) => s.payment.recordId === record.recordId)) return [];
    const findings = welfareTwoLaosRule.evaluate(record, key.slice('cid:'.length), seen, rule, seq);
    const month = monthOf(record.effectiveDate);
    const latest = seen.reduce((m, s) => (s.month > m ? s.month : m), month);
    const oldest = monthsBefore(latest, rule.monthsKept - 1);
    if (rule.enabled && month >= oldest) {
      const next = [...seen.filter((s) => s.month >= oldest), internCitizenPayment({ laoCode: record.laoCode, month, remark: record.remark, payment: toWindowPayment(record, seq++) }, pool)];
      citizens.set(key, next.slice(-MAX_PAYMENTS_PER_CITIZEN));
    }
    return findings.length ? groupFindings(findings, config.version) : [];
  }

  function evaluate(record: Disbursement, seen: readonly NameSeen[], accountKey: string): Finding[] {
    if (!config.rules['account-many-names'].enabled) return [];
    const normalised = normaliseThaiName(record.payeeName);
    if (seen.some(([n, , lao]) => n === normalised && lao === record.laoCode)) return [];
    const otherLaoOtherName = seen.filter(([n, , lao]) => lao !== record.laoCode && n !== normalised);
    if (otherLaoOtherName.length === 0) return [];
    const p = toWindowPayment(record, 0);
    const names = [...seen.map(([n, asWritten, lao, firstRecordId]) => ({ name: asWritten, normalised: n, laoCode: lao, firstRecordId })), { name: record.payeeName, normalised, laoCode: record.laoCode, firstRecordId: record.recordId }];
    const laos = [...new Set(names.map((n) => n.laoCode))].sort();
    const listed = names.map((n) => `"${n.name}" (อปท. ${n.laoCode})`).join(', ');
    const listedEn = names.map((n) => `"${n.name}" (LAO ${n.laoCode})`).join(', ');
    const account = payeeLabel({ ...p, payeeName: '' });
    return [{
      ruleId: 'account-many-names', ruleVersion: '1.0.0', severity: 'high', laoCode: record.laoCode,
      subject: { kind: 'payee', key: `xlao:${accountKey}` },
      reasons: {
        th: `บัญชีเดียวหลายชื่อผู้รับข้าม อปท.: บัญชี${account.th.trim()} ได้รับเงินจาก ${laos.length} อปท. ภายใต้ชื่อต่างกัน ได้แก่ ${listed} ล่าสุด ${baht(p.amountSatang)} บาท (${rowLabel(p).th}) ควรตรวจสอบกับแบบแจ้งข้อมูลการรับเงินโอนของทุก อปท. ว่าบัญชีนี้เป็นของผู้ใด`,
        en: `One account, several payees across LAOs: account ${account.en.trim()} was paid by ${laos.length} LAOs under different names — ${listedEn} — most recently ${baht(p.amountSatang)} baht (${rowLabel(p).en}). Check every LAO's payee registration forms to see whose account this is.`,
      },
      evidence: { scope: 'cross-lao', laoCodes: laos, nameCount: new Set(names.map((n) => n.normalised)).size, names, paymentDetails: [paymentDetail(p)] },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  }

  return {
    config,
    /**
     * Evaluates, then remembers. `key` is the key the record was delivered under (default: `payeeKeyOf` with this
     * rule set's welfare service types); a `cid:` key goes to the citizen-ID rules, any other to the account rules.
     * Replays are no-ops: a known (name, LAO) pair or a known welfare record neither fires nor changes state.
     */
    process(record: Disbursement, key: string = accountKey(record.payeeBankCode, record.payeeAccount)): Alert[] {
      if (!isOutflow(record.status)) return [];
      if (key.startsWith('cid:')) return processCitizen(record, key);
      const seen = accounts.get(key) ?? [];
      const findings = evaluate(record, seen, key);
      const normalised = normaliseThaiName(record.payeeName);
      if (!seen.some(([n, , lao]) => n === normalised && lao === record.laoCode) && seen.length < MAX_NAMES_PER_ACCOUNT) {
        accounts.set(key, [...seen, [normalised, record.payeeName, record.laoCode, record.recordId]]);
      }
      return findings.length ? groupFindings(findings, config.version) : [];
    },
    /** Batch manifests are stage 1's concern. */
    processManifest(): Alert[] { return []; },
    snapshot() {
      const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);
      return {
        format: 'paywatch.rules.payee-engine/3' as const,
        accounts: [...accounts.entries()].sort(byKey),
        ...encodeCitizens([...citizens.entries()].sort(byKey)),
      };
    },
    restore(snapshot: unknown) {
      const s = PayeeEngineSnapshot.parse(snapshot);
      accounts = new Map(s.accounts as [string, NameSeen[]][]);
      citizens = s.format === 'paywatch.rules.payee-engine/3' ? decodeCitizens(s, pool)
        : new Map(s.format === 'paywatch.rules.payee-engine/2' ? s.citizens.map(([key, list]) => [key, list.map((c) => internCitizenPayment(c, pool))]) : []);
      // Sequence numbers only order a citizen's payments; continue after the highest kept.
      // A loop, not Math.max(...spread): a partition holds hundreds of thousands of citizens, past the argument limit.
      seq = 0;
      for (const seen of citizens.values()) for (const c of seen) if (c.payment.seq + 1 > seq) seq = c.payment.seq + 1;
    },
  };
}
/** The stage-2 engine's interface. */
export type PayeeEngine = ReturnType<typeof createPayeeEngine>;
