import { normalCdf } from '../drift/distributions';
import { StatsInputError } from '../drift/stats-input.error';
import { cvmTwoSampleAsymptoticPValue } from '../drift/cramer-von-mises.distribution';
import { kolmogorovSf, ksExactPValue, ksLattice } from '../drift/kolmogorov.distribution';
import { KS_EXACT_MAX_PRODUCT } from '../drift/numeric.methods';
import type { NumericSummary } from './numeric.summary';
import type { Interval } from './quantile.sketch';
import {
  alignedSketchCells,
  type Bracket,
  cdfDistanceInterval,
  type ComparisonCells,
  cvmInterval,
  emptyCells,
  exactValueCells,
  ksInterval,
  mannWhitneyBounds,
} from './two-sample.bounds';

/**
 * A figure computed from two summaries: `statistic` is an estimate inside an interval that holds
 * the exact statistic, and |statistic - exact| <= bound (0 when both summaries still hold their
 * exact values). `pValueRange` holds the exact p-value (null for distances).
 */
export interface SketchedFigure {
  statistic: number;
  pValue: number | null;
  bound: number;
  pValueRange: Interval | null;
}

interface Cells {
  cells: ComparisonCells;
  n: number;
  m: number;
}

// The cells of the comparison in progress: each sketched figure reads them before it returns, and
// the next comparison overwrites them, so their columns are allocated once, not per column.
const scratch = emptyCells();

function cellsOf(r: NumericSummary, c: NumericSummary): Cells {
  if (r.count === 0 || c.count === 0) throw new RangeError('both summaries need at least one value');
  const cells =
    r.values && c.values
      ? exactValueCells(r.values, c.values, scratch)
      : alignedSketchCells(r.sketch, c.sketch, scratch);
  return { cells, n: r.count, m: c.count };
}

function figure(bracket: Bracket, pValue: ((statistic: number) => number) | null): SketchedFigure {
  const statistic = bracket.estimate;
  const bound = Math.max(statistic - bracket.lo, bracket.hi - statistic);
  if (pValue === null) return { statistic, pValue: null, bound, pValueRange: null };
  const [a, b] = [pValue(bracket.lo), pValue(bracket.hi)];
  return {
    statistic,
    pValue: pValue(statistic),
    bound,
    pValueRange: { lo: Math.min(a, b), hi: Math.max(a, b) },
  };
}

function scaled(bracket: Bracket, f: (x: number) => number): Bracket {
  return { lo: f(bracket.lo), hi: f(bracket.hi), estimate: f(bracket.estimate) };
}

/**
 * Two-sample KS D from two summaries, p-value as `ksTest` (exact for n·m <= 1e6, else the limiting
 * Kolmogorov distribution). The CDFs are exact at every bucket boundary, so D lies between the
 * largest boundary gap (the statistic) and that gap plus the largest bucket share (bound <= it).
 */
export function sketchedKs(r: NumericSummary, c: NumericSummary): SketchedFigure {
  const { cells, n, m } = cellsOf(r, c);
  const small = n * m <= KS_EXACT_MAX_PRODUCT;
  // the exact p-value costs O(n·m) at worst: the interval's ends and estimate often share a lattice point
  const lattice = ksLattice(n, m);
  const exact = new Map<number, number>();
  const exactPValue = (d: number) => {
    const h = Math.round(d * lattice);
    const known = exact.get(h);
    if (known !== undefined) return known;
    const p = ksExactPValue(n, m, d).pValue;
    exact.set(h, p);
    return p;
  };
  const pValue = (d: number) => (small ? exactPValue(d) : kolmogorovSf(Math.sqrt((n * m) / (n + m)) * d));
  const result = figure(ksInterval(cells), pValue);
  if (small && result.bound === 0) result.statistic = ksExactPValue(n, m, result.statistic).statistic;
  return result;
}

/**
 * W1(R, C) / max(std(R), 0.001) from two summaries (`wassersteinNormalised`). The integral of
 * |F_R - F_C| is bounded cell by cell, so bound <= 2a/(1-a) (mean|R| + mean|C|) / max(std(R), 0.001)
 * for relative accuracy a without collapsed buckets (the returned bound is the data's, smaller).
 */
export function sketchedWasserstein(r: NumericSummary, c: NumericSummary): SketchedFigure {
  const { cells } = cellsOf(r, c);
  const scale = Math.max(r.std, 0.001);
  return figure(
    scaled(cdfDistanceInterval(cells, 1), (w) => w / scale),
    null,
  );
}

/** Energy distance sqrt(2 ∫ (F_R - F_C)^2) (`energyDistance`), bounded cell by cell. */
export function sketchedEnergy(r: NumericSummary, c: NumericSummary): SketchedFigure {
  const { cells } = cellsOf(r, c);
  return figure(
    scaled(cdfDistanceInterval(cells, 2), (i2) => Math.sqrt(2 * i2)),
    null,
  );
}

/** Cramér–von Mises T with its asymptotic p-value (`cramerVonMisesTest`), bounded cell by cell. */
export function sketchedCvm(r: NumericSummary, c: NumericSummary): SketchedFigure {
  const { cells, n, m } = cellsOf(r, c);
  if (n < 2 || m < 2) {
    // as the exact test and scipy.stats.cramervonmises_2samp: the standardised statistic is undefined below 2
    throw new StatsInputError('cvm needs at least two values in the reference and in the current sample');
  }
  return figure(cvmInterval(cells), (t) => cvmTwoSampleAsymptoticPValue(t, n, m));
}

/**
 * The tie-corrected asymptotic p-value. With no variance left (every value tied) SciPy answers 1;
 * as a lower bound over tie terms, the limit as the variance falls to 0 is taken instead (0 when
 * U lies beyond the continuity correction), since the largest tie term may not go with this U.
 */
function mannWhitneyP(u1: number, tieTerm: number, n: number, m: number, asLowerBound = false): number {
  const total = n + m;
  const sigma = Math.sqrt(((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  const u = Math.max(u1, n * m - u1);
  if (!(sigma > 0)) return asLowerBound && u - (n * m) / 2 - 0.5 > 0 ? 0 : 1;
  const z = (u - (n * m) / 2 - 0.5) / sigma;
  return Math.min(1, Math.max(0, 2 * normalCdf(-z, 0, 1)));
}

/**
 * Mann–Whitney U of R with its tie-corrected asymptotic p-value (`mannWhitneyTest`). U is bounded
 * by the pairs that share a bucket; the tie term is exact on exact values, and taken as 0 (no ties)
 * for the p-value on sketched values, where `pValueRange` covers every possible tie term.
 */
export function sketchedMannWhitney(r: NumericSummary, c: NumericSummary): SketchedFigure {
  const { cells, n, m } = cellsOf(r, c);
  const { u, tieTerm } = mannWhitneyBounds(cells);
  const statistic = (u.lo + u.hi) / 2;
  const mu = (n * m) / 2;
  const farthest = Math.abs(u.lo - mu) > Math.abs(u.hi - mu) ? u.lo : u.hi;
  const nearest = u.lo <= mu && mu <= u.hi ? mu : farthest === u.lo ? u.hi : u.lo;
  return {
    statistic,
    pValue: mannWhitneyP(statistic, tieTerm.lo, n, m),
    bound: (u.hi - u.lo) / 2,
    pValueRange: {
      lo: mannWhitneyP(farthest, tieTerm.hi, n, m, true),
      hi: mannWhitneyP(nearest, tieTerm.lo, n, m),
    },
  };
}
