/**
 * One LAO's reference data (registered payees, staff, approved vouchers, welfare beneficiaries),
 * the latest snapshot of each kind, with the lookups the rules need. The snapshots are the state
 * (they go into engine snapshots); the lookups are rebuilt from them.
 */
import { accountKey, nextRegisterHistory, REGISTER_HISTORY_DAYS, type ApprovedVoucher, type RegisterChange, type ReferenceKind, type ReferenceSnapshot, type RegisteredPayee, type StaffMember, type WelfareBeneficiary } from '@paywatch/domain';
import { normaliseThaiName } from '../text/normalise-thai-name.ts';

/** The snapshot of one kind. */
export type ReferenceOf<K extends ReferenceKind> = Extract<ReferenceSnapshot, { kind: K }>;

function group<T>(items: readonly T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Registered payees by account, and the register's account history (when an account was added or changed, by version). */
export interface PayeeRegister { version: number; effectiveFrom: string; byAccount: Map<string, RegisteredPayee[]>; changes: Map<string, RegisterChange> }

/** Staff by account, by citizen ID and by normalised name. */
export interface StaffList { version: number; byAccount: Map<string, StaffMember[]>; byCitizenId: Map<string, StaffMember[]>; byName: Map<string, StaffMember[]> }
/** Approved vouchers by amount. */
export interface VoucherList { version: number; byAmount: Map<number, ApprovedVoucher[]>; count: number }
/** Beneficiaries by citizen ID, by account and by normalised name. */
export interface BeneficiaryList { version: number; byCitizenId: Map<string, WelfareBeneficiary[]>; byAccount: Map<string, WelfareBeneficiary[]>; byName: Map<string, WelfareBeneficiary[]> }

/** What rules may read of an LAO's reference data: each kind is undefined when the LAO has not supplied it. */
export interface LaoReferenceView {
  readonly payees: PayeeRegister | undefined;
  readonly staff: StaffList | undefined;
  readonly vouchers: VoucherList | undefined;
  readonly beneficiaries: BeneficiaryList | undefined;
}

/** Mutable reference data of one LAO, owned by the engine. */
export class LaoReference implements LaoReferenceView {
  payees: PayeeRegister | undefined;
  staff: StaffList | undefined;
  vouchers: VoucherList | undefined;
  beneficiaries: BeneficiaryList | undefined;
  readonly #snapshots = new Map<ReferenceKind, ReferenceSnapshot>();

  /** The version held for a kind, or 0. */
  versionOf(kind: ReferenceKind): number {
    return this.#snapshots.get(kind)?.version ?? 0;
  }

  /** Keeps the snapshot when its version is higher than the one held; true when it replaced it (same or lower version: no change). */
  apply(snapshot: ReferenceSnapshot): boolean {
    if (snapshot.version <= this.versionOf(snapshot.kind)) return false;
    const heldPayees = this.#snapshots.get('payees') as Extract<ReferenceSnapshot, { kind: 'payees' }> | undefined;
    this.#snapshots.set(snapshot.kind, snapshot);
    switch (snapshot.kind) {
      case 'payees': {
        // The history ingest sent with the version decides (it saw every version); without one, the engine's own
        // diff against the register it held, so consecutive versions applied here give the same history.
        const changes = snapshot.changes ?? nextRegisterHistory(heldPayees ?? null, snapshot, REGISTER_HISTORY_DAYS);
        // Stored with the snapshot, so engine snapshots keep it (a first register's empty history adds nothing).
        if (changes.length > 0 || snapshot.changes) this.#snapshots.set('payees', { ...snapshot, changes });
        this.payees = { version: snapshot.version, effectiveFrom: snapshot.effectiveFrom, byAccount: group(snapshot.items, (p) => accountKey(p.bankCode, p.account)), changes: new Map(changes.map((c) => [c[0], c])) };
        break;
      }
      case 'staff':
        this.staff = {
          version: snapshot.version,
          byAccount: group(snapshot.items, (s) => accountKey(s.bankCode, s.account)),
          byCitizenId: group(snapshot.items, (s) => s.citizenId),
          byName: group(snapshot.items, (s) => normaliseThaiName(s.name)),
        };
        break;
      case 'vouchers':
        this.vouchers = { version: snapshot.version, byAmount: new Map([...group(snapshot.items, (v) => String(v.amountSatang))].map(([k, v]) => [Number(k), v])), count: snapshot.items.length };
        break;
      case 'beneficiaries':
        this.beneficiaries = {
          version: snapshot.version,
          byCitizenId: group(snapshot.items, (b) => b.citizenId),
          byAccount: group(snapshot.items, (b) => (b.bankCode !== null && b.account !== null ? accountKey(b.bankCode, b.account) : null)),
          byName: group(snapshot.items, (b) => normaliseThaiName(b.name)),
        };
        break;
    }
    return true;
  }

  /** The snapshots held, in kind order (for engine snapshots). */
  snapshots(): ReferenceSnapshot[] {
    return [...this.#snapshots.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }
}

/** The (bank, account) key reference lookups use: the account normalised as records' accounts are. */
export const referenceAccountKey = accountKey;

/** Reference data of an LAO that supplied none. */
export const NO_REFERENCE: LaoReferenceView = Object.freeze({ payees: undefined, staff: undefined, vouchers: undefined, beneficiaries: undefined });
