import { describe, expect, it } from 'vitest';
import { BENFORD_FIRST, BENFORD_FIRST_TWO, benfordFit, expectedMad } from '../../src/index.ts';

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
