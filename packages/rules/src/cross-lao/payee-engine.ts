/**
 * Stage 2 of detection: state per payee account across LAOs, fed by `disbursements.by-payee.v1` (records re-keyed
 * by `bank:account`, so one partition sees every LAO's payments to an account). It finds what no single LAO can
 * see: one account paid under different names by different LAOs (account-many-names, cross-LAO variant).
 * Stage 1 reports the within-LAO variant; this engine only reports names that differ ACROSS LAOs.
 */
import { isOutflow, z, type Alert, type Disbursement, type Finding } from '@paywatch/domain';
import { RuleSetConfig, type RuleSetConfigInput } from '../rule-set-config.ts';
import { groupFindings } from '../group-findings.ts';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel } from '../rules/explain.ts';
import { toWindowPayment } from '../state/lao-state.ts';

/** The key records are re-keyed by for stage 2. */
export const payeeKeyOf = (r: Pick<Disbursement, 'payeeBankCode' | 'payeeAccount'>): string => `${r.payeeBankCode}:${r.payeeAccount}`;

/** One name an account was paid under, by one LAO: [normalised, as written, LAO code, first record id]. */
type NameSeen = [string, string, string, string];

const PayeeEngineSnapshot = z.object({
  format: z.literal('paywatch.rules.payee-engine/1'),
  accounts: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.string(), z.string(), z.string()]))])),
});

/** Most (name, LAO) pairs remembered per account: the first ones are the established names. */
const MAX_NAMES_PER_ACCOUNT = 16;

/** The stage-2 engine: `process` evaluates a record against the account's history across LAOs, then folds it in. */
export function createPayeeEngine(input: RuleSetConfigInput = {}) {
  const config = RuleSetConfig.parse(input);
  let accounts = new Map<string, NameSeen[]>();

  function evaluate(record: Disbursement, seen: readonly NameSeen[]): Finding[] {
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
      subject: { kind: 'payee', key: `xlao:${payeeKeyOf(record)}` },
      reasons: {
        th: `บัญชีเดียวหลายชื่อผู้รับข้าม อปท.: บัญชี${account.th.trim()} ได้รับเงินจาก ${laos.length} อปท. ภายใต้ชื่อต่างกัน ได้แก่ ${listed} ล่าสุด ${baht(p.amountSatang)} บาท (${rowLabel(p).th}) ควรตรวจสอบกับแบบแจ้งข้อมูลการรับเงินโอนของทุก อปท. ว่าบัญชีนี้เป็นของผู้ใด`,
        en: `One account, several payees across LAOs: account ${account.en.trim()} was paid by ${laos.length} LAOs under different names — ${listedEn} — most recently ${baht(p.amountSatang)} baht (${rowLabel(p).en}). Check every LAO's payee registration forms to see whose account this is.`,
      },
      evidence: { scope: 'cross-lao', laoCodes: laos, nameCount: new Set(names.map((n) => n.normalised)).size, names, paymentDetails: [paymentDetail(p)] },
      payments: [paymentRef(p)],
    }];
  }

  return {
    config,
    /** Evaluates, then remembers the (name, LAO) pair. Replays are no-ops: a known pair neither fires nor changes state. */
    process(record: Disbursement): Alert[] {
      if (!isOutflow(record.status)) return [];
      const key = payeeKeyOf(record);
      const seen = accounts.get(key) ?? [];
      const findings = evaluate(record, seen);
      const normalised = normaliseThaiName(record.payeeName);
      if (!seen.some(([n, , lao]) => n === normalised && lao === record.laoCode) && seen.length < MAX_NAMES_PER_ACCOUNT) {
        accounts.set(key, [...seen, [normalised, record.payeeName, record.laoCode, record.recordId]]);
      }
      return findings.length ? groupFindings(findings, config.version) : [];
    },
    /** Batch manifests are stage 1's concern. */
    processManifest(): Alert[] { return []; },
    snapshot() {
      return { format: 'paywatch.rules.payee-engine/1' as const, accounts: [...accounts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
    },
    restore(snapshot: unknown) {
      const s = PayeeEngineSnapshot.parse(snapshot);
      accounts = new Map(s.accounts as [string, NameSeen[]][]);
    },
  };
}
/** The stage-2 engine's interface. */
export type PayeeEngine = ReturnType<typeof createPayeeEngine>;
