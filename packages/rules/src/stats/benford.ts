/** Benford's law on first and first-two digits, with Nigrini's mean absolute deviation. */

/** Expected share of first-two digits d = 10..99: log10(1 + 1/d). */
export const BENFORD_FIRST_TWO: readonly number[] = Object.freeze(Array.from({ length: 90 }, (_, i) => Math.log10(1 + 1 / (i + 10))));
/** Expected share of first digits d = 1..9: log10(1 + 1/d). */
export const BENFORD_FIRST: readonly number[] = Object.freeze(Array.from({ length: 9 }, (_, i) => Math.log10(1 + 1 / (i + 1))));

/**
 * The MAD a sample of `n` amounts that DO follow the law is expected to show, from sampling alone: the mean over the
 * digits of E|p̂ − p| ≈ √(2p(1−p) / (πn)) (normal approximation of the binomial share). For the first two digits this
 * is Nigrini's 1/√(158.8·n). It matters at the sizes an LAO reaches: at n = 300 a perfectly honest year shows a
 * first-two-digit MAD of about 0.0046, twice Nigrini's 0.0022 cut-off, which was set for samples of many thousands.
 */
export function expectedMad(shares: readonly number[], n: number): number {
  if (n <= 0) return 0;
  return shares.reduce((s, p) => s + Math.sqrt((2 * p * (1 - p)) / (Math.PI * n)), 0) / shares.length;
}

/** How far a sample's digits are from Benford's law. */
export interface BenfordFit {
  /** Amounts counted. */
  n: number;
  /** Mean absolute deviation of the first-digit shares (9 digits). */
  madFirst: number;
  /** Mean absolute deviation of the first-two-digit shares (90 pairs). */
  madFirstTwo: number;
  /** The first-digit MAD expected of a conforming sample of this size (`expectedMad`). */
  expectedMadFirst: number;
  /** The first-two-digit MAD expected of a conforming sample of this size. */
  expectedMadFirstTwo: number;
  /** Observed first-digit shares, digits 1..9. */
  firstShares: number[];
}

/** MAD of the sample whose first-two-digit counts are `counts` (index d − 10); first digits are derived from them. */
export function benfordFit(counts: readonly number[]): BenfordFit {
  if (counts.length !== 90) throw new RangeError('benfordFit needs 90 counts (first two digits 10..99)');
  const n = counts.reduce((a, b) => a + b, 0);
  const first = new Array<number>(9).fill(0);
  counts.forEach((c, i) => { first[Math.floor((i + 10) / 10) - 1]! += c; });
  if (n === 0) return { n, madFirst: 0, madFirstTwo: 0, expectedMadFirst: 0, expectedMadFirstTwo: 0, firstShares: first };
  const firstShares = first.map((c) => c / n);
  const madFirst = firstShares.reduce((s, share, i) => s + Math.abs(share - BENFORD_FIRST[i]!), 0) / 9;
  const madFirstTwo = counts.reduce((s, c, i) => s + Math.abs(c / n - BENFORD_FIRST_TWO[i]!), 0) / 90;
  return { n, madFirst, madFirstTwo, expectedMadFirst: expectedMad(BENFORD_FIRST, n), expectedMadFirstTwo: expectedMad(BENFORD_FIRST_TWO, n), firstShares };
}

/**
 * P(X ≥ x) for X ~ χ² with an even number of degrees of freedom `df`: e^(−x/2) · Σ_{k<df/2} (x/2)^k / k!, exact (the
 * first-digit test has 8). Terms are built in log space so a large x underflows to 0 rather than to NaN.
 */
export function chiSquaredUpperTailEven(x: number, df: number): number {
  if (!Number.isInteger(df) || df <= 0 || df % 2 !== 0) throw new RangeError('chiSquaredUpperTailEven needs an even df ≥ 2');
  if (!(x > 0)) return 1;
  const h = x / 2;
  let term = 0, sum = 0; // log of (x/2)^k / k!
  for (let k = 0; k < df / 2; k++) {
    if (k > 0) term += Math.log(h) - Math.log(k);
    sum += Math.exp(term - h);
  }
  return Math.min(1, sum);
}

/** Pearson's χ² of first-digit counts (digits 1..9) against Benford's law; 8 degrees of freedom. */
export function firstDigitChiSquared(counts: readonly number[]): number {
  if (counts.length !== 9) throw new RangeError('firstDigitChiSquared needs 9 counts (digits 1..9)');
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return 0;
  return counts.reduce((s, c, i) => s + (c - n * BENFORD_FIRST[i]!) ** 2 / (n * BENFORD_FIRST[i]!), 0);
}
