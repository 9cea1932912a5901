/** Seeded reference lists (ktb-formats.md §3) with the items a correct parser must read back: for round-trip tests and the fuzzer. */
import { addDays, thaiIdCheckDigit, type ApprovedVoucher, type ReferenceKind, type RegisteredPayee, type StaffMember, type WelfareBeneficiary } from '@paywatch/domain';
import { generateBulkBatch } from './generate-bulk-batch.ts';
import { SeededRandom } from './seeded-random.ts';

/** A citizen ID from its first 12 digits: the parsers refuse IDs whose check digit is wrong. */
const withCheckDigit = (first12: string): string => first12 + thaiIdCheckDigit(first12);

/** One item of a reference list, by kind. */
export type ReferenceItem<K extends ReferenceKind = ReferenceKind> = {
  payees: RegisteredPayee; staff: StaffMember; vouchers: ApprovedVoucher; beneficiaries: WelfareBeneficiary;
}[K];

/** One row of a reference file: the LAO it belongs to and its item. */
export interface ReferenceRow<K extends ReferenceKind = ReferenceKind> { laoCode: string; item: ReferenceItem<K> }

/** What to generate. Same options ⇒ same rows. */
export interface GenerateReferenceListOptions<K extends ReferenceKind> {
  seed: number;
  kind: K;
  /** The LAOs the rows are spread over (a flat file with an LAO code column). */
  laoCodes: readonly string[];
  rows: number;
}

const POSITIONS = ['ปลัด อบต.', 'นักวิชาการเงินและบัญชี', 'ผู้อำนวยการกองคลัง', 'พนักงานจ้างทั่วไป'] as const;
const BUDGET_ITEMS = ['ค่าวัสดุ', 'ค่าจ้างเหมาบริการ', 'ค่าครุภัณฑ์', 'ค่าสาธารณูปโภค'] as const;
const ALLOWANCES = ['elderly', 'disability', 'aids', 'other'] as const;
const ALLOWANCE_BAHT = [600, 700, 800, 1000] as const;

/**
 * Rows of one reference kind: payee names, accounts, IDs and amounts come from the bulk generator (real bank
 * codes and account lengths, valid 13-digit IDs), so reference lists and payment files of one seed agree.
 */
export function generateReferenceList<K extends ReferenceKind>(o: GenerateReferenceListOptions<K>): Array<ReferenceRow<K>> {
  const dice = new SeededRandom(o.seed ^ 0x4ef5);
  const { records } = generateBulkBatch({ seed: o.seed, laoCode: o.laoCodes[0] ?? '6600101', companyId: 'GMIS000000', debitAccount: '9800000000', rows: o.rows, effectiveDate: '2025-10-01' });
  return records.map((r, i) => {
    const laoCode = dice.pick(o.laoCodes);
    const date = addDays('2024-10-01', dice.int(0, 365));
    const item = ({
      payees: (): RegisteredPayee => ({ bankCode: r.payeeBankCode, account: r.payeeAccount, name: r.payeeName, payeeId: r.payeeId, registeredOn: dice.chance(0.8) ? date : null, status: dice.chance(0.9) ? 'active' : 'inactive' }),
      staff: (): StaffMember => ({ bankCode: r.payeeBankCode, account: r.payeeAccount, name: r.payeeName, citizenId: r.payeeId, position: dice.chance(0.8) ? dice.pick(POSITIONS) : null }),
      vouchers: (): ApprovedVoucher => {
        const withPayee = dice.chance(0.8);
        return {
          voucherNo: r.voucherNo ?? `ฎ${i + 1}/2568`, voucherDate: date, payeeName: withPayee ? r.payeeName : null,
          payeeBankCode: withPayee ? r.payeeBankCode : null, payeeAccount: withPayee ? r.payeeAccount : null,
          amountSatang: r.amountSatang, budgetItem: dice.chance(0.7) ? dice.pick(BUDGET_ITEMS) : null,
        };
      },
      beneficiaries: (): WelfareBeneficiary => {
        const withAccount = dice.chance(0.9);
        return {
          citizenId: r.payeeId ?? withCheckDigit(`1${dice.digits(11)}`), name: r.payeeName, allowanceType: dice.pick(ALLOWANCES), monthlyAmountSatang: dice.pick(ALLOWANCE_BAHT) * 100,
          bankCode: withAccount ? r.payeeBankCode : null, account: withAccount ? r.payeeAccount : null,
        };
      },
    } satisfies Record<ReferenceKind, () => ReferenceItem>)[o.kind]() as ReferenceItem<K>;
    return { laoCode, item };
  });
}
