import { DDSketch } from '@datadog/sketches-js';
import { BucketStore, BucketStoreJSON } from './bucket.store';

export interface QuantileSketchJSON {
  relativeAccuracy: number;
  binLimit: number;
  zeroCount: number;
  min: number | null;
  max: number | null;
  positive: BucketStoreJSON;
  negative: BucketStoreJSON;
}

/** A value interval of the sketch and the number of values in it; lo === hi for a single value. */
export interface SketchCell {
  lo: number;
  hi: number;
  count: number;
}

/** An interval guaranteed to contain the exact figure, and the estimate (its midpoint). */
export interface Interval {
  lo: number;
  hi: number;
}

/** Bucket keys at or below which buckets are read as one (collapsed) bucket, per sign. */
export interface FoldKeys {
  positive: number;
  negative: number;
}

const NO_FOLDS: FoldKeys = { positive: -Infinity, negative: -Infinity };

export const DEFAULT_RELATIVE_ACCURACY = 0.01;
export const DEFAULT_BIN_LIMIT = 2048;

/**
 * DDSketch (Masson, Rim and Lee, VLDB 2019) with the logarithmic mapping of @datadog/sketches-js:
 * value x > 0 goes to bucket key ceil(log_gamma x), gamma = (1 + a) / (1 - a), so bucket k holds
 * (gamma^(k-1), gamma^k] (negative values mirror it, |x| <= minPossible counts as zero). Every
 * value in a bucket is within relative accuracy a of the bucket's representative, and the counts
 * give the exact empirical CDF at every bucket boundary, which is what the drift bounds use.
 * Memory: at most 2 x binLimit counts; beyond that the buckets nearest 0 collapse.
 */
export class QuantileSketch {
  readonly gamma: number;
  private readonly minPossible: number;
  private readonly keyOf: (value: number) => number;
  private readonly positive: BucketStore;
  private readonly negative: BucketStore;
  private zeroCount = 0;
  private lowest = Infinity;
  private highest = -Infinity;

  constructor(
    readonly relativeAccuracy = DEFAULT_RELATIVE_ACCURACY,
    readonly binLimit = DEFAULT_BIN_LIMIT,
  ) {
    const mapping = new DDSketch({ relativeAccuracy }).mapping;
    this.gamma = mapping.gamma;
    this.minPossible = mapping.minPossible;
    this.keyOf = (value) => mapping.key(value);
    this.positive = new BucketStore(binLimit);
    this.negative = new BucketStore(binLimit);
  }

  get count(): number {
    return this.positive.count + this.negative.count + this.zeroCount;
  }

  get min(): number {
    return this.lowest;
  }

  get max(): number {
    return this.highest;
  }

  /** True when some buckets collapsed, so the relative-accuracy guarantee no longer holds near 0. */
  get collapsed(): boolean {
    return this.positive.collapsed || this.negative.collapsed;
  }

  update(x: number, weight = 1): void {
    if (!Number.isFinite(x)) throw new RangeError(`QuantileSketch.update needs a finite number, got ${x}`);
    if (x > this.minPossible) this.positive.add(this.keyOf(x), weight);
    else if (x < -this.minPossible) this.negative.add(this.keyOf(-x), weight);
    else this.zeroCount += weight;
    const value = x === 0 ? 0 : x; // -0 is stored as 0, as JSON would
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
  }

  merge(other: QuantileSketch): void {
    this.assertMergeable(other);
    this.positive.merge(other.positive);
    this.negative.merge(other.negative);
    this.zeroCount += other.zeroCount;
    this.lowest = Math.min(this.lowest, other.lowest);
    this.highest = Math.max(this.highest, other.highest);
  }

