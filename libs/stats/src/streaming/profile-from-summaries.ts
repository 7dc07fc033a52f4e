import { binIndex, DEFAULT_BINS } from '../drift/binning.kernel';
import { StatsInputError } from '../drift/stats-input.error';
import type { ColumnType } from '../types';
import { type CategoricalSummaryJSON, OTHER_CATEGORY } from './categorical.summary';
import type { NumericSummaryJSON } from './numeric.summary';
import { QuantileSketch } from './quantile.sketch';
import { DEFAULT_PROFILE_SEED, DEFAULT_SAMPLE_CAP, sketchBins } from './reference-profile.builder';
import {
  type ColumnProfileJSON,
  type EdgeSource,
  type ProfileRole,
  ReferenceProfile,
} from './reference.profile';

export type ColumnSummaryJSON = NumericSummaryJSON | CategoricalSummaryJSON;

export interface WindowProfileOptions {
  bins?: number;
  /** Declared column types: a declared type must match the summary's kind. */
  types?: Readonly<Record<string, ColumnType>>;
  prediction?: string;
  score?: string;
  target?: string;
}

interface Bins {
  edges: number[];
  binCounts: number[];
  source: EdgeSource;
}

/**
 * A {@link ReferenceProfile} from a window's merged column summaries (a past window pinned as the
 * reference), with no exact sample: the streamed comparisons need only the summaries.
 * Numeric bin edges follow STATS.md "Binning" (`unique(quantile(R, i/B))`, type 7):
 * - while the summary holds its distinct values, exactly, as `binEdges` on the window's values;
 * - otherwise from the DDSketch, where type 7 cannot be interpolated (the sketch does not hold the
 *   order statistics): edge i is the upper boundary of the sketch bucket holding the order
 *   statistic x(r), r = floor((n - 1) i / B). So x(r) <= edge <= x(r) + (gamma - 1)|x(r)|, gamma =
 *   (1 + a)/(1 - a) (2a/(1 - a) ~ 2.02% for a = 1%; below the zero bucket's width for |x| near 0),
 *   while the type-7 edge lies in [x(r), x(r+1)]. Bucket boundaries make the bin counts, and so
 *   the shares, exact (as the builder's sketch edges over its sample cap).
 * Categorical columns keep their counts: shares per kept category, then `__other__`.
 */
export function profileFromWindowSummary(
  columns: Readonly<Record<string, ColumnSummaryJSON>>,
  options: WindowProfileOptions = {},
): ReferenceProfile {
  const bins = options.bins ?? DEFAULT_BINS;
  if (!Number.isInteger(bins) || bins < 1)
    throw new StatsInputError(`bins must be a positive integer, got ${bins}`);
  const profiled = Object.entries(columns).map(([name, summary]) =>
    profileColumn(name, summary, roleOf(name, options), options.types?.[name], bins),
  );
  return new ReferenceProfile({
    version: 1,
    rows: Math.max(0, ...profiled.map((c) => c.rows)),
    bins,
    sampleCap: DEFAULT_SAMPLE_CAP,
    seed: DEFAULT_PROFILE_SEED,
    columns: profiled,
  });
}

function roleOf(name: string, options: WindowProfileOptions): ProfileRole {
  if (name === options.prediction) return 'prediction';
  if (name === options.score) return 'score';
  if (name === options.target) return 'target';
  return 'feature';
}

function profileColumn(
  name: string,
  summary: ColumnSummaryJSON,
  role: ProfileRole,
  declared: ColumnType | undefined,
  bins: number,
): ColumnProfileJSON {
  const type: ColumnType = summary.kind;
  if (declared !== undefined && declared !== type)
    throw new StatsInputError(
      `column "${name}" is declared ${declared} but the window summarised it as ${type}`,
    );
  const base = { name, role, type, declared: declared !== undefined, sample: [], sampleComplete: false };
  if (summary.kind === 'categorical') {
    const total = summary.count.reduce((s, c) => s + c, 0) + summary.other;
    const withOther = summary.other > 0;
    return {
      ...base,
      rows: total + summary.missing,
      edges: [],
      edgeSource: null,
      categories: withOther ? [...summary.category, OTHER_CATEGORY] : [...summary.category],
      shares: (withOther ? [...summary.count, summary.other] : summary.count).map((c) =>
        total > 0 ? c / total : 0,
      ),
      numeric: null,
      categorical: summary,
    };
  }
  const { edges, binCounts, source } =
    summary.count === 0
      ? { edges: [], binCounts: [0], source: 'sample' as const }
      : summary.values !== null
        ? exactBins(summary.values, summary.count, bins)
        : sketchBins(QuantileSketch.fromJSON(summary.sketch), bins);
  return {
    ...base,
    rows: summary.count + summary.missing + summary.invalid,
    edges,
    edgeSource: source,
    categories: [],
    shares: binCounts.map((c) => (summary.count > 0 ? c / summary.count : 0)),
    numeric: { ...summary, edges, binCounts },
    categorical: null,
  };
}

/** `binEdges` (type-7 quantiles, NumPy `np.quantile`) on the values given by their distinct values and counts. */
function exactBins(values: { value: number[]; count: number[] }, n: number, bins: number): Bins {
  const cumulative: number[] = [];
  let seen = 0;
  for (const c of values.count) cumulative.push((seen += c));
  const at = (rank: number) => values.value[cumulative.findIndex((c) => rank < c)];
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    // the arithmetic of quantileSorted, so that the edges are the same floats as binEdges'
    const virtual = (n - 1) * (i / bins);
    const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
    const gamma = virtual - below;
    const a = at(below);
    const b = at(Math.min(below + 1, n - 1));
    const edge = gamma >= 0.5 ? b - (b - a) * (1 - gamma) : a + (b - a) * gamma;
    if (edges.length === 0 || edge !== edges[edges.length - 1]) edges.push(edge);
  }
  const binCounts = new Array<number>(edges.length + 1).fill(0);
  values.value.forEach((v, i) => (binCounts[binIndex(v, edges)] += values.count[i]));
  return { edges, binCounts, source: 'sample' };
}
