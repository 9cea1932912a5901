/**
 * A bounded sample of the most recent values, kept both in arrival order (to drop the oldest) and sorted (so a
 * quantile, a median or a count below a value is a lookup, not a sort of the whole history per record). Adding a
 * value only writes the ring and notes the change; the sorted copy catches up when it is next read (the changes
 * replayed one by one, or a fresh sort when there are many), so a sample that is mostly written — a peer group's or
 * a province's, read only when an LAO's own history is short — costs no block moves per record.
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

/** Shared by samples that have noted no change yet (most are built and then read or written in bursts). */
const NO_PENDING = new Float64Array(0);

/** Changes beyond this share of the sample (plus a few) are cheaper to apply as one sort than one move each. */
const RESORT_FRACTION = 1 / 16;

/** The most recent `capacity` values, sorted. */
export class SortedSample {
  readonly capacity: number;
  /** Arrival order, a ring: `ring[(start + i) % capacity]` is the i-th oldest. */
  #ring: Float64Array;
  #start = 0;
  /** The held values sorted, as of the last catch-up: `#sortedSize` of them. */
  #sorted: Float64Array;
  #sortedSize = 0;
  #size = 0;
  /**
   * Changes the sorted copy has not seen yet, flat [removed value, added value, …], oldest first; the first
   * `#pendingInserts` pairs removed nothing (a sample fills before it ever drops a value, so inserts come first).
   */
  #pending = NO_PENDING;
  /** How many numbers of `#pending` are in use (twice the changes): the buffer is reused, not reallocated per read. */
  #pendingLength = 0;
  #pendingInserts = 0;
  /** Set once the changes outnumber what replaying pays for: they are no longer noted, the next read sorts afresh. */
  #resort = false;

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
      this.#note(oldest, value);
      return;
    }
    if (this.#size === this.#ring.length) this.#grow();
    this.#ring[(this.#start + this.#size) % this.#ring.length] = value;
    this.#size++;
    if (this.#note(0, value)) this.#pendingInserts++;
  }

  /** The q-quantile, interpolated between the two nearest ranks (the definition simple-statistics' `quantileSorted` and R type 7 use); NaN when empty. */
  quantile(q: number): number {
    const n = this.#size;
    if (n === 0) return NaN;
    const sorted = this.#caughtUp();
    const pos = (n - 1) * q;
    const lo = Math.floor(pos), hi = Math.ceil(pos);
    const a = sorted[lo]!, b = sorted[hi]!;
    return a + (b - a) * (pos - lo);
  }

  /** How many held values are strictly below `x`. */
  countBelow(x: number): number {
    return lowerBound(this.#caughtUp(), this.#size, x);
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
    return this.#caughtUp().subarray(0, this.#size);
  }

  /**
   * Notes a change for the next read; false when it is not noted because the next read sorts afresh anyway (so a
   * sample that is only ever written holds a bounded list of changes, not one per push).
   */
  #note(removed: number, added: number): boolean {
    if (this.#resort) return false;
    const at = this.#pendingLength;
    if (at / 2 >= 8 + this.#size * RESORT_FRACTION) {
      this.#resort = true;
      this.#pendingLength = 0;
      this.#pendingInserts = 0;
      return false;
    }
    if (at + 2 > this.#pending.length) {
      const grown = new Float64Array(Math.max(16, this.#pending.length * 2));
      grown.set(this.#pending);
      this.#pending = grown;
    }
    this.#pending[at] = removed;
    this.#pending[at + 1] = added;
    this.#pendingLength = at + 2;
    return true;
  }

  /** The sorted copy with every pending change applied. */
  #caughtUp(): Float64Array {
    const pending = this.#pending, pendingLength = this.#pendingLength;
    if (pendingLength === 0 && !this.#resort) return this.#sorted;
    if (this.#resort) {
      // Many changes: sort the ring's values afresh (the same sorted array, whatever the order they are taken in).
      const sorted = this.#sorted;
      // A ring that is not full has never wrapped: its first `size` slots are the values.
      sorted.set(this.#size === this.#ring.length ? this.#ring : this.#ring.subarray(0, this.#size));
      sorted.subarray(0, this.#size).sort();
    } else {
      const inserts = 2 * this.#pendingInserts;
      for (let i = 0; i < inserts; i += 2) this.#insertSorted(pending[i + 1]!);
      for (let i = inserts; i < pendingLength; i += 2) this.#replaceSorted(pending[i]!, pending[i + 1]!);
    }
    this.#sortedSize = this.#size;
    this.#pendingLength = 0;
    this.#pendingInserts = 0;
    this.#resort = false;
    return this.#sorted;
  }

  /** Inserts a value into the sorted copy. */
  #insertSorted(value: number): void {
    const n = this.#sortedSize;
    const at = lowerBound(this.#sorted, n, value);
    this.#sorted.copyWithin(at + 1, at, n);
    this.#sorted[at] = value;
    this.#sortedSize = n + 1;
  }

  /**
   * Swaps one held value for another in the sorted copy, moving only the values between their two places (the result
   * is the same array as removing `oldest` and inserting `value`).
   */
  #replaceSorted(oldest: number, value: number): void {
    const sorted = this.#sorted, n = this.#sortedSize;
    const from = lowerBound(sorted, n, oldest);
    if (value > oldest) {
      // The values in [oldest, value) move down one place; `value` goes after the last of them.
      const to = lowerBound(sorted, n, value) - 1;
      sorted.copyWithin(from, from + 1, to + 1);
      sorted[to] = value;
    } else if (value < oldest) {
      const to = lowerBound(sorted, from, value);
      sorted.copyWithin(to + 1, to, from);
      sorted[to] = value;
    }
  }

  /** Doubles the buffers (up to the capacity) while the sample is filling; the ring is still unwrapped then. */
  #grow(): void {
    const len = Math.min(this.capacity, this.#ring.length * 2);
    const ring = new Float64Array(len), sorted = new Float64Array(len);
    for (let i = 0; i < this.#size; i++) ring[i] = this.#ring[(this.#start + i) % this.#ring.length]!;
    sorted.set(this.#sorted.subarray(0, this.#sortedSize));
    this.#ring = ring;
    this.#sorted = sorted;
    this.#start = 0;
  }
}
