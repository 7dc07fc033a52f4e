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

/**
 * Cells as columns: the value interval [lo[k], hi[k]] holds count[k] values, for k < length. What a
 * reference sketch keeps of its grid (see gridCells): three numbers a cell, no object.
 */
export interface SketchCellColumns {
  readonly length: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly count: Float64Array;
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
  private readonly powers: PowerTable;
  private positive: BucketStore;
  private negative: BucketStore;
  /** The unclipped cells last read on a fold grid (see gridCells); dropped by update and merge. */
  private grid: { folds: FoldKeys; cells: SketchCellColumns } | null = null;
  private zeroCount = 0;
  private lowest = Infinity;
  private highest = -Infinity;

  constructor(
    readonly relativeAccuracy = DEFAULT_RELATIVE_ACCURACY,
    readonly binLimit = DEFAULT_BIN_LIMIT,
  ) {
    const grid = gridOf(relativeAccuracy);
    this.gamma = grid.gamma;
    this.minPossible = grid.minPossible;
    this.keyOf = grid.keyOf;
    this.powers = grid.powers;
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
    this.grid = null;
    if (x > this.minPossible) this.positive.add(this.keyOf(x), weight);
    else if (x < -this.minPossible) this.negative.add(this.keyOf(-x), weight);
    else this.zeroCount += weight;
    const value = x === 0 ? 0 : x; // -0 is stored as 0, as JSON would
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
  }

  merge(other: QuantileSketch): void {
    this.assertMergeable(other);
    this.grid = null;
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
    const columns = this.cellColumns(folds);
    const out: SketchCell[] = [];
    for (let k = 0; k < columns.length; k++)
      out.push({ lo: columns.lo[k], hi: columns.hi[k], count: columns.count[k] });
    if (clip && out.length > 0) {
      out[0].lo = Math.max(out[0].lo, this.lowest);
      out[out.length - 1].hi = Math.min(out[out.length - 1].hi, this.highest);
    }
    return out;
  }

  /**
   * `cells(folds, false)` as columns, kept until the sketch changes: a reference sketch is read on
   * the same grid by every window it is compared with. The columns are shared: not to be modified.
   */
  gridCells(folds: FoldKeys): SketchCellColumns {
    const kept = this.grid;
    if (kept !== null && kept.folds.positive === folds.positive && kept.folds.negative === folds.negative)
      return kept.cells;
    const cells = this.cellColumns(folds);
    this.grid = { folds: { ...folds }, cells };
    return cells;
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
    sketch.positive = BucketStore.fromJSON(json.positive, json.binLimit);
    sketch.negative = BucketStore.fromJSON(json.negative, json.binLimit);
    sketch.zeroCount = json.zeroCount;
    sketch.lowest = json.min ?? Infinity;
    sketch.highest = json.max ?? -Infinity;
    return sketch;
  }

  /** The unclipped cells on the fold grid `folds`, ascending: negative buckets, zero, positive buckets. */
  private cellColumns(folds: FoldKeys): CellColumnsBuilder {
    const zero = this.zeroCount > 0 ? 1 : 0;
    const capacity =
      cellCount(this.negative, folds.negative) + zero + cellCount(this.positive, folds.positive);
    // the counting pass sizes the columns exactly: a reference keeps them for as long as it lives
    const out = new CellColumnsBuilder(capacity);
    this.negativeCells(folds.negative, out);
    if (zero > 0) out.push(-this.minPossible, this.minPossible, this.zeroCount);
    this.positiveCells(folds.positive, out);
    return out;
  }

  /**
   * The positive store's cells, ascending: bucket k is (gamma^(k-1), gamma^k]; buckets at or below
   * the fold key (the store's own when collapsed) read as one cell from 0.
   */
  private positiveCells(foldBelow: number, out: CellColumnsBuilder): void {
    const store = this.positive;
    const foldKey = foldKeyOf(store, foldBelow);
    const { offset, counts } = store.raw();
    let i = 0;
    let folded = 0;
    for (; i < counts.length && offset + i <= foldKey; i++) folded += counts[i];
    if (folded > 0) out.push(0, this.powers.of(foldKey), folded);
    for (; i < counts.length; i++) {
      const count = counts[i];
      if (!(count > 0)) continue;
      const key = offset + i;
      out.push(this.powers.of(key - 1), this.powers.of(key), count);
    }
  }

