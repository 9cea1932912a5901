/** The synthetic world's random source: the generators' seeded helpers, plus what only the world needs. */
import { SeededRandom } from '@paywatch/ktb-formats';

export class WorldRandom extends SeededRandom {
  /** Full names (without title) already given to someone in this world. */
  readonly usedNames = new Set<string>();
  /** Log-normal whole baht around `medianBaht` with log-sd `sigma` (vendor amounts are heavy-tailed). */
  logNormalBaht(medianBaht: number, sigma: number): number {
    const u = Math.max(this.float(), 1e-12), v = this.float();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(100, Math.round(medianBaht * Math.exp(sigma * z)));
  }
}
