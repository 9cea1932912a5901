/**
 * Numbers kept sorted, with repeats, that can be added and removed by value: the amounts of a window whose members
 * leave by date, so a count in a band is two binary searches instead of a walk over the window per record.
 */
export class SortedMultiset {
  #values = new Float64Array(16);
  #size = 0;

  /** How many values are held. */
  get size(): number {
    return this.#size;
  }

  /** Adds one occurrence of `value`. */
  add(value: number): void {
    if (this.#size === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    const at = this.#lowerBound(value);
    this.#values.copyWithin(at + 1, at, this.#size);
    this.#values[at] = value;
    this.#size++;
  }

  /** Removes one occurrence of `value`; false when none is held. */
  remove(value: number): boolean {
    const at = this.#lowerBound(value);
    if (at === this.#size || this.#values[at] !== value) return false;
    this.#values.copyWithin(at, at + 1, this.#size);
    this.#size--;
    return true;
  }

  /** How many held values are strictly below `x`. */
  countBelow(x: number): number {
    return this.#lowerBound(x);
  }

  #lowerBound(x: number): number {
    let lo = 0, hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#values[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
