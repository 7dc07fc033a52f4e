import { binEdges, DEFAULT_BINS, binIndex } from '../drift/binning.kernel';
import { isMissing, parseFinite } from '../drift/sample.values';
import { StatsInputError } from '../drift/stats-input.error';
import { Random } from '../random';
import type { ColumnType, RawValue } from '../types';
import { CategoricalSummary, type CategoricalSummaryOptions, OTHER_CATEGORY } from './categorical.summary';
import { NumericSummary, type NumericSummaryOptions } from './numeric.summary';
import type { QuantileSketch } from './quantile.sketch';
import {
  type ColumnProfileJSON,
  type EdgeSource,
  type ProfileRole,
  ReferenceProfile,
} from './reference.profile';

export const DEFAULT_SAMPLE_CAP = 100_000;
export const DEFAULT_PROFILE_SEED = 42;

export interface ReferenceProfileOptions
  extends Omit<NumericSummaryOptions, 'edges'>, CategoricalSummaryOptions {
  bins?: number;
  /** Exact values kept per column; a larger reference keeps a seeded reservoir sample of this size. */
  sampleCap?: number;
  seed?: number;
  /** Declared column types; undeclared columns are numeric unless a non-number appears. */
  types?: Readonly<Record<string, ColumnType>>;
  prediction?: string;
  score?: string;
  target?: string;
}

class ColumnAccumulator {
  rows = 0;
  allNumeric = true;
  readonly numeric: NumericSummary;
  readonly categorical: CategoricalSummary;
  readonly sample: RawValue[] = [];
  present = 0;

  constructor(
    readonly name: string,
    options: ReferenceProfileOptions,
    readonly sampleCap: number,
    missingBefore: number,
  ) {
    this.numeric = new NumericSummary(options);
    this.categorical = new CategoricalSummary(options);
    for (let i = 0; i < missingBefore; i++) this.add(null, null);
  }

  add(value: RawValue, rng: Random | null): void {
    this.rows++;
    this.numeric.update(value);
    this.categorical.update(value);
    if (isMissing(value)) return;
    if (parseFinite(value) === null) this.allNumeric = false;
    this.present++;
    if (rng === null) return;
    const cap = this.sampleCap;
    if (this.sample.length < cap) this.sample.push(value);
    else {
      const j = rng.int(this.present);
      if (j < cap) this.sample[j] = value;
    }
  }
}

/**
 * Builds a {@link ReferenceProfile} from rows in one pass with bounded memory: per column a
 * numeric summary, a categorical summary and a reservoir sample (Vitter's algorithm R, seeded).
 * Bin edges are the type-7 quantiles of the exact reference (`binEdges`) while it fits the sample
 * cap; above it they are the sketch's bucket boundaries nearest those quantiles (each within the
 * sketch's relative accuracy of its quantile), at which the sketch's counts, and so the shares,
 * are exact.
 */
export class ReferenceProfileBuilder {
  private readonly options: ReferenceProfileOptions;
  private readonly columns = new Map<string, ColumnAccumulator>();
  private readonly rng: Random;
  private rows = 0;

  constructor(options: ReferenceProfileOptions = {}) {
    this.options = options;
    this.rng = new Random(options.seed ?? DEFAULT_PROFILE_SEED);
  }

  add(row: Readonly<Record<string, RawValue>>): void {
    for (const name of Object.keys(row)) {
      if (!this.columns.has(name)) {
        const cap = this.options.sampleCap ?? DEFAULT_SAMPLE_CAP;
        this.columns.set(name, new ColumnAccumulator(name, this.options, cap, this.rows));
      }
    }
    for (const column of this.columns.values()) column.add(row[column.name], this.rng);
    this.rows++;
  }

  build(): ReferenceProfile {
    const bins = this.options.bins ?? DEFAULT_BINS;
    return new ReferenceProfile({
      version: 1,
      rows: this.rows,
      bins,
      sampleCap: this.options.sampleCap ?? DEFAULT_SAMPLE_CAP,
      seed: this.options.seed ?? DEFAULT_PROFILE_SEED,
      columns: [...this.columns.values()].map((c) => this.profileColumn(c, bins)),
    });
  }

