/** The synthetic world's random source: integer helpers over one seeded stream (same seed ⇒ same world). */
import { mulberry32 } from '@paywatch/ktb-formats';

export class WorldRandom {
  private readonly next: () => number;
  /** Full names (without title) already given to someone in this world. */
  readonly usedNames = new Set<string>();
  constructor(seed: number) { this.next = mulberry32(seed); }
  float(): number { return this.next(); }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
  digits(n: number): string { let s = String(this.int(1, 9)); while (s.length < n) s += String(this.int(0, 9)); return s; }
  /** Log-normal whole baht around `medianBaht` with log-sd `sigma` (vendor amounts are heavy-tailed). */
  logNormalBaht(medianBaht: number, sigma: number): number {
    const u = Math.max(this.next(), 1e-12), v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(100, Math.round(medianBaht * Math.exp(sigma * z)));
  }
}
