import { describe, expect, it } from 'vitest';
import { PeerGroups } from '../../src/state/peer-groups.ts';
import { baht, LAO, OTHER_LAO, OTHER_TYPE_GROUP, payment, PEER_GROUP, THIRD_LAO } from '../helpers/factory.ts';

const LIMITS = { historySize: 5, oneOffHistorySize: 4 };
const ONE_OFF = { allowance: false, recurring: false };
let row = 0;
const paid = (laoCode: string, peerGroup: string | null, amountBaht: number, over: Parameters<typeof payment>[0] = {}) =>
  payment({ laoCode, peerGroup, batchId: `b_${laoCode}`, row: ++row, amountSatang: baht(amountBaht), ...over });

describe('PeerGroups', () => {
  it('when LAOs of one type and of another fold payments, then each group holds its own and the province holds all', () => {
    const groups = new PeerGroups(LIMITS);
    groups.fold(paid(LAO, PEER_GROUP, 100), ONE_OFF);
    groups.fold(paid(OTHER_LAO, PEER_GROUP, 200), ONE_OFF);
    groups.fold(paid(THIRD_LAO, OTHER_TYPE_GROUP, 300), ONE_OFF);
    const group = groups.of(PEER_GROUP)!, other = groups.of(OTHER_TYPE_GROUP)!, province = groups.provinceOf(PEER_GROUP)!;
    expect([group.laos, other.laos, province.laos]).toEqual([2, 1, 3]);
    expect(Array.from(group.amounts('04').sorted())).toEqual([baht(100), baht(200)]);
    expect(Array.from(province.oneOffAmounts.sorted())).toEqual([baht(100), baht(200), baht(300)]);
    // Both types of province 62 see one province sample.
    expect(groups.provinceOf(OTHER_TYPE_GROUP)).toBe(province);
    expect(groups.of('66:sao')).toBeNull();
    expect(groups.of(null)).toBeNull();
    expect(groups.provinceOf(undefined)).toBeNull();
  });

  it('when a record moved no money, is an allowance or names no group, then it is no one\'s baseline; recurring pay is an amount but not a one-off', () => {
    const groups = new PeerGroups(LIMITS);
    groups.fold(paid(LAO, PEER_GROUP, 100, { status: 'failed' }), ONE_OFF);
    groups.fold(paid(LAO, PEER_GROUP, 700, { serviceType: '59' }), { allowance: true, recurring: true });
    groups.fold(paid(LAO, null, 900), ONE_OFF);
    expect(groups.of(PEER_GROUP)).toBeNull();
    groups.fold(paid(LAO, PEER_GROUP, 15_000, { serviceType: '01' }), { allowance: false, recurring: true });
    const group = groups.of(PEER_GROUP)!;
    expect(group.amounts('01').size).toBe(1);
    expect(group.oneOffAmounts.size).toBe(0);
  });

  it('when more amounts arrive than the limits keep, then the oldest go first', () => {
    const groups = new PeerGroups(LIMITS);
    for (let i = 1; i <= 7; i++) groups.fold(paid(LAO, PEER_GROUP, i), ONE_OFF);
    expect(Array.from(groups.of(PEER_GROUP)!.amounts('04').sorted())).toEqual([3, 4, 5, 6, 7].map(baht));
    expect(Array.from(groups.of(PEER_GROUP)!.oneOffAmounts.sorted())).toEqual([4, 5, 6, 7].map(baht));
  });

  it('when snapshotted and restored, then the groups, their samples in arrival order and their members come back, byte for byte', () => {
    const groups = new PeerGroups(LIMITS);
    for (const [lao, group, amount] of [[OTHER_LAO, PEER_GROUP, 300], [LAO, PEER_GROUP, 100], [THIRD_LAO, OTHER_TYPE_GROUP, 200], [LAO, PEER_GROUP, 250]] as const) groups.fold(paid(lao, group, amount), ONE_OFF);
    groups.fold(paid(LAO, PEER_GROUP, 15_000, { serviceType: '01' }), { allowance: false, recurring: true });
    const snap = groups.snapshot();
    expect(snap.map(([key, types, oneOff, members]) => [key, types.map(([st]) => st), oneOff.length, members])).toEqual([
      ['62:*', ['01', '04'], 4, [LAO, OTHER_LAO, THIRD_LAO]],
      [PEER_GROUP, ['01', '04'], 3, [LAO, OTHER_LAO]],
      [OTHER_TYPE_GROUP, ['04'], 1, [THIRD_LAO]],
    ]);
    expect(snap[1]![2]).toEqual([300, 100, 250].map(baht));
    const restored = PeerGroups.restore(JSON.parse(JSON.stringify(snap)), LIMITS);
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(snap));
    expect(restored.of(PEER_GROUP)!.oneOffAmounts.quantile(0.5)).toBe(groups.of(PEER_GROUP)!.oneOffAmounts.quantile(0.5));
    // Restored, it goes on evicting the oldest first.
    for (const g of [groups, restored]) g.fold(paid(LAO, PEER_GROUP, 1), ONE_OFF);
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(groups.snapshot()));
  });
});
