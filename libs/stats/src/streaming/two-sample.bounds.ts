import type { Interval, QuantileSketch, SketchCellColumns } from './quantile.sketch';

/**
 * Value intervals [lo[k], hi[k]] (lo === hi: a single value) with the number of values of R (`r`)
 * and of C (`c`) in each, for k < length. Cells are ascending and disjoint; between two cells
 * neither sample has a value. Columns of numbers rather than an object per cell: a window's
 * comparison reads a thousand cells per feature.
 */
export interface ComparisonCells {
  length: number;
  lo: Float64Array;
  hi: Float64Array;
  r: Float64Array;
  c: Float64Array;
}

/** No cells; `alignedSketchCells` and `exactValueCells` fill it, growing its columns as needed. */
export function emptyCells(): ComparisonCells {
  return {
    length: 0,
    lo: new Float64Array(0),
    hi: new Float64Array(0),
    r: new Float64Array(0),
    c: new Float64Array(0),
  };
}

/** `cells` emptied, with room for `capacity` cells (its columns are kept when they have it). */
function reserve(cells: ComparisonCells, capacity: number): ComparisonCells {
  cells.length = 0;
  if (cells.lo.length < capacity) {
    const size = Math.max(capacity, 2 * cells.lo.length);
    cells.lo = new Float64Array(size);
    cells.hi = new Float64Array(size);
    cells.r = new Float64Array(size);
    cells.c = new Float64Array(size);
  }
  return cells;
}

function push(cells: ComparisonCells, lo: number, hi: number, r: number, c: number): void {
  const k = cells.length++;
  cells.lo[k] = lo;
  cells.hi[k] = hi;
  cells.r[k] = r;
  cells.c[k] = c;
}

/**
 * Reads two sketches on their common bucket grid (same relative accuracy, buckets collapsed in
 * either sketch read as collapsed in both), clipped to the pooled min and max. Between cells and
 * at every cell boundary both empirical CDFs are known exactly; inside a cell only their range.
 */
export function alignedSketchCells(
  r: QuantileSketch,
  c: QuantileSketch,
  into: ComparisonCells = emptyCells(),
): ComparisonCells {
  r.assertMergeable(c);
  const fr = r.foldKeys();
  const fc = c.foldKeys();
  const folds = {
    positive: Math.max(fr.positive, fc.positive),
    negative: Math.max(fr.negative, fc.negative),
  };
  const cells = mergeCells(r.gridCells(folds), c.gridCells(folds), into);
  if (cells.length > 0) {
    cells.lo[0] = Math.max(cells.lo[0], Math.min(r.min, c.min));
    const last = cells.length - 1;
    cells.hi[last] = Math.min(cells.hi[last], Math.max(r.max, c.max));
  }
  return cells;
}

function mergeCells(a: SketchCellColumns, b: SketchCellColumns, into: ComparisonCells): ComparisonCells {
  const out = reserve(into, a.length + b.length);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a.lo[i] < b.lo[j])) {
      push(out, a.lo[i], a.hi[i], a.count[i], 0);
      i++;
    } else if (i >= a.length || b.lo[j] < a.lo[i]) {
      push(out, b.lo[j], b.hi[j], 0, b.count[j]);
      j++;
    } else {
      push(out, a.lo[i], Math.max(a.hi[i], b.hi[j]), a.count[i], b.count[j]);
      i++;
      j++;
    }
  }
  return out;
}

/** Exact cells, one per distinct value, from the value counts of R and C. */
export function exactValueCells(
  r: ReadonlyMap<number, number>,
  c: ReadonlyMap<number, number>,
  into: ComparisonCells = emptyCells(),
): ComparisonCells {
  const values = [...new Set([...r.keys(), ...c.keys()])].sort((x, y) => x - y);
  const out = reserve(into, values.length);
  for (const v of values) push(out, v, v, r.get(v) ?? 0, c.get(v) ?? 0);
  return out;
}

/** An interval that holds the exact figure, and the estimate reported inside it. */
export interface Bracket extends Interval {
  estimate: number;
}

function totals(cells: ComparisonCells): { n: number; m: number } {
  let n = 0;
  let m = 0;
  for (let k = 0; k < cells.length; k++) {
    n += cells.r[k];
    m += cells.c[k];
  }
  if (n === 0 || m === 0) throw new RangeError('two-sample bounds need values in both samples');
  return { n, m };
}

