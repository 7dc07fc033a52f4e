import { compareCodePoints, sharesFromCounts } from '../drift/binning.kernel';
import {
  chiSquareFromCounts,
  fisherExact,
  gTestFromCounts,
  twoProportionZTest,
} from '../drift/contingency.kernel';
import {
  CATEGORICAL_MAX_DISTINCT,
  DEFAULT_THRESHOLDS,
  defaultMethod,
  driftVerdict,
  isCategoricalMethod,
  isNumericMethod,
  methodFits,
} from '../drift/method.registry';
import { welchTTestFromMoments } from '../drift/moments.kernel';
import { SHARE_DISTANCES } from '../drift/shares.kernel';
import { StatsInputError } from '../drift/stats-input.error';
import type { CategoricalMethod, ColumnDrift, ColumnType, DriftMethod, NumericMethod } from '../types';
import { CategoricalSummary, OTHER_CATEGORY } from './categorical.summary';
import {
  sketchedCvm,
  sketchedEnergy,
  sketchedKs,
  sketchedMannWhitney,
  sketchedWasserstein,
} from './numeric.comparison';
import { NumericSummary } from './numeric.summary';
import type { Interval } from './quantile.sketch';
import type { ReferenceProfile, WindowSummary } from './reference.profile';

export interface StreamedDriftOptions {
  /** Method for every column, or per column; absent: STATS.md "Default method". */
  method?: DriftMethod;
  methods?: Readonly<Record<string, DriftMethod>>;
  /** Verdict threshold for every column, or per column; absent: the method's default. */
  threshold?: number;
  thresholds?: Readonly<Record<string, number>>;
  /** Must match the bins the profile was built with (checked). */
  bins?: number;
}

/**
 * A column's drift on the streamed path. `bound` is 0 for exact figures (binned, categorical and
 * ttest methods, and sketch methods while both sides still hold their exact values), else
 * |statistic - exact statistic| <= bound; `pValueRange` holds the exact p-value of a sketched test.
 */
export interface StreamedColumnDrift extends ColumnDrift {
  bound: number;
  pValueRange: Interval | null;
}

interface Outcome {
  statistic: number | null;
  pValue: number | null;
  bound: number;
  pValueRange: Interval | null;
}

const exact = (statistic: number | null, pValue: number | null): Outcome => ({
  statistic,
  pValue,
  bound: 0,
  pValueRange: null,
});

/**
 * Drift of each column of a window against the reference profile, with the method choice and the
 * verdicts of `columnDrift` (a numeric column with at most 5 distinct values over R and C is read
 * as categorical unless declared numeric or a numeric method is named). Binned, categorical and
 * ttest figures are exact from counts and moments; ks, wasserstein, energy, cvm and mannwhitney
 * come from the sketches with a stated bound (exact while both sides hold their distinct values).
 * Differences from the exact path: a non-number in a numeric column's window is left out (the exact
 * path would read the column as categorical), and categories beyond the cap count as `__other__`.
 */
export function evaluateDrift(
  profile: ReferenceProfile,
  window: Readonly<Record<string, WindowSummary>>,
  options: StreamedDriftOptions = {},
): StreamedColumnDrift[] {
  if (options.bins !== undefined && options.bins !== profile.json.bins)
    throw new StatsInputError(`the profile was built with ${profile.json.bins} bins, not ${options.bins}`);
  return Object.entries(window).map(([name, current]) => {
    const column = profile.column(name);
    const method = options.methods?.[name] ?? options.method;
    const threshold = options.thresholds?.[name] ?? options.threshold;
    return columnDrift(
      name,
      column.reference,
      current,
      column.json.declared ? column.type : undefined,
      method,
      threshold,
    );
  });
}

function columnDrift(
  column: string,
  reference: WindowSummary,
  current: WindowSummary,
  declared: ColumnType | undefined,
  named: DriftMethod | undefined,
  threshold: number | undefined,
): StreamedColumnDrift {
  if (reference.count === 0)
    throw new StatsInputError(`column "${column}": no reference value left after removing missing values`);
  if (current.count === 0)
    throw new StatsInputError(`column "${column}": no current value left after removing missing values`);
  const resolved = resolve(column, reference, current, declared, named);
  const method = named ?? defaultMethod(resolved.type, reference.count, resolved.distinct);
  if (!methodFits(method, resolved.type))
    throw new StatsInputError(
      `column "${column}": method "${method}" does not fit a ${resolved.type} column`,
    );
  const outcome =
    resolved.type === 'numeric' && reference instanceof NumericSummary && current instanceof NumericSummary
      ? numericOutcome(method as NumericMethod, reference, current)
      : categoricalOutcomeFromCounts(method as CategoricalMethod, resolved.counts);
  const verdict = driftVerdict(
    method,
    outcome.statistic,
    outcome.pValue,
    threshold ?? DEFAULT_THRESHOLDS[method],
  );
  return {
    column,
    type: resolved.type,
    ...verdict,
    missingShare: current.total > 0 ? current.missing / current.total : 0,
    bound: outcome.bound,
    pValueRange: outcome.pValueRange,
  };
}

interface AlignedCounts {
  categories: string[];
  reference: number[];
  current: number[];
}

interface Resolved {
  type: ColumnType;
  distinct: number;
  counts: AlignedCounts;
}

const NO_COUNTS: AlignedCounts = { categories: [], reference: [], current: [] };

