/**
 * A bounded sample of the most recent values, kept both in arrival order (to drop the oldest) and sorted (so a
 * quantile, a median or a count below a value is a lookup, not a sort of the whole history per record). Adding a
 * value costs a binary search and one block move; reading a quantile costs nothing.
 */

/** Index of the first element of `sorted[0, n)` that is ≥ `x` (binary search). */
function lowerBound(sorted: Float64Array, n: number, x: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The most recent `capacity` values, sorted. */
export class SortedSample {
  readonly capacity: number;
  /** Arrival order, a ring: `ring[(start + i) % capacity]` is the i-th oldest. */
  #ring: Float64Array;
  #start = 0;
  #sorted: Float64Array;
  #size = 0;

  constructor(capacity: number, values: Iterable<number> = []) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ring = new Float64Array(Math.min(capacity, 16));
    this.#sorted = new Float64Array(this.#ring.length);
    for (const v of values) this.push(v);
  }

  /** How many values are held. */
  get size(): number {
    return this.#size;
  }

  /** Adds a value; the oldest one leaves when the sample is full. */
  push(value: number): void {
    if (this.#size === this.capacity) {
      const oldest = this.#ring[this.#start]!;
      this.#ring[this.#start] = value;
      this.#start = (this.#start + 1) % this.capacity;
      const at = lowerBound(this.#sorted, this.#size, oldest);
      this.#sorted.copyWithin(at, at + 1, this.#size);
      this.#insertSorted(value, this.#size - 1);
      return;
    }
    if (this.#size === this.#ring.length) this.#grow();
    this.#ring[(this.#start + this.#size) % this.#ring.length] = value;
    this.#insertSorted(value, this.#size);
    this.#size++;
  }

  /** The q-quantile, interpolated between the two nearest ranks (the definition simple-statistics' `quantileSorted` and R type 7 use); NaN when empty. */
  quantile(q: number): number {
    const n = this.#size;
    if (n === 0) return NaN;
    const pos = (n - 1) * q;
    const lo = Math.floor(pos), hi = Math.ceil(pos);
    const a = this.#sorted[lo]!, b = this.#sorted[hi]!;
    return a + (b - a) * (pos - lo);
  }

  /** How many held values are strictly below `x`. */
  countBelow(x: number): number {
    return lowerBound(this.#sorted, this.#size, x);
  }

  /** The values, oldest first (for snapshots). */
  values(): number[] {
    const out = new Array<number>(this.#size);
    const len = this.#size === this.capacity ? this.capacity : this.#ring.length;
    for (let i = 0; i < this.#size; i++) out[i] = this.#ring[(this.#start + i) % len]!;
    return out;
  }

  /** The values, smallest first. */
  sorted(): Float64Array {
    return this.#sorted.subarray(0, this.#size);
  }

  #insertSorted(value: number, n: number): void {
    const at = lowerBound(this.#sorted, n, value);
    this.#sorted.copyWithin(at + 1, at, n);
    this.#sorted[at] = value;
  }

  /** Doubles the buffers (up to the capacity) while the sample is filling; the ring is still unwrapped then. */
  #grow(): void {
    const len = Math.min(this.capacity, this.#ring.length * 2);
    const ring = new Float64Array(len), sorted = new Float64Array(len);
    for (let i = 0; i < this.#size; i++) ring[i] = this.#ring[(this.#start + i) % this.#ring.length]!;
    sorted.set(this.#sorted.subarray(0, this.#size));
    this.#ring = ring;
    this.#sorted = sorted;
    this.#start = 0;
  }
}
