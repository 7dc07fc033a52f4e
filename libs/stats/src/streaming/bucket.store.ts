import { packCounts, unpackCounts } from './packed.counts';

/**
 * JSON form of a {@link BucketStore}: lowest key, the counts from it, whether it collapsed. 32-bit
 * counts are `packed` (packCounts: varints, a run of empty buckets as one entry, base64), so a
 * store with few values over a wide key range stays small; others (past 2^32 - 1) are `counts`,
 * dense. `counts` is read as it was written before the packed form too: a negative entry -k stands
 * for k empty buckets.
 */
export type BucketStoreJSON = { key: number; collapsed?: true } & (
  { packed: string; counts?: undefined } | { counts: number[]; packed?: undefined }
);

/** Counts as 32-bit integers (4 bytes a bucket) until a count is fractional or passes 2^32 - 1. */
type Counts = Uint32Array | Float64Array;

const UINT32_MAX = 0xffffffff;

function fitsUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= UINT32_MAX;
}

/** The counts of `encoded` (zero runs expanded), 32-bit while every count fits, and their sum. */
function decodeCounts(encoded: readonly number[]): { counts: Counts; total: number } {
  let length = 0;
  let fits = true;
  for (const c of encoded) {
    if (c < 0) length -= c;
    else {
      length++;
      if (fits && !fitsUint32(c)) fits = false;
    }
  }
  const counts: Counts = fits ? new Uint32Array(length) : new Float64Array(length);
  let total = 0;
  let i = 0;
  for (const c of encoded) {
    if (c < 0)
      i -= c; // the array starts zeroed
    else {
      counts[i++] = c;
      total += c;
    }
  }
  return { counts, total };
}

/**
 * Dense counts per DDSketch bucket key with a bound on the number of buckets. When the keys span
 * more than `binLimit` buckets, every key below `maxKey - binLimit + 1` folds into that key, and
 * the store is marked collapsed: its lowest bucket then stands for everything down to 0.
 *
 * The store of @datadog/sketches-js 2.1.1 is not used because its merge loses counts when the
 * other store's highest key is 0 (`secondKey || key`), and DDSketch.merge skips the negative
 * store. Folding by the final highest key makes this merge exact, associative and commutative.
 */
export class BucketStore {
  private offset = 0;
  private counts: Counts = new Uint32Array(0);
  private isCollapsed = false;
  private total = 0;

  constructor(readonly binLimit: number) {}

  get count(): number {
    return this.total;
  }

  get collapsed(): boolean {
    return this.isCollapsed;
  }

  get minKey(): number {
    return this.offset;
  }

  get maxKey(): number {
    return this.offset + this.counts.length - 1;
  }

  add(key: number, weight = 1): void {
    this.total += weight;
    if (this.counts.length === 0) {
      this.offset = key;
      this.counts = new Uint32Array(1);
    } else if (key < this.offset) {
      if (this.isCollapsed) {
        this.put(0, this.counts[0] + weight);
        return;
      }
      this.span(key, this.maxKey);
    } else if (key > this.maxKey) {
      this.span(this.offset, key);
    }
    const i = key - this.offset;
    this.put(i, this.counts[i] + weight);
    this.fold();
  }

  /** As adding each of other's buckets, with the counts spanned once (not once per new key). */
  merge(other: BucketStore): void {
    if (other.counts.length > 0) {
      if (this.counts.length === 0) {
        this.offset = other.offset;
        this.counts = new Uint32Array(other.counts.length);
      } else {
        const low = this.isCollapsed ? this.offset : Math.min(this.offset, other.offset);
        const high = Math.max(this.maxKey, other.maxKey);
        if (low < this.offset || high > this.maxKey) this.span(low, high);
      }
      const shift = other.offset - this.offset;
      for (let k = 0; k < other.counts.length; k++) {
        const count = other.counts[k];
        if (!(count > 0)) continue;
        const i = Math.max(0, k + shift); // below a collapsed store's lowest key: into it
        this.put(i, this.counts[i] + count);
      }
      this.total += other.total;
      this.fold();
    }
    if (other.isCollapsed) this.isCollapsed = true;
  }

  /** Calls `fn` for every non-empty bucket in ascending key order. */
  forEach(fn: (key: number, count: number) => void): void {
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > 0) fn(this.offset + i, this.counts[i]);
  }

  toJSON(): BucketStoreJSON {
    const form =
      this.counts instanceof Uint32Array
        ? { packed: packCounts(this.counts) }
        : // past 2^32 - 1 (or fractional weights, which no caller adds): dense, as first written
          { counts: Array.from(this.counts) };
    return this.isCollapsed ? { key: this.offset, ...form, collapsed: true } : { key: this.offset, ...form };
  }

  static fromJSON(json: BucketStoreJSON, binLimit: number): BucketStore {
    const store = new BucketStore(binLimit);
    const { counts, total } =
      json.packed !== undefined ? unpackCounts(json.packed) : decodeCounts(json.counts);
    store.offset = json.key;
    store.counts = counts;
    store.isCollapsed = json.collapsed === true;
    store.total = total;
    store.fold();
    return store;
  }

  /** The lowest key and the dense counts from it (the store's own array: not to be modified). */
  raw(): { offset: number; counts: Readonly<Counts> } {
    return { offset: this.offset, counts: this.counts };
  }

  private put(i: number, value: number): void {
    if (this.counts instanceof Uint32Array && !fitsUint32(value))
      this.counts = Float64Array.from(this.counts);
    this.counts[i] = value;
  }

  /** Reallocates the counts, exactly sized, to hold keys lowKey..highKey. */
  private span(lowKey: number, highKey: number): void {
    const next =
      this.counts instanceof Uint32Array
        ? new Uint32Array(highKey - lowKey + 1)
        : new Float64Array(highKey - lowKey + 1);
    next.set(this.counts, this.offset - lowKey);
    this.counts = next;
    this.offset = lowKey;
  }

  private fold(): void {
    const excess = this.counts.length - this.binLimit;
    if (excess <= 0) return;
    let folded = 0;
    for (let i = 0; i <= excess; i++) folded += this.counts[i];
    this.counts = this.counts.slice(excess);
    this.put(0, folded);
    this.offset += excess;
    this.isCollapsed = true;
  }
}
