/**
 * account-many-names@1.0.0 — one account, several payees: the same (bank, account) paid under
 * names that differ after normalisation, within one LAO. A swapped account keeps the contractor's
 * name on the voucher while the money goes to someone else's account.
 *
 * 2.1.0: two registered names of one account are one payee's spellings only when they are alike (`nameSimilarity`).
 */
import { accountKey, isOutflow, z, type Disbursement, type Finding } from '@paywatch/domain';
import type { Rule } from '../rule.ts';
import { referenceAccountKey } from '../state/lao-reference.ts';
import { toWindowPayment, type LaoStateView } from '../state/lao-state.ts';
import { nameSimilarity } from '../text/name-similarity.ts';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';

/** Registered spellings at least this alike (bigram Dice) are one payee's variants. */
const VARIANT_SIMILARITY = 0.5;
import { baht, paymentDetail, paymentRef, payeeLabel, rowLabel, unmaskedAccounts } from './explain.ts';

/** Thresholds of account-many-names. How many names are remembered per account is engine state (`state.maxNamesPerAccount`). */
export const AccountManyNamesConfig = z.strictObject({
  enabled: z.boolean().default(true),
});
/** Parsed account-many-names configuration. */
export type AccountManyNamesConfig = z.infer<typeof AccountManyNamesConfig>;

/**
 * The rule. Fires when a payment uses a name the account was not paid under before (by this LAO),
 * so each new name is reported once, not every later payment. Names are compared with
 * `normaliseThaiName`: titles, legal forms, spacing, invisible characters, digits and mark order
 * do not make a second name, nor do two spellings both found in the LAO's payee register for that
 * account. Subject `payee` keyed `${bank}:${account}`: each new name updates
 * the account's one alert with the full list.
 */
export const accountManyNamesRule: Rule<AccountManyNamesConfig> = {
  id: 'account-many-names',
  version: '2.1.0',
  configSchema: AccountManyNamesConfig,
  windowDays: () => 0,
  evaluate(record: Disbursement, state: LaoStateView): Finding[] {
    if (!isOutflow(record.status)) return [];
    const known = state.payeeNames(record.payeeBankCode, record.payeeAccount);
    if (!known || known.length === 0) return [];
    const normalised = normaliseThaiName(record.payeeName);
    if (known.some(([n]) => n === normalised)) return [];
    // The register may list the payee under several spellings: all of them are one name — but only when they are one
    // payee. Entries with different citizen/tax IDs are two payees sharing an account, which is this very typology.
    const entries = state.reference.payees?.byAccount.get(referenceAccountKey(record.payeeBankCode, record.payeeAccount)) ?? [];
    const onePayee = new Set(entries.map((e) => e.payeeId).filter((id) => id !== null)).size <= 1;
    // … and only when the spellings are alike: a register row that puts a second supplier's name on the account (a
    // clerk's "update") is the swap itself, not a variant.
    const registered = new Set(onePayee ? entries.map((e) => normaliseThaiName(e.name)) : []);
    const variant = (n: string): boolean => registered.has(n) && registered.has(normalised) && nameSimilarity(n, normalised) >= VARIANT_SIMILARITY;
    if (known.some(([n]) => variant(n))) return [];

    const p = toWindowPayment(record, state.nextSeq);
    const account = payeeLabel({ ...p, payeeName: '' });
    const names = [...known.map(([n, asWritten, firstRecordId]) => ({ name: asWritten, normalised: n, firstRecordId })), { name: record.payeeName, normalised, firstRecordId: record.recordId }];
    const listed = names.map((n) => `"${n.name}"`).join(', ');
    return [{
      ruleId: accountManyNamesRule.id,
      ruleVersion: accountManyNamesRule.version,
      severity: 'medium',
      laoCode: state.laoCode,
      subject: { kind: 'payee', key: accountKey(p.payeeBankCode, p.payeeAccount) },
      reasons: {
        th: `บัญชีเดียวหลายชื่อผู้รับ: บัญชี${account.th.trim()} ได้รับเงินจาก อปท. ภายใต้ชื่อ ${names.length} ชื่อ ได้แก่ ${listed} ล่าสุด ${baht(p.amountSatang)} บาท ในชื่อ "${record.payeeName}" (${rowLabel(p).th}; เกณฑ์: ตั้งแต่ 2 ชื่อขึ้นไปหลังตัดคำนำหน้า รูปแบบนิติบุคคล และช่องว่าง) ควรตรวจสอบกับแบบแจ้งข้อมูลการรับเงินโอนว่าบัญชีนี้เป็นของผู้รับเงินรายใด`,
        en: `One account, several payees: account ${account.en.trim()} was paid by this LAO under ${names.length} names — ${listed} — most recently ${baht(p.amountSatang)} baht as "${record.payeeName}" (${rowLabel(p).en}; threshold: 2 or more names after removing titles, legal forms and spacing). Check the payee registration forms to see whose account this is.`,
      },
      evidence: { nameCount: names.length, minNames: 2, names, paymentDetails: [paymentDetail(p)] },
      unmasked: unmaskedAccounts([p]),
      payments: [paymentRef(p)],
    }];
  },
};
