/** Benford's law on first and first-two digits, with Nigrini's mean absolute deviation. */

/** Expected share of first-two digits d = 10..99: log10(1 + 1/d). */
export const BENFORD_FIRST_TWO: readonly number[] = Object.freeze(Array.from({ length: 90 }, (_, i) => Math.log10(1 + 1 / (i + 10))));
/** Expected share of first digits d = 1..9: log10(1 + 1/d). */
export const BENFORD_FIRST: readonly number[] = Object.freeze(Array.from({ length: 9 }, (_, i) => Math.log10(1 + 1 / (i + 1))));

/** How far a sample's digits are from Benford's law. */
export interface BenfordFit {
  /** Amounts counted. */
  n: number;
  /** Mean absolute deviation of the first-digit shares (9 digits). */
  madFirst: number;
  /** Mean absolute deviation of the first-two-digit shares (90 pairs). */
  madFirstTwo: number;
  /** Observed first-digit shares, digits 1..9. */
  firstShares: number[];
}

/** MAD of the sample whose first-two-digit counts are `counts` (index d − 10); first digits are derived from them. */
export function benfordFit(counts: readonly number[]): BenfordFit {
  if (counts.length !== 90) throw new RangeError('benfordFit needs 90 counts (first two digits 10..99)');
  const n = counts.reduce((a, b) => a + b, 0);
  const first = new Array<number>(9).fill(0);
  counts.forEach((c, i) => { first[Math.floor((i + 10) / 10) - 1]! += c; });
  if (n === 0) return { n, madFirst: 0, madFirstTwo: 0, firstShares: first };
  const firstShares = first.map((c) => c / n);
  const madFirst = firstShares.reduce((s, share, i) => s + Math.abs(share - BENFORD_FIRST[i]!), 0) / 9;
  const madFirstTwo = counts.reduce((s, c, i) => s + Math.abs(c / n - BENFORD_FIRST_TWO[i]!), 0) / 90;
  return { n, madFirst, madFirstTwo, firstShares };
}
