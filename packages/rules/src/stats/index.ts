/** Statistics used by the rules: pure functions over plain numbers. */
export { robustZ, robustZDetail, MAD_TO_SIGMA, MEAN_AD_TO_SIGMA, type RobustZ } from './robust-z.ts';
