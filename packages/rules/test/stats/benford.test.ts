import { describe, expect, it } from 'vitest';
import { BENFORD_FIRST, BENFORD_FIRST_TWO, benfordFit, chiSquaredUpperTailEven, expectedMad, firstDigitChiSquared } from '../../src/index.ts';

describe('benfordFit', () => {
  it('when the counts follow Benford exactly, then both MADs are about 0', () => {
    const fit = benfordFit(BENFORD_FIRST_TWO.map((s) => s * 1_000_000));
    expect(fit.madFirst).toBeLessThan(1e-9);
    expect(fit.madFirstTwo).toBeLessThan(1e-9);
    expect(fit.firstShares[0]).toBeCloseTo(BENFORD_FIRST[0]!, 6);
  });

  it('when every first-two digit pair is equally common, then both MADs are above Nigrini nonconformity', () => {
    const fit = benfordFit(new Array(90).fill(10));
    expect(fit.n).toBe(900);
    expect(fit.madFirst).toBeGreaterThan(0.015);
    expect(fit.madFirstTwo).toBeGreaterThan(0.0022);
  });

  it('when there are no amounts, then the MADs are 0 rather than NaN', () => {
    expect(benfordFit(new Array(90).fill(0))).toMatchObject({ n: 0, madFirst: 0, madFirstTwo: 0, expectedMadFirst: 0, expectedMadFirstTwo: 0 });
  });

  it('when the sample grows, then the MAD expected by chance shrinks as 1/√n; for two digits it is Nigrini\'s 1/√(158.8·n)', () => {
    for (const n of [100, 300, 1_000, 10_000]) expect(expectedMad(BENFORD_FIRST_TWO, n)).toBeCloseTo(1 / Math.sqrt(158.8 * n), 5);
    expect(expectedMad(BENFORD_FIRST, 1_200)).toBeCloseTo(expectedMad(BENFORD_FIRST, 300) / 2, 10);
    expect(benfordFit(new Array(90).fill(10))).toMatchObject({ expectedMadFirstTwo: expectedMad(BENFORD_FIRST_TWO, 900), expectedMadFirst: expectedMad(BENFORD_FIRST, 900) });
  });
});

describe('chiSquaredUpperTailEven', () => {
  it('when df is 2, then the tail is e^(−x/2); at df 8 it matches the table (20.09 → 0.01, 26.12 → 0.001)', () => {
    expect(chiSquaredUpperTailEven(3, 2)).toBeCloseTo(Math.exp(-1.5), 12);
    expect(chiSquaredUpperTailEven(20.09, 8)).toBeCloseTo(0.01, 4);
    expect(chiSquaredUpperTailEven(26.12, 8)).toBeCloseTo(0.001, 5);
    expect(chiSquaredUpperTailEven(0, 8)).toBe(1);
    expect(chiSquaredUpperTailEven(5_000, 8)).toBe(0);
    expect(() => chiSquaredUpperTailEven(1, 3)).toThrow(RangeError);
  });

  it('when first digits follow the law, then χ² is about 0; when they are even, then it grows with n (about 0.4 per amount)', () => {
    expect(firstDigitChiSquared(BENFORD_FIRST.map((p) => p * 1_000))).toBeCloseTo(0, 9);
    const even = (n: number) => new Array<number>(9).fill(n / 9);
    expect(firstDigitChiSquared(even(45)) / 45).toBeCloseTo(firstDigitChiSquared(even(450)) / 450, 9);
    expect(firstDigitChiSquared(even(90)) / 90).toBeGreaterThan(0.35);
    expect(firstDigitChiSquared(even(90)) / 90).toBeLessThan(0.45);
  });
});
