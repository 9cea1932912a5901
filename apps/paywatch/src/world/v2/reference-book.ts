/**
 * The reference lists LAO finance offices keep (ktb-formats.md §3), as rows before they are written: the KTB payee
 * register, the staff list, e-LAAS approved vouchers and the allowance beneficiary list — with the defects real
 * exports have: a register spelling a vendor's name its own way, rows missing, a bad bank code or date, and (an
 * event, not noise) beneficiary rows whose citizen ID has a wrong check digit. `readable` says which rows a correct
 * reader keeps, which is what the labels reason with.
 */
import { addDays, normaliseAccount } from '@paywatch/domain';
import type { WorldRandom } from '../world-random.ts';
import { writeBusiness } from './thai-names.ts';
import type { Beneficiary, Lao, Party, Staff, VoucherRow } from './world-types.ts';

export interface PayeeRow { party: Party; name: string; id: string | null; bank: string; account: string; registeredOn: string | null; status: 'active' | 'inactive'; defect?: 'bad-bank' | 'bad-date' }
export interface StaffRow { party: Staff; name: string; id: string | null; position: string; bank: string; account: string; defect?: 'bad-bank' }
export interface BeneficiaryRow { party: Beneficiary; name: string; id: string; allowance: Beneficiary['allowance']; monthlyBaht: number; bank: string | null; account: string | null; badId?: true }

/** Every list of every LAO (an LAO without a list simply has none of that kind written). */
export class ReferenceBook {
  readonly payees = new Map<number, PayeeRow[]>();
  readonly staff = new Map<number, StaffRow[]>();
  readonly beneficiaries = new Map<number, BeneficiaryRow[]>();
  /** Vendors whose register row is absent from the export (key per LAO). */
  readonly missingPayees = new Set<string>();

  constructor(readonly laos: readonly Lao[], readonly vouchers: readonly VoucherRow[]) {}

  /** A payee register row as the LAO's register spells the name. */
  register(lao: Lao, party: Party, registeredOn: string | null, o: { name?: string; status?: 'active' | 'inactive'; bank?: string; account?: string; id?: string | null } = {}): PayeeRow {
    const v = lao.style.referenceFile.nameVariant;
    const row: PayeeRow = {
      party, name: o.name ?? (party.name.form === 'person' ? writeBusiness(party.name, 0) : writeBusiness(party.name, v + (party.key.length % 2))),
      id: o.id !== undefined ? o.id : party.id, bank: o.bank ?? party.bank, account: o.account ?? party.account, registeredOn, status: o.status ?? 'active',
    };
    const list = this.payees.get(lao.idx);
    if (list) list.push(row); else this.payees.set(lao.idx, [row]);
    return row;
  }

  /** Readable register rows of an LAO whose list exists, by account key (`bank:normalised account`). */
  registeredAccounts(lao: number): Map<string, PayeeRow[]> | null {
    if (!this.laos[lao]!.style.lists.payees) return null;
    const out = new Map<string, PayeeRow[]>();
    for (const row of this.payees.get(lao) ?? []) {
      if (row.defect === 'bad-bank' || row.status !== 'active' || this.missingPayees.has(`${lao}|${row.party.key}`)) continue;
      const k = accountKey(row.bank, row.account);
      const list = out.get(k);
      if (list) list.push(row); else out.set(k, [row]);
    }
    return out;
  }

  /** Readable staff rows of an LAO whose list exists. */
  readableStaff(lao: number): StaffRow[] | null {
    if (!this.laos[lao]!.style.lists.staff) return null;
    return (this.staff.get(lao) ?? []).filter((s) => s.defect !== 'bad-bank');
  }

  /** Readable voucher rows of an LAO whose list exists. */
  readableVouchers(lao: number): VoucherRow[] | null {
    if (!this.laos[lao]!.style.lists.vouchers) return null;
    return this.vouchers.filter((v) => v.lao === lao && !v.defect);
  }
}

