import { describe, expect, it } from 'vitest';
import { SortedMultiset } from '../../src/state/sorted-multiset.ts';

/** A small deterministic generator, so a failure replays. */
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

describe('SortedMultiset', () => {
  it('when values with repeats are added and removed at random, then size and every count below agree with a plain list', () => {
    const rand = lcg(42);
    const set = new SortedMultiset();
    const plain: number[] = [];
    for (let step = 0; step < 5_000; step++) {
      if (plain.length > 0 && rand() < 0.4) {
        const v = plain[Math.floor(rand() * plain.length)]!;
        expect(set.remove(v)).toBe(true);
        plain.splice(plain.indexOf(v), 1);
      } else {
        const v = Math.floor(rand() * 50) * 100; // few distinct values: repeats on purpose
        set.add(v);
        plain.push(v);
      }
      const probe = Math.floor(rand() * 5_200);
      expect(set.size).toBe(plain.length);
      expect(set.countBelow(probe)).toBe(plain.filter((v) => v < probe).length);
    }
  });
  it('when a value that is not held is removed, then nothing changes and it says so', () => {
    const set = new SortedMultiset();
    set.add(5); set.add(5); set.add(9);
    expect(set.remove(7)).toBe(false);
    expect(set.size).toBe(3);
    expect(set.remove(5)).toBe(true);
    expect([set.size, set.countBelow(6), set.countBelow(10)]).toEqual([2, 1, 2]);
  });
});