  /** The negative store's cells mirrored, ascending: bucket k is [-gamma^k, -gamma^(k-1)). */
  private negativeCells(foldBelow: number, out: CellColumnsBuilder): void {
    const store = this.negative;
    const foldKey = foldKeyOf(store, foldBelow);
    const { offset, counts } = store.raw();
    let folded = 0;
    for (let i = 0; i < counts.length && offset + i <= foldKey; i++) folded += counts[i];
    for (let i = counts.length - 1; i >= 0 && offset + i > foldKey; i--) {
      const count = counts[i];
      if (!(count > 0)) continue;
      const key = offset + i;
      out.push(-this.powers.of(key), -this.powers.of(key - 1), count);
    }
    if (folded > 0) out.push(-this.powers.of(foldKey), -0, folded);
  }
}

/** The key at or below which a store's buckets read as one cell: the grid's fold, or the store's own collapse. */
function foldKeyOf(store: BucketStore, foldBelow: number): number {
  return Math.max(foldBelow, store.collapsed ? store.minKey : -Infinity);
}

/** The cells of a store on a fold grid: its non-empty buckets above the fold key, and one for those at or below. */
function cellCount(store: BucketStore, foldBelow: number): number {
  const foldKey = foldKeyOf(store, foldBelow);
  const { offset, counts } = store.raw();
  let cells = 0;
  let folded = false;
  for (let i = 0; i < counts.length; i++) {
    if (!(counts[i] > 0)) continue;
    if (offset + i <= foldKey) folded = true;
    else cells++;
  }
  return folded ? cells + 1 : cells;
}

/** Columns filled cell by cell, in one buffer made for the number of cells they will hold. */
class CellColumnsBuilder implements SketchCellColumns {
  length = 0;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly count: Float64Array;

  constructor(capacity: number) {
    const buffer = new ArrayBuffer(3 * 8 * capacity);
    this.lo = new Float64Array(buffer, 0, capacity);
    this.hi = new Float64Array(buffer, 8 * capacity, capacity);
    this.count = new Float64Array(buffer, 16 * capacity, capacity);
  }

  push(lo: number, hi: number, count: number): void {
    const k = this.length++;
    this.lo[k] = lo;
    this.hi[k] = hi;
    this.count[k] = count;
  }
}

/** gamma^key for integer keys, computed once each (Math.pow is deterministic: the same doubles). */
class PowerTable {
  private offset = 0;
  private table = new Float64Array(0);

  constructor(private readonly gamma: number) {}

  of(key: number): number {
    let i = key - this.offset;
    if (!(i >= 0 && i < this.table.length)) {
      this.grow(key);
      i = key - this.offset;
    }
    const known = this.table[i];
    if (known === known) return known; // NaN marks a power not computed yet
    const power = Math.pow(this.gamma, key);
    this.table[i] = power;
    return power;
  }

  private grow(key: number): void {
    const empty = this.table.length === 0;
    const low = empty ? key - 64 : Math.min(this.offset, key - 64);
    const high = empty ? key + 65 : Math.max(this.offset + this.table.length, key + 65);
    const next = new Float64Array(high - low).fill(NaN);
    if (!empty) next.set(this.table, this.offset - low);
    this.table = next;
    this.offset = low;
  }
}

interface Grid {
  gamma: number;
  minPossible: number;
  keyOf: (value: number) => number;
  powers: PowerTable;
}

const GRIDS = new Map<number, Grid>();

/** The DDSketch mapping of a relative accuracy and its powers, shared by every sketch that uses it. */
function gridOf(relativeAccuracy: number): Grid {
  const known = GRIDS.get(relativeAccuracy);
  if (known !== undefined) return known;
  const mapping = new DDSketch({ relativeAccuracy }).mapping;
  const grid: Grid = {
    gamma: mapping.gamma,
    minPossible: mapping.minPossible,
    keyOf: (value) => mapping.key(value),
    powers: new PowerTable(mapping.gamma),
  };
  GRIDS.set(relativeAccuracy, grid);
  return grid;
}

function cellAtRank(cells: SketchCell[], rank: number): SketchCell {
  let seen = 0;
  for (const cell of cells) {
    seen += cell.count;
    if (rank < seen) return cell;
  }
  return cells[cells.length - 1];
}