/** The key accounts are compared by (bulk files shorten long accounts: both sides normalised). */
export const accountKey = (bank: string, account: string): string => `${bank}:${normaliseAccount(bank, account)}`;

/**
 * Fills the book with the LAOs' everyday rows: everyone an LAO pays by transfer fills in the KTB payee form (suppliers,
 * staff, utilities, allowance recipients), plus suppliers registered long ago and not used lately; staff with their
 * accounts; every allowance recipient in force at the end of the last month.
 */
export function fillReferenceBook(r: WorldRandom, book: ReferenceBook, lastMonth: string): void {
  for (const lao of book.laos) {
    for (const v of lao.vendors) book.register(lao, v, v.registeredOn);
    for (const d of lao.dormant) book.register(lao, d, d.registeredOn, { status: r.chance(0.3) ? 'inactive' : 'active' });
    for (const s of lao.staff) book.register(lao, s, r.chance(0.7) ? addDays(`${s.startMonth}-01`, -r.int(1, 2_500)) : null);
    const seen = new Set<string>();
    for (const u of lao.utilities) if (!seen.has(u.party.key)) { seen.add(u.party.key); book.register(lao, u.party, addDays(`${lastMonth}-01`, -r.int(400, 4_000))); }
    for (const b of lao.beneficiaries) book.register(lao, b, addDays(`${b.startMonth}-01`, -r.int(10, 1_500)));
    book.staff.set(lao.idx, lao.staff.map((s) => ({ party: s, name: writeBusiness(s.name, 0), id: s.id, position: s.position, bank: s.bank, account: s.account })));
    book.beneficiaries.set(lao.idx, lao.beneficiaries.filter((b) => b.endMonth === null || b.endMonth > lastMonth).map((b) => ({
      party: b, name: writeBusiness(b.name, 0), id: b.id!, allowance: b.allowance, monthlyBaht: b.monthlyBaht, bank: r.chance(0.9) ? b.bank : null, account: null as string | null,
    })).map((row) => ({ ...row, account: row.bank ? row.party.account : null })));
  }
}

/**
 * Defects that are noise, not fraud: a few register rows of suppliers missing from the export or with a bank code
 * no bank has, bad dates in the register (kept, the date dropped) and in e-LAAS vouchers (refused), a few
 * beneficiaries left off the list. A supplier whose row is missing or unreadable is, to a correct reader, not
 * registered: the labels derive that from `readable`, not from intent.
 */
export function injectReferenceDefects(r: WorldRandom, book: ReferenceBook): void {
  for (const lao of book.laos) {
    const rows = book.payees.get(lao.idx) ?? [];
    const vendorRows = rows.filter((x) => lao.vendors.includes(x.party as never));
    if (lao.style.lists.payees && vendorRows.length > 0) {
      if (r.chance(0.12)) book.missingPayees.add(`${lao.idx}|${r.pick(vendorRows).party.key}`);
      if (r.chance(0.1)) r.pick(vendorRows).defect = 'bad-bank';
      if (r.chance(0.3)) { const x = r.pick(rows); if (!x.defect) x.defect = 'bad-date'; }
    }
    if (lao.style.lists.vouchers && r.chance(0.15)) {
      const own = book.vouchers.filter((v) => v.lao === lao.idx);
      if (own.length > 0) (r.pick(own) as VoucherRow).defect = r.chance(0.7) ? 'bad-date' : 'bad-amount';
    }
    if (lao.style.lists.staff && r.chance(0.1)) { const s = book.staff.get(lao.idx) ?? []; if (s.length > 0) r.pick(s).defect = 'bad-bank'; }
    if (lao.style.lists.beneficiaries && r.chance(0.2)) {
      const b = book.beneficiaries.get(lao.idx) ?? [];
      if (b.length > 3) b.splice(r.int(0, b.length - 1), 1);
    }
  }
}
