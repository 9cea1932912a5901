import { describe, expect, it } from 'vitest';
import type { Alert } from '@paywatch/domain';
import { coalesce, MAX_GROUP_MEMBERS_PER_MESSAGE } from '../src/partition-detector.ts';

const member = (row: number) => ({ recordId: `b:${row}` }) as NonNullable<Alert['groupMembers']>[number];
const groupVersion = (id: string, count: number, rows: number[]) => ({ alertId: id, group: { count }, groupMembers: rows.map(member) }) as unknown as Alert;
const plain = (id: string) => ({ alertId: id }) as Alert;

describe('coalescing group alerts in one consumed batch (ADR 0019)', () => {
  it('when a group alert has several versions in one batch, then one message carries the newest version and every member, in order; other alerts are untouched', () => {
    const out: Alert[] = [];
    const at = new Map<string, number>();
    for (const a of [plain('a'), groupVersion('g', 1, [6]), plain('a'), groupVersion('g', 2, [7]), groupVersion('g', 3, [8])]) coalesce(out, at, a);
    expect(out.map((a) => a.alertId)).toEqual(['a', 'g', 'a']);
    expect(out[1]!.group!.count).toBe(3);
    expect(out[1]!.groupMembers!.map((m) => m.recordId)).toEqual(['b:6', 'b:7', 'b:8']);
  });

  it('when the members would exceed a message\'s share, then a new message starts and no member is lost', () => {
    const out: Alert[] = [];
    const at = new Map<string, number>();
    const n = MAX_GROUP_MEMBERS_PER_MESSAGE + 5;
    for (let i = 1; i <= n; i++) coalesce(out, at, groupVersion('g', i, [i]));
    expect(out).toHaveLength(2);
    expect(out.map((a) => a.groupMembers!.length)).toEqual([MAX_GROUP_MEMBERS_PER_MESSAGE, 5]);
    expect(out[1]!.group!.count).toBe(n);
  });
});
