/** Integer and choice helpers over one mulberry32 stream: same seed ⇒ same sequence (generators, demo worlds). */
import { mulberry32 } from './mulberry32.ts';

export class SeededRandom {
  private readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  /** A float in [0, 1). */
  float(): number { return this.next(); }
  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
  /** `n` random digits, the first one non-zero when asked (account numbers, IDs). */
  digits(n: number, firstNonZero = false): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(i === 0 && firstNonZero ? this.int(1, 9) : this.int(0, 9));
    return s;
  }
}
