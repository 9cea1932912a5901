/** Pure statistics over plain numbers. */
export { robustZ, robustZDetail, MAD_TO_SIGMA, MEAN_AD_TO_SIGMA, type RobustZ } from './robust-z.ts';
export { binomialUpperTail } from './binomial-tail.ts';
export { benfordFit, expectedMad, chiSquaredUpperTailEven, firstDigitChiSquared, BENFORD_FIRST, BENFORD_FIRST_TWO, type BenfordFit } from './benford.ts';
