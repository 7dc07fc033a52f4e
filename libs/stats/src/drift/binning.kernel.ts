import { StatsInputError } from './stats-input.error';

/** Share that replaces an empty bin or category where STATS.md says "eps". */
export const SHARE_EPSILON = 1e-4;

/** Default number of bins for binned numeric methods (STATS.md "Binning"). */
export const DEFAULT_BINS = 10;

/**
 * Quantile of an ascending-sorted sample with linear interpolation (Hyndman–Fan type 7), computed
 * as `numpy.quantile(x, q)` does, including NumPy's two-sided lerp, so edges agree bit for bit.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) throw new StatsInputError('quantile of an empty sample');
  const virtual = (n - 1) * q;
  const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const above = Math.min(below + 1, n - 1);
  const gamma = virtual - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/**
 * Interior bin edges fixed by the reference alone: `unique(quantile(R, [1/B, ..., (B-1)/B]))`
 * (type 7), ascending. A reference with a single value gives no edges (one bin).
 */
export function binEdges(reference: readonly number[], bins: number = DEFAULT_BINS): number[] {
  if (!Number.isInteger(bins) || bins < 1)
    throw new StatsInputError(`bins must be a positive integer, got ${bins}`);
  const sorted = Float64Array.from(reference).sort();
  const values = Array.from(sorted);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = quantileSorted(values, i / bins);
    if (edges.length === 0 || edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}

/** Bin of x: the number of edges strictly below x (right-closed bins; NumPy `searchsorted(edges, x, "left")`). */
export function binIndex(x: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per bin (edges.length + 1 bins). */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of values) counts[binIndex(x, edges)]++;
  return counts;
}

/** Shares per bin (edges.length + 1 bins); the shares of a non-empty sample sum to 1. */
export function binShares(values: readonly number[], edges: readonly number[]): number[] {
  if (values.length === 0) throw new StatsInputError('bin shares of an empty sample');
  return sharesFromCounts(binCounts(values, edges));
}

/** Counts divided by their total. */
export function sharesFromCounts(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) throw new StatsInputError('shares of an empty sample');
  return counts.map((c) => c / total);
}

/** Replaces a share of 0 by `SHARE_EPSILON`, without renormalising (STATS.md "eps"). */
export function withEpsilon(shares: readonly number[]): number[] {
  return shares.map((s) => (s === 0 ? SHARE_EPSILON : s));
}

/** Categories of R and C together in code-point order, with the count of each in R and in C. */
export interface CategoryCounts {
  categories: string[];
  reference: number[];
  current: number[];
}

/** Orders strings by Unicode code point, as Python's `sorted` does (JavaScript's default sort uses UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}

/** Counts each category of R and C over the union of categories seen in either (code-point order). */
export function categoryCounts(reference: readonly string[], current: readonly string[]): CategoryCounts {
  const r = new Map<string, number>();
  const c = new Map<string, number>();
  for (const v of reference) r.set(v, (r.get(v) ?? 0) + 1);
  for (const v of current) c.set(v, (c.get(v) ?? 0) + 1);
  const categories = [...new Set([...r.keys(), ...c.keys()])].sort(compareCodePoints);
  return {
    categories,
    reference: categories.map((k) => r.get(k) ?? 0),
    current: categories.map((k) => c.get(k) ?? 0),
  };
}
