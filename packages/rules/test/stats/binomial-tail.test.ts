import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from '../../src/index.ts';

/** Straight from the definition, for small n where C(n, i) is exact in a double. */
function direct(k: number, n: number, p: number): number {
  let sum = 0;
  for (let i = Math.max(k, 0); i <= n; i++) {
    let c = 1;
    for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j;
    sum += c * p ** i * (1 - p) ** (n - i);
  }
  return sum;
}

describe('binomialUpperTail', () => {
  it('when n is small, then it agrees with direct summation of the definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -2, max: 62 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, k, p) => {
        const expected = direct(k, n, p);
        const got = binomialUpperTail(k, n, p);
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-12 + 1e-9 * expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('when k grows, then the tail never increases', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (n, p) => {
      let prev = 1;
      for (let k = 0; k <= n + 1; k++) { const t = binomialUpperTail(k, n, p); expect(t).toBeLessThanOrEqual(prev + 1e-12); prev = t; }
    }), { numRuns: 100 });
  });

  it('when n is large, then it gives known values and tiny tails without underflowing to 0', () => {
    expect(binomialUpperTail(60, 100, 0.5)).toBeCloseTo(0.028443966820490395, 12);
    const tiny = binomialUpperTail(900, 1000, 0.5);
    expect(tiny).toBeGreaterThan(0);
    expect(tiny).toBeLessThan(1e-140);
    expect(binomialUpperTail(1, 100_000, 0.5)).toBe(1);
  });

  it('when the arguments are at the edges, then the answer is exact', () => {
    expect([binomialUpperTail(0, 10, 0.3), binomialUpperTail(11, 10, 0.3), binomialUpperTail(1, 10, 0), binomialUpperTail(10, 10, 1)]).toEqual([1, 0, 0, 1]);
    expect(() => binomialUpperTail(1, 10, 1.5)).toThrow(RangeError);
  });
});
