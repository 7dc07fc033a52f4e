/**
 * JSON form of a {@link BucketStore}: lowest key, the counts from it, whether it collapsed. In
 * `counts` a negative entry -k stands for k empty buckets, so a store with few values over a wide
 * key range (a pane at a low event rate) stays small; dense counts (no negative entry) read the same.
 */
export interface BucketStoreJSON {
  key: number;
  counts: number[];
  collapsed?: true;
}

function encodeZeroRuns(counts: readonly number[]): number[] {
  const out: number[] = [];
  let zeros = 0;
  for (const c of counts) {
    if (c === 0) {
      zeros++;
      continue;
    }
    if (zeros > 0) out.push(-zeros);
    zeros = 0;
    out.push(c);
  }
  if (zeros > 0) out.push(-zeros);
  return out;
}

function decodeZeroRuns(encoded: readonly number[]): number[] {
  const out: number[] = [];
  for (const c of encoded) {
    if (c < 0) for (let i = 0; i < -c; i++) out.push(0);
    else out.push(c);
  }
  return out;
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
  private counts: number[] = [];
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
      this.counts = [weight];
      return;
    }
    if (key < this.offset) {
      if (this.isCollapsed) {
        this.counts[0] += weight;
        return;
      }
      this.counts = new Array<number>(this.offset - key).fill(0).concat(this.counts);
      this.offset = key;
    } else if (key > this.maxKey) {
      for (let k = this.maxKey + 1; k <= key; k++) this.counts.push(0);
    }
    this.counts[key - this.offset] += weight;
    this.fold();
  }

  merge(other: BucketStore): void {
    other.forEach((key, count) => this.add(key, count));
    if (other.isCollapsed) this.isCollapsed = true;
  }

  /** Calls `fn` for every non-empty bucket in ascending key order. */
  forEach(fn: (key: number, count: number) => void): void {
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > 0) fn(this.offset + i, this.counts[i]);
  }

  toJSON(): BucketStoreJSON {
    const counts = encodeZeroRuns(this.counts);
    return this.isCollapsed ? { key: this.offset, counts, collapsed: true } : { key: this.offset, counts };
  }

  static fromJSON(json: BucketStoreJSON, binLimit: number): BucketStore {
    const store = new BucketStore(binLimit);
    store.offset = json.key;
    store.counts = decodeZeroRuns(json.counts);
    store.isCollapsed = json.collapsed === true;
    store.total = store.counts.reduce((s, c) => s + c, 0);
    return store;
  }

  private fold(): void {
    const excess = this.counts.length - this.binLimit;
    if (excess <= 0) return;
    let folded = 0;
    for (let i = 0; i <= excess; i++) folded += this.counts[i];
    this.counts = this.counts.slice(excess);
    this.counts[0] = folded;
    this.offset += excess;
    this.isCollapsed = true;
  }
}