/** Largest and smallest |F_R - F_C| inside a cell, from the CDF ranges at its two ends. */
function gapRange(aR: number, aC: number, bR: number, bC: number): Interval {
  return { lo: Math.max(0, aR - bC, aC - bR), hi: Math.max(bR - aC, bC - aR) };
}

/**
 * Interval holding the two-sample KS D = sup |F_R - F_C|. The lower end, the estimate, is the
 * largest gap at the cell boundaries, where both CDFs are exact; inside a cell the gap can exceed it
 * by at most the cell's larger share, so the width is at most the largest bucket share of R or C.
 */
export function ksInterval(cells: ComparisonCells): Bracket {
  const { n, m } = totals(cells);
  let lo = 0;
  let hi = 0;
  // i, j: the values of R and C below cell k; (aR, aC) the CDFs before it, (bR, bC) after it
  let i = 0;
  let j = 0;
  for (let k = 0; k < cells.length; k++) {
    const r = cells.r[k];
    const c = cells.c[k];
    const aR = i / n;
    const aC = j / m;
    const bR = (i + r) / n;
    const bC = (j + c) / m;
    lo = Math.max(lo, Math.abs(bR - bC));
    if (cells.hi[k] > cells.lo[k]) hi = Math.max(hi, bR - aC, bC - aR); // gapRange(aR, aC, bR, bC).hi
    i += r;
    j += c;
  }
  return { lo, hi: Math.max(lo, hi), estimate: lo };
}

/**
 * Interval holding ∫ |F_R - F_C|^p dx (p = 1: Wasserstein-1, p = 2: half the squared energy
 * distance). Between cells the integrand is exact; inside a cell of width w it lies between the
 * cell's smallest and largest gap. For bucket (g^(k-1), g^k] the width is below (g - 1)|x| for
 * every x in it, so for p = 1 the width of the interval is at most
 * (g - 1)(mean|R| + mean|C|) = 2a/(1-a) (mean|R| + mean|C|) when no bucket collapsed. The
 * estimate takes both CDFs as linear inside each cell (values spread evenly in a bucket).
 */
export function cdfDistanceInterval(cells: ComparisonCells, p: 1 | 2): Bracket {
  const { n, m } = totals(cells);
  let lo = 0;
  let hi = 0;
  let estimate = 0;
  let i = 0;
  let j = 0;
  for (let k = 0; k < cells.length; k++) {
    const r = cells.r[k];
    const c = cells.c[k];
    const aR = i / n;
    const aC = j / m;
    const bR = (i + r) / n;
    const bC = (j + c) / m;
    const gap = k === 0 ? 0 : Math.max(0, cells.lo[k] - cells.hi[k - 1]);
    const outside = Math.abs(aR - aC) ** p * gap;
    lo += outside;
    hi += outside;
    estimate += outside;
    const width = cells.hi[k] - cells.lo[k];
    if (width > 0) {
      const range = gapRange(aR, aC, bR, bC);
      lo += range.lo ** p * width;
      hi += range.hi ** p * width;
      estimate += linearGapIntegral(aR - aC, bR - bC, p) * width;
    }
    i += r;
    j += c;
  }
  return { lo, hi, estimate: Math.min(hi, Math.max(lo, estimate)) };
}

/** Mean of |d|^p over a cell where d goes linearly from `a` to `b`. */
function linearGapIntegral(a: number, b: number, p: 1 | 2): number {
  if (p === 2) return (a * a + a * b + b * b) / 3;
  if (a * b >= 0) return (Math.abs(a) + Math.abs(b)) / 2;
  return (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b)));
}

/** sum over s = 1..count of (a + s d)^2. */
function sumOfSquaresOfProgression(a: number, d: number, count: number): number {
  return count * a * a + a * d * count * (count + 1) + (d * d * count * (count + 1) * (2 * count + 1)) / 6;
}

