import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowSet } from '../../src/state/row-set.ts';

describe('RowSet', () => {
  it('when rows are added in any order, then it answers like a Set and keeps minimal sorted ranges', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 80 }), (rows) => {
      const set = new RowSet();
      for (const r of rows) set.add(r);
      const truth = new Set(rows);
      for (let r = 0; r <= 61; r++) expect(set.has(r)).toBe(truth.has(r));
      const ranges = set.toJSON();
      for (let k = 0; k + 1 < ranges.length; k += 2) {
        expect(ranges[k]!).toBeLessThanOrEqual(ranges[k + 1]!);
        // Adjacent ranges would have been merged.
        if (k + 2 < ranges.length) expect(ranges[k + 2]!).toBeGreaterThan(ranges[k + 1]! + 1);
      }
      expect(new RowSet(ranges).toJSON()).toEqual(ranges);
    }));
  });

  it('when a file\'s rows arrive in order, then they take one range', () => {
    const set = new RowSet();
    for (let r = 1; r <= 5_000; r++) set.add(r);
    expect(set.toJSON()).toEqual([1, 5_000]);
  });
});