  private roleOf(name: string): ProfileRole {
    if (name === this.options.prediction) return 'prediction';
    if (name === this.options.score) return 'score';
    if (name === this.options.target) return 'target';
    return 'feature';
  }

  private profileColumn(column: ColumnAccumulator, bins: number): ColumnProfileJSON {
    const declared = this.options.types?.[column.name];
    if (declared === 'numeric' && !column.allNumeric)
      throw new StatsInputError(`column "${column.name}" is declared numeric but holds a non-number`);
    const type: ColumnType =
      declared ?? (column.allNumeric && column.present > 0 ? 'numeric' : 'categorical');
    const complete = column.present <= column.sampleCap;
    const base = {
      name: column.name,
      role: this.roleOf(column.name),
      type,
      declared: declared !== undefined,
      rows: column.rows,
      sampleComplete: complete,
    };
    if (type === 'categorical') {
      const json = column.categorical.toJSON();
      const total = column.categorical.count;
      const categories = json.other > 0 ? [...json.category, OTHER_CATEGORY] : json.category;
      const counts = json.other > 0 ? [...json.count, json.other] : json.count;
      return {
        ...base,
        edges: [],
        edgeSource: null,
        categories,
        shares: counts.map((c) => (total > 0 ? c / total : 0)),
        numeric: null,
        categorical: json,
        sample: column.sample.map(String),
      };
    }
    const sample = column.sample.map((v) => parseFinite(v) ?? 0);
    const { edges, binCounts, source } = complete
      ? exactBins(sample, bins)
      : sketchBins(column.numeric.sketch, bins);
    const numeric = { ...column.numeric.toJSON(), edges, binCounts };
    const count = column.numeric.count;
    return {
      ...base,
      edges,
      edgeSource: source,
      categories: [],
      shares: binCounts.map((c) => (count > 0 ? c / count : 0)),
      numeric,
      categorical: null,
      sample,
    };
  }
}

/** Bin edges of a numeric reference column, its counts per bin, and where the edges come from. */
export interface ProfileBins {
  edges: number[];
  binCounts: number[];
  source: EdgeSource;
}

/** Edges `binEdges` (type-7 quantiles) of the exact values, and the counts per bin. */
export function exactBins(values: readonly number[], bins: number): ProfileBins {
  const edges = values.length > 0 ? binEdges(values, bins) : [];
  const binCounts = new Array<number>(edges.length + 1).fill(0);
  for (const x of values) binCounts[binIndex(x, edges)]++;
  return { edges, binCounts, source: 'sample' };
}

/**
 * Edges at the upper boundary of the sketch bucket holding the order statistic of rank
 * floor((n - 1) i / B), so x(r) <= edge <= x(r) + (gamma - 1)|x(r)|, and the exact counts per bin:
 * the sketch's CDF is exact at bucket boundaries.
 */
export function sketchBins(sketch: QuantileSketch, bins: number): ProfileBins {
  const cells = sketch.cells();
  const below: number[] = [];
  let seen = 0;
  for (const cell of cells) {
    seen += cell.count;
    below.push(seen);
  }
  const edges: number[] = [];
  const cumulative: number[] = [];
  for (let i = 1; i < bins; i++) {
    const rank = Math.floor((sketch.count - 1) * (i / bins));
    const index = below.findIndex((b) => rank < b);
    const edge = cells[index].hi;
    if (edges.length === 0 || edge > edges[edges.length - 1]) {
      edges.push(edge);
      cumulative.push(below[index]);
    }
  }
  const binCounts = [...cumulative, sketch.count].map((c, i) => c - (i > 0 ? cumulative[i - 1] : 0));
  return { edges, binCounts, source: 'sketch' };
}

/** Profile of rows held in memory: the builder fed row by row. */
export function buildReferenceProfile(
  rows: Iterable<Readonly<Record<string, RawValue>>>,
  options: ReferenceProfileOptions = {},
): ReferenceProfile {
  const builder = new ReferenceProfileBuilder(options);
  for (const row of rows) builder.add(row);
  return builder.build();
}
