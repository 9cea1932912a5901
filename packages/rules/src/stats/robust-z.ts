/** Robust z-score: how many robust standard deviations `x` lies from the median of a sample. */
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { RULES_ERROR_CODES, RulesError } from '../errors.ts';

/** MAD × 1.4826 estimates σ for normally distributed data (1 / Φ⁻¹(3/4)). */
export const MAD_TO_SIGMA = 1.4826;

/** Mean absolute deviation × 1.2533 (√(π/2)) estimates σ for normally distributed data. */
export const MEAN_AD_TO_SIGMA = 1.2533;

/** The median, the dispersion used, and the z of one value against a sample. */
export interface RobustZ {
  z: number;
  median: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** Which estimate of σ was used: `mad`, `mean-ad` when MAD is 0, `none` when every value equals the median. */
  scale: 'mad' | 'mean-ad' | 'none';
}

/**
 * Robust z of `x` against `sample`, with the median and the dispersion it used.
 *
 * When more than half the sample is one value, MAD is 0 although the sample varies; the
 * mean absolute deviation from the median still sees that variation, so it stands in.
 * When that is 0 too, every observation is the same value: `x` equal to it is ordinary (0),
 * and any other `x` is infinitely unusual on that scale (±Infinity) — a fixed amount (a rent,
 * an allowance tier) that suddenly changes is exactly what an auditor wants to see; callers
 * decide what to do with it.
 *
 * The divisions are arranged so that shifting, mirroring or scaling the data by exact factors
 * gives exactly the same z: `(x − m) / MAD` rather than `(x − m) / (1.4826 · MAD)`.
 * Throws `PW_ERR_RULES_EMPTY_SAMPLE` on an empty sample: rules check their minimum first.
 */
export function robustZDetail(x: number, sample: readonly number[]): RobustZ {
  if (sample.length === 0) throw new RulesError(RULES_ERROR_CODES.emptySample, 'robust z of an empty sample');
  const m = median(sample);
  const mad = medianAbsoluteDeviation(sample);
  const d = x - m;
  if (mad > 0) return { z: d === 0 ? 0 : d / mad / MAD_TO_SIGMA, median: m, mad, scale: 'mad' };
  let sumAbs = 0;
  for (const v of sample) sumAbs += Math.abs(v - m);
  if (sumAbs > 0) return { z: d === 0 ? 0 : (d * sample.length) / sumAbs / MEAN_AD_TO_SIGMA, median: m, mad, scale: 'mean-ad' };
  return { z: d === 0 ? 0 : d > 0 ? Infinity : -Infinity, median: m, mad, scale: 'none' };
}

/** Robust z of `x` against `sample` (median / scaled MAD; see `robustZDetail`). */
export function robustZ(x: number, sample: readonly number[]): number {
  return robustZDetail(x, sample).z;
}
