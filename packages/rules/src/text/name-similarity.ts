/**
 * How alike two normalised names are: the Dice coefficient of their character bigrams (0 = nothing shared, 1 = the
 * same bigrams). Spelling variants of one payee ("ศรีสุขการช่าง" / "ศรีสุขการชาง") share most bigrams; two suppliers'
 * names share few. Thai has no spaces between words, so characters, not words, are compared.
 */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) { const g = a.slice(i, i + 2); counts.set(g, (counts.get(g) ?? 0) + 1); }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2), c = counts.get(g);
    if (c) { shared++; counts.set(g, c - 1); }
  }
  return (2 * shared) / (a.length - 1 + b.length - 1);
}