/**
 * Interval holding the two-sample Cramér–von Mises T of `scipy.stats.cramervonmises_2samp`
 * (midranks), T = U / (nm N) - (4nm - 1) / (6N), N = n + m, U = n sum_R (rank - i)^2 + m sum_C (rank - j)^2.
 *
 * Bounding U term by term loses everything to cancellation, so T is split in two. Break each tie
 * group g (r_g values of R, c_g of C, I_g and J_g values of R and C below it) R first; on untied
 * data T equals nm/N^2 sum over the pooled values of (F_R - F_C)^2 (Anderson 1962), and undoing
 * the tie break changes U by
 *   dU_g = -nm r_g c_g (I_g/n - J_g/m) + n (r_g c_g^2 / 4 + (r_g^3 - r_g) / 12) + m ((c_g^3 - c_g) / 12 - 3 c_g r_g^2 / 4).
 * A single-value cell is one tie group and exact. In a bucket every pooled value has
 * (F_R - F_C)^2 between the cell's smallest and largest squared gap, and the unknown tie groups
 * inside it satisfy sum r_g c_g <= r c and |I_g/n - J_g/m| <= the largest gap. The estimate takes
 * the CDFs as linear inside a bucket and its values as untied.
 */
export function cvmInterval(cells: ComparisonCells): Bracket {
  const { n, m } = totals(cells);
  const k = n * m;
  const total = n + m;
  let squaresLo = 0;
  let squaresHi = 0;
  let tiesLo = 0;
  let tiesHi = 0;
  let squaresEstimate = 0;
  let tiesEstimate = 0;
  let i = 0;
  let j = 0;
  for (let q = 0; q < cells.length; q++) {
    const r = cells.r[q];
    const c = cells.c[q];
    const aR = i / n;
    const aC = j / m;
    const bR = (i + r) / n;
    const bC = (j + c) / m;
    i += r;
    j += c;
    if (cells.hi[q] === cells.lo[q]) {
      const squares =
        sumOfSquaresOfProgression(aR - aC, 1 / n, r) + sumOfSquaresOfProgression(bR - aC, -1 / m, c);
      const ties =
        -k * r * c * (aR - aC) +
        n * ((r * c * c) / 4 + (r * r * r - r) / 12) +
        m * ((c * c * c - c) / 12 - (3 * c * r * r) / 4);
      squaresLo += squares;
      squaresHi += squares;
      squaresEstimate += squares;
      tiesLo += ties;
      tiesHi += ties;
      tiesEstimate += ties;
      continue;
    }
    const gap = gapRange(aR, aC, bR, bC);
    squaresLo += (r + c) * gap.lo * gap.lo;
    squaresHi += (r + c) * gap.hi * gap.hi;
    squaresEstimate += (r + c) * linearGapIntegral(aR - aC, bR - bC, 2);
    tiesLo -= k * r * c * gap.hi + (3 * m * c * r * r) / 4;
    tiesHi += k * r * c * gap.hi + n * ((r * c * c) / 4 + (r * r * r - r) / 12) + (m * (c * c * c - c)) / 12;
  }
  const scale = k / (total * total);
  return {
    lo: scale * squaresLo + tiesLo / (k * total),
    hi: scale * squaresHi + tiesHi / (k * total),
    estimate: scale * squaresEstimate + tiesEstimate / (k * total),
  };
}

/** U of R (pairs with R above C plus half the ties) and the tie term sum (t^3 - t) where known. */
export interface MannWhitneyBounds {
  u: Interval;
  /** Exact when every cell is a single value; otherwise the largest possible tie term. */
  tieTerm: Interval;
}

/**
 * Interval holding the Mann–Whitney U of R, as `scipy.stats.mannwhitneyu(R, C)` counts it. Pairs
 * in different cells are ordered by the cells; the r·c pairs inside a multi-value cell may go
 * either way, so the width is sum r_i c_i (at most nm times the largest bucket share).
 */
export function mannWhitneyBounds(cells: ComparisonCells): MannWhitneyBounds {
  let uLo = 0;
  let uHi = 0;
  let tieLo = 0;
  let tieHi = 0;
  let j = 0;
  for (let k = 0; k < cells.length; k++) {
    const r = cells.r[k];
    const c = cells.c[k];
    const t = r + c;
    if (cells.hi[k] === cells.lo[k]) {
      uLo += r * (j + c / 2);
      uHi += r * (j + c / 2);
      tieLo += t * t * t - t;
    } else {
      uLo += r * j;
      uHi += r * (j + c);
    }
    tieHi += t * t * t - t;
    j += c;
  }
  return { u: { lo: uLo, hi: uHi }, tieTerm: { lo: tieLo, hi: Math.max(tieLo, tieHi) } };
}