function resolve(
  column: string,
  reference: WindowSummary,
  current: WindowSummary,
  declared: ColumnType | undefined,
  method: DriftMethod | undefined,
): Resolved {
  if (reference instanceof CategoricalSummary && current instanceof CategoricalSummary) {
    const counts = alignCategories(reference, current);
    return { type: 'categorical', distinct: counts.categories.length, counts };
  }
  if (!(reference instanceof NumericSummary && current instanceof NumericSummary))
    throw new StatsInputError(
      `column "${column}": the window summary does not match the profile's column type`,
    );
  const r = reference.values;
  const c = current.values;
  const distinct = r && c ? new Set([...r.keys(), ...c.keys()]).size : Infinity;
  const numeric =
    declared === 'numeric' ||
    (method !== undefined && !isCategoricalMethod(method)) ||
    (distinct > CATEGORICAL_MAX_DISTINCT && (method === undefined || isNumericMethod(method)));
  if (numeric) return { type: 'numeric', distinct, counts: NO_COUNTS };
  if (!r || !c)
    throw new StatsInputError(
      `column "${column}": method "${method}" reads this numeric column as categorical, which needs its ` +
        `distinct values; the summaries keep them only up to ${reference.exactValueCap}, so this is not ` +
        'available on the streamed path',
    );
  const values = [...new Set([...r.keys(), ...c.keys()])];
  const labelled = values.map((v) => ({ label: String(v), r: r.get(v) ?? 0, c: c.get(v) ?? 0 }));
  labelled.sort((a, b) => compareCodePoints(a.label, b.label));
  return {
    type: 'categorical',
    distinct,
    counts: {
      categories: labelled.map((x) => x.label),
      reference: labelled.map((x) => x.r),
      current: labelled.map((x) => x.c),
    },
  };
}

/**
 * Category counts of R and C over the union of their categories (code-point order). Where either
 * summary hit its category cap, only categories kept by both stay apart; the rest are `__other__`.
 */
export function alignCategories(reference: CategoricalSummary, current: CategoricalSummary): AlignedCounts {
  const kept = (label: string) =>
    CategoricalSummary.keeps(label, reference.lastKept) && CategoricalSummary.keeps(label, current.lastKept);
  const r = new Map<string, number>();
  const c = new Map<string, number>();
  const add = (into: Map<string, number>, label: string, count: number) => {
    const key = kept(label) ? label : OTHER_CATEGORY;
    if (count > 0) into.set(key, (into.get(key) ?? 0) + count);
  };
  for (const [label, count] of reference.categoryCounts) add(r, label, count);
  for (const [label, count] of current.categoryCounts) add(c, label, count);
  add(r, OTHER_CATEGORY, reference.other);
  add(c, OTHER_CATEGORY, current.other);
  const categories = [...new Set([...r.keys(), ...c.keys()])].sort(compareCodePoints);
  return {
    categories,
    reference: categories.map((k) => r.get(k) ?? 0),
    current: categories.map((k) => c.get(k) ?? 0),
  };
}

function numericOutcome(method: NumericMethod, r: NumericSummary, c: NumericSummary): Outcome {
  switch (method) {
    case 'ks':
      return sketchedKs(r, c);
    case 'wasserstein':
      return sketchedWasserstein(r, c);
    case 'energy':
      return sketchedEnergy(r, c);
    case 'cvm':
      return sketchedCvm(r, c);
    case 'mannwhitney':
      return sketchedMannWhitney(r, c);
    case 'ttest': {
      const t = welchTTestFromMoments(r.sampleMoments, c.sampleMoments);
      return exact(t.statistic, t.pValue);
    }
    case 'psi':
    case 'jensenshannon':
    case 'hellinger':
    case 'kl':
      return exact(
        SHARE_DISTANCES[method](sharesFromCounts(r.binCounts), sharesFromCounts(c.binCounts)),
        null,
      );
  }
}

/** The categorical methods of STATS.md on aligned counts (as `categoricalMethodOutcome` on samples). */
export function categoricalOutcomeFromCounts(method: CategoricalMethod, counts: AlignedCounts): Outcome {
  const { categories, reference, current } = counts;
  const k = categories.length;
  const n = reference.reduce((s, x) => s + x, 0);
  const m = current.reduce((s, x) => s + x, 0);
  switch (method) {
    case 'chisquare': {
      const t = chiSquareFromCounts(reference, current);
      return exact(t.statistic, t.pValue);
    }
    case 'gtest': {
      const t = gTestFromCounts(reference, current);
      return exact(t.statistic, t.pValue);
    }
    case 'ztest': {
      if (k > 2)
        throw new StatsInputError(`ztest needs at most 2 categories, found ${k} (${categories.join(', ')})`);
      const t = twoProportionZTest(reference[0], n, current[0], m);
      return exact(t.statistic, t.pValue);
    }
    case 'fisher': {
      if (k !== 2)
        throw new StatsInputError(`fisher needs exactly 2 categories, found ${k} (${categories.join(', ')})`);
      const t = fisherExact([
        [reference[0], reference[1]],
        [current[0], current[1]],
      ]);
      return exact(t.statistic, t.pValue);
    }
    case 'psi':
    case 'jensenshannon':
    case 'hellinger':
    case 'kl':
    case 'linf':
      return exact(SHARE_DISTANCES[method](sharesFromCounts(reference), sharesFromCounts(current)), null);
  }
}
