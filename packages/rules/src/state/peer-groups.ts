/**
 * Baselines of peer groups: LAOs of the same type in the same province (typologies.md falls back on them where an
 * LAO's own history is too short). Fed by every outflow record that carries its `peerGroup`; one detector partition
 * holds a whole group, because `disbursements.v1` is keyed by it. Samples are bounded like an LAO's own.
 */
import { isOutflow, provinceOfPeerGroup, type Disbursement } from '@paywatch/domain';
import type { AmountSample } from './lao-state.ts';
import { SortedSample } from './sorted-sample.ts';

/** What rules may read of a peer group. */
export interface PeerGroupView {
  /** The group's recent outflow amounts of one service type, every LAO of it together. */
  amounts(serviceType: string): AmountSample;
  /** The group's recent one-off outflow amounts. */
  readonly oneOffAmounts: AmountSample;
  /** LAOs of the group seen so far. */
  readonly laos: number;
}

/** How much a group keeps. */
export interface PeerLimits { historySize: number; oneOffHistorySize: number }

/** Plain-JSON form: [group, [serviceType, amounts oldest first][], one-off amounts, LAO codes]. */
export type PeerGroupSnapshot = [string, [string, number[]][], number[], string[]];

const EMPTY: AmountSample = new SortedSample(1);
/** The key a province's samples are kept under, beside its peer groups' (`66:*`); remembered per group (a few hundred). */
function provinceKey(group: string): string {
  let key = provinceKeys.get(group);
  if (key === undefined) {
    if (provinceKeys.size >= 4_096) provinceKeys.clear();
    provinceKeys.set(group, (key = `${provinceOfPeerGroup(group)}:*`));
  }
  return key;
}
const provinceKeys = new Map<string, string>();

class PeerGroup implements PeerGroupView {
  readonly byType = new Map<string, SortedSample>();
  readonly oneOff: SortedSample;
  readonly members = new Set<string>();
  constructor(readonly limits: PeerLimits) { this.oneOff = new SortedSample(limits.oneOffHistorySize); }
  amounts(serviceType: string): AmountSample { return this.byType.get(serviceType) ?? EMPTY; }
  get oneOffAmounts(): AmountSample { return this.oneOff; }
  get laos(): number { return this.members.size; }
}

/** Every peer group an engine has seen. */
export class PeerGroups {
  readonly #groups = new Map<string, PeerGroup>();
  constructor(private readonly limits: PeerLimits) {}

  /** The group of a record, or null when the record names none. */
  of(group: string | null | undefined): PeerGroupView | null {
    return group ? (this.#groups.get(group) ?? null) : null;
  }

  /** Every LAO of the group's province, whatever its type (the last fallback: peer groups are small in small provinces). */
  provinceOf(group: string | null | undefined): PeerGroupView | null {
    return group ? (this.#groups.get(provinceKey(group)) ?? null) : null;
  }

  /** Folds a record in (outflow only: failed transfers moved no money; allowances are no one's baseline but welfare's). */
  fold(record: Disbursement, kind: { allowance: boolean; recurring: boolean }): void {
    if (!record.peerGroup || !isOutflow(record.status) || kind.allowance) return;
    this.#foldInto(record.peerGroup, record, kind.recurring);
    this.#foldInto(provinceKey(record.peerGroup), record, kind.recurring);
  }

  #foldInto(key: string, record: Disbursement, recurring: boolean): void {
    let g = this.#groups.get(key);
    if (!g) this.#groups.set(key, (g = new PeerGroup(this.limits)));
    g.members.add(record.laoCode);
    let sample = g.byType.get(record.serviceType);
    if (!sample) g.byType.set(record.serviceType, (sample = new SortedSample(this.limits.historySize)));
    sample.push(record.amountSatang);
    if (!recurring) g.oneOff.push(record.amountSatang);
  }

  /** Groups in key order, service types in code order: the same state gives the same bytes. */
  snapshot(): PeerGroupSnapshot[] {
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.#groups].sort(([a], [b]) => byText(a, b)).map(([key, g]) => [
      key, [...g.byType].sort(([a], [b]) => byText(a, b)).map(([st, s]) => [st, s.values()]), g.oneOff.values(), [...g.members].sort(byText),
    ]);
  }

  static restore(snapshot: readonly PeerGroupSnapshot[], limits: PeerLimits): PeerGroups {
    const out = new PeerGroups(limits);
    for (const [key, types, oneOff, members] of snapshot) {
      const g = new PeerGroup(limits);
      for (const [st, values] of types) g.byType.set(st, new SortedSample(limits.historySize, values));
      for (const v of oneOff) g.oneOff.push(v);
      for (const m of members) g.members.add(m);
      out.#groups.set(key, g);
    }
    return out;
  }
}
