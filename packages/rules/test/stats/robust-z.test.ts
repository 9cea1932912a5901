import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAD_TO_SIGMA, MEAN_AD_TO_SIGMA, RULES_ERROR_CODES, robustZ, robustZDetail } from '../../src/index.ts';

const value = fc.integer({ min: -1_000_000, max: 1_000_000 });
const sample = fc.array(value, { minLength: 1, maxLength: 60 });

describe('robustZ', () => {
  it('when the sample has spread, then z is (x − median) / (1.4826 · MAD)', () => {
    // median 3, absolute deviations [2, 1, 0, 1, 97] → MAD 1
    expect(robustZ(10, [1, 2, 3, 4, 100])).toBeCloseTo(7 / MAD_TO_SIGMA, 12);
    expect(robustZDetail(10, [1, 2, 3, 4, 100])).toMatchObject({ median: 3, mad: 1, scale: 'mad' });
  });

  it('when more than half the sample is one value, then the mean absolute deviation stands in for MAD', () => {
    // median 5, MAD 0, mean |x − 5| = 4 / 5
    expect(robustZ(7, [5, 5, 5, 5, 9])).toBeCloseTo(2 / (0.8 * MEAN_AD_TO_SIGMA), 12);
    expect(robustZDetail(7, [5, 5, 5, 5, 9]).scale).toBe('mean-ad');
  });

  it('when every observation is the same, then the same value scores 0 and any other ±Infinity', () => {
    expect(robustZ(600, [600, 600, 600])).toBe(0);
    expect(robustZ(700, [600, 600, 600])).toBe(Infinity);
    expect(robustZ(500, [600, 600, 600])).toBe(-Infinity);
  });

  it('when the sample is empty, then it throws PW_ERR_RULES_EMPTY_SAMPLE', () => {
    expect(() => robustZ(1, [])).toThrow(expect.objectContaining({ code: RULES_ERROR_CODES.emptySample }));
  });

  it('when sample and x are shifted by the same constant, then z does not change', () => {
    fc.assert(fc.property(value, sample, value, (x, xs, c) => {
      expect(robustZ(x + c, xs.map((v) => v + c))).toBe(robustZ(x, xs));
    }));
  });

  it('when sample and x are mirrored, then z changes sign only', () => {
    fc.assert(fc.property(value, sample, (x, xs) => {
      const z = robustZ(x, xs);
      expect(robustZ(-x, xs.map((v) => -v))).toBe(z === 0 ? 0 : -z);
    }));
  });

  it('when sample and x are scaled by a positive factor, then z does not change', () => {
    fc.assert(fc.property(value, sample, fc.integer({ min: 1, max: 1000 }), (x, xs, k) => {
      expect(robustZ(x * k, xs.map((v) => v * k))).toBe(robustZ(x, xs));
    }));
  });

  it('when x is above the median, then z is positive, and below, negative', () => {
    fc.assert(fc.property(value, sample, (x, xs) => {
      const { z, median } = robustZDetail(x, xs);
      expect(Math.sign(z)).toBe(Math.sign(x - median));
    }));
  });
});