  assertMergeable(other: QuantileSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.binLimit !== this.binLimit)
      throw new Error(
        `sketches differ: relative accuracy ${this.relativeAccuracy} vs ${other.relativeAccuracy}, ` +
          `bin limit ${this.binLimit} vs ${other.binLimit}`,
      );
  }

  clone(): QuantileSketch {
    return QuantileSketch.fromJSON(this.toJSON());
  }

  /**
   * The sketch's buckets as ascending value intervals with their counts. Bucket k of the positive
   * store is (gamma^(k-1), gamma^k], clipped to [min, max]; a collapsed lowest bucket reaches 0.
   * `folds` merges further buckets into the lowest one, so that two sketches can be read on a
   * common grid (see alignedCells).
   */
  cells(folds: FoldKeys = NO_FOLDS, clip = true): SketchCell[] {
    const out: SketchCell[] = [];
    const negative = this.storeCells(this.negative, folds.negative);
    for (let i = negative.length - 1; i >= 0; i--) {
      const c = negative[i];
      out.push({ lo: -c.hi, hi: -c.lo, count: c.count });
    }
    if (this.zeroCount > 0) out.push({ lo: -this.minPossible, hi: this.minPossible, count: this.zeroCount });
    out.push(...this.storeCells(this.positive, folds.positive));
    if (clip && out.length > 0) {
      out[0].lo = Math.max(out[0].lo, this.lowest);
      out[out.length - 1].hi = Math.min(out[out.length - 1].hi, this.highest);
    }
    return out;
  }

  /** The lowest key at or below which buckets are collapsed (or -Infinity), per sign. */
  foldKeys(): FoldKeys {
    return {
      positive: this.positive.collapsed ? this.positive.minKey : -Infinity,
      negative: this.negative.collapsed ? this.negative.minKey : -Infinity,
    };
  }

  /**
   * Interval that holds the type-7 quantile q of the stream (NumPy's default `np.quantile`):
   * the order statistics at ranks floor(h) and ceil(h), h = (count - 1) q, are each located in
   * their bucket, and the quantile interpolates linearly between them.
   */
  quantileInterval(q: number): Interval {
    if (this.count === 0) throw new RangeError('quantile of an empty sketch');
    const h = (this.count - 1) * q;
    const below = Math.floor(h);
    const frac = h - below;
    const cells = this.cells();
    const a = cellAtRank(cells, below);
    const b = frac > 0 ? cellAtRank(cells, below + 1) : a;
    return { lo: (1 - frac) * a.lo + frac * b.lo, hi: (1 - frac) * a.hi + frac * b.hi };
  }

  /**
   * Midpoint of {@link quantileInterval}: without collapsed buckets, off by at most a/(1-a) times the
   * larger |order statistic| it interpolates (a/(1-a) x |quantile| for values of one sign).
   */
  quantile(q: number): number {
    const { lo, hi } = this.quantileInterval(q);
    return (lo + hi) / 2;
  }

  toJSON(): QuantileSketchJSON {
    return {
      relativeAccuracy: this.relativeAccuracy,
      binLimit: this.binLimit,
      zeroCount: this.zeroCount,
      min: this.count > 0 ? this.lowest : null,
      max: this.count > 0 ? this.highest : null,
      positive: this.positive.toJSON(),
      negative: this.negative.toJSON(),
    };
  }

  static fromJSON(json: QuantileSketchJSON): QuantileSketch {
    const sketch = new QuantileSketch(json.relativeAccuracy, json.binLimit);
    const positive = BucketStore.fromJSON(json.positive, json.binLimit);
    const negative = BucketStore.fromJSON(json.negative, json.binLimit);
    sketch.positive.merge(positive);
    sketch.negative.merge(negative);
    sketch.zeroCount = json.zeroCount;
    sketch.lowest = json.min ?? Infinity;
    sketch.highest = json.max ?? -Infinity;
    return sketch;
  }

  private storeCells(store: BucketStore, foldBelow: number): SketchCell[] {
    const cells: SketchCell[] = [];
    const foldKey = Math.max(foldBelow, store.collapsed ? store.minKey : -Infinity);
    let folded = 0;
    // a bucket's lower bound is the previous key's upper one: one power per bucket, not two
    let previousKey = NaN;
    let previousUpper = 0;
    store.forEach((key, count) => {
      if (key <= foldKey) {
        folded += count;
        return;
      }
      const hi = this.upper(key);
      cells.push({ lo: key - 1 === previousKey ? previousUpper : this.upper(key - 1), hi, count });
      previousKey = key;
      previousUpper = hi;
    });
    if (folded > 0) cells.unshift({ lo: 0, hi: this.upper(foldKey), count: folded });
    return cells;
  }

  private upper(key: number): number {
    return Math.pow(this.gamma, key);
  }
}

function cellAtRank(cells: SketchCell[], rank: number): SketchCell {
  let seen = 0;
  for (const cell of cells) {
    seen += cell.count;
    if (rank < seen) return cell;
  }
  return cells[cells.length - 1];
}
