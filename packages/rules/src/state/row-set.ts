/** A set of row numbers kept as sorted, disjoint, inclusive ranges: a file's rows arrive mostly in order, so a batch costs one range. */
export class RowSet {
  /** Flat [start0, end0, start1, end1, …], sorted, non-overlapping, non-adjacent. */
  readonly #ranges: number[];

  constructor(ranges: readonly number[] = []) {
    this.#ranges = [...ranges];
  }

  /** True when the row is in the set. */
  has(row: number): boolean {
    const k = this.#rangeAtOrBefore(row);
    return k >= 0 && row <= this.#ranges[2 * k + 1]!;
  }

  /** Adds a row, merging it into neighbouring ranges. */
  add(row: number): void {
    const r = this.#ranges;
    const k = this.#rangeAtOrBefore(row);
    if (k >= 0 && row <= r[2 * k + 1]!) return;
    const joinsLeft = k >= 0 && r[2 * k + 1]! === row - 1;
    const next = k + 1;
    const joinsRight = 2 * next < r.length && r[2 * next]! === row + 1;
    if (joinsLeft && joinsRight) r.splice(2 * k + 1, 2);
    else if (joinsLeft) r[2 * k + 1] = row;
    else if (joinsRight) r[2 * next] = row;
    else r.splice(2 * next, 0, row, row);
  }

  /** The ranges as a flat array, for snapshots. */
  toJSON(): number[] {
    return [...this.#ranges];
  }

  /** Index of the last range whose start is ≤ row, or -1. */
  #rangeAtOrBefore(row: number): number {
    let lo = 0, hi = this.#ranges.length / 2 - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.#ranges[2 * mid]! <= row) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
}
