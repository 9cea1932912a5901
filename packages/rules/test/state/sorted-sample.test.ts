import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantile } from 'simple-statistics';
import { SortedSample } from '../../src/state/sorted-sample.ts';

describe('SortedSample', () => {
  it('when values stream in past its capacity, then it holds the latest ones and its quantiles equal a full sort of them', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (capacity, xs, q) => {
      const s = new SortedSample(capacity);
      for (const x of xs) s.push(x);
      const kept = xs.slice(-capacity);
      expect(s.values()).toEqual(kept);
      expect([...s.sorted()]).toEqual([...kept].sort((a, b) => a - b));
      if (kept.length > 0) expect(s.quantile(q)).toBeCloseTo(quantile(kept, q), 9);
      const probe = xs[0] ?? 0;
      expect(s.countBelow(probe)).toBe(kept.filter((x) => x < probe).length);
    }));
  });

  it('when rebuilt from its values, then it is the same sample', () => {
    const s = new SortedSample(5, [9, 1, 7, 3, 5, 2, 8]);
    expect(new SortedSample(5, s.values()).values()).toEqual([7, 3, 5, 2, 8]);
    expect(s.quantile(0.5)).toBe(5);
    expect(new SortedSample(3).quantile(0.5)).toBeNaN();
  });
});

describe('SortedSample read between pushes', () => {
  it('when quantiles and ranks are read while values stream in, then each read equals a full sort of the values held then', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 400 }), (capacity, steps) => {
      const s = new SortedSample(capacity);
      const held: number[] = [];
      for (const [x, read] of steps) {
        s.push(x);
        held.push(x);
        if (held.length > capacity) held.shift();
        if (!read) continue;
        const sorted = [...held].sort((a, b) => a - b);
        expect([...s.sorted()]).toEqual(sorted);
        expect(s.countBelow(x)).toBe(sorted.filter((v) => v < x).length);
        expect(s.quantile(0.5)).toBeCloseTo(quantile(sorted, 0.5), 9);
      }
      expect(s.values()).toEqual(held);
    }), { numRuns: 300 });
  });
});
