/** Upper tail of the binomial distribution, summed in log space so that n in the thousands neither underflows nor overflows. */

/** log(e^a + e^b) without overflow. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log Σ_{i=from..to} C(n, i)·pⁱ·(1−p)ⁿ⁻ⁱ, terms built in log space (log C by a running sum of logs). */
function logSum(from: number, to: number, n: number, lp: number, lq: number): number {
  let logC = 0;
  for (let j = 1; j <= from; j++) logC += Math.log(n - from + j) - Math.log(j);
  let total = -Infinity;
  const mode = n * Math.exp(lp);
  for (let i = from; i <= to; i++) {
    const term = logC + i * lp + (n - i) * lq;
    total = logAddExp(total, term);
    // Past the mode the terms only shrink (geometrically): once one is e⁻⁴⁰ of the total, the rest cannot show in a double.
    if (i > mode && term < total - 40) break;
    logC += Math.log(n - i) - Math.log(i + 1);
  }
  return total;
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the chance of seeing at least k successes in n trials if the
 * success rate were p. Summed in log space with log-sum-exp, so n in the thousands neither
 * underflows nor overflows. The side of the distribution away from the mean is the one summed
 * (for k below the mean, 1 − P(X < k)): its terms are the small ones, which keeps the rounding
 * error of a long sum out of a tail that would otherwise be 1 − ε. Clamped to [0, 1].
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1)) throw new RangeError(`binomialUpperTail(${k}, ${n}, ${p})`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lp = Math.log(p), lq = Math.log1p(-p);
  const upper = k > n * p;
  const value = upper ? Math.exp(logSum(k, n, n, lp, lq)) : 1 - Math.exp(logSum(0, k - 1, n, lp, lq));
  return Math.min(1, Math.max(0, value));
}
