import { binIndex } from '../drift/binning.kernel';
import { mergeMoments, type SampleMoments } from '../drift/moments.kernel';
import { isMissing, parseFinite } from '../drift/sample.values';
import type { RawValue } from '../types';
import {
  DEFAULT_BIN_LIMIT,
  DEFAULT_RELATIVE_ACCURACY,
  QuantileSketch,
  type QuantileSketchJSON,
} from './quantile.sketch';

/** Distinct values counted exactly before a numeric summary keeps only its sketch. */
export const DEFAULT_EXACT_VALUE_CAP = 128;

export interface NumericSummaryOptions {
  /** Interior bin edges fixed by the reference profile (none: a single bin). */
  edges?: readonly number[];
  relativeAccuracy?: number;
  binLimit?: number;
  exactValueCap?: number;
}

export interface NumericSummaryJSON {
  kind: 'numeric';
  edges: number[];
  binCounts: number[];
  missing: number;
  invalid: number;
  count: number;
  mean: number;
  m2: number;
  exactValueCap: number;
  /** Distinct values (ascending) and their counts while there are at most exactValueCap of them. */
  values: { value: number[]; count: number[] } | null;
  sketch: QuantileSketchJSON;
}

/**
 * Mergeable summary of one numeric column over a stream: missing and non-numeric counts, moments
 * (Welford updates, Chan et al. merges), counts on the reference's bins, a DDSketch, and the exact
 * counts of each distinct value while there are few (so tied data, as an integer hour, stays exact).
 * Memory is bounded: bins + 2 x binLimit sketch buckets + exactValueCap values.
 */
export class NumericSummary {
  readonly edges: readonly number[];
  readonly exactValueCap: number;
  private bins: number[];
  private missingCount = 0;
  private invalidCount = 0;
  private moments: SampleMoments = { count: 0, mean: 0, m2: 0 };
  private exact: Map<number, number> | null = new Map();
  private quantiles: QuantileSketch;

  constructor(options: NumericSummaryOptions = {}) {
    this.edges = [...(options.edges ?? [])];
    this.exactValueCap = options.exactValueCap ?? DEFAULT_EXACT_VALUE_CAP;
    this.bins = new Array<number>(this.edges.length + 1).fill(0);
    this.quantiles = new QuantileSketch(
      options.relativeAccuracy ?? DEFAULT_RELATIVE_ACCURACY,
      options.binLimit ?? DEFAULT_BIN_LIMIT,
    );
  }

  /** Values seen, missing ones included. */
  get total(): number {
    return this.moments.count + this.missingCount + this.invalidCount;
  }

  /** Finite numbers seen (the sample size n of the tests). */
  get count(): number {
    return this.moments.count;
  }

  get missing(): number {
    return this.missingCount;
  }

  /** Present values that are not finite numbers: left out of every test. */
  get invalid(): number {
    return this.invalidCount;
  }

  get sampleMoments(): SampleMoments {
    return { ...this.moments };
  }

  get min(): number {
    return this.quantiles.min;
  }

  get max(): number {
    return this.quantiles.max;
  }

  /** Population standard deviation (ddof 0), as `np.std`. */
  get std(): number {
    return this.moments.count > 0 ? Math.sqrt(this.moments.m2 / this.moments.count) : 0;
  }

  get binCounts(): readonly number[] {
    return this.bins;
  }

  /** Exact counts per distinct value, or null once there are more than exactValueCap. */
  get values(): ReadonlyMap<number, number> | null {
    return this.exact;
  }

  get sketch(): QuantileSketch {
    return this.quantiles;
  }

  update(value: RawValue): void {
    if (isMissing(value)) {
      this.missingCount++;
      return;
    }
    const x = parseFinite(value);
    if (x === null) {
      this.invalidCount++;
      return;
    }
    const m = this.moments;
    m.count++;
    const delta = x - m.mean;
    m.mean += delta / m.count;
    m.m2 += delta * (x - m.mean);
    this.bins[binIndex(x, this.edges)]++;
    this.quantiles.update(x);
    if (this.exact) {
      this.exact.set(x, (this.exact.get(x) ?? 0) + 1);
      if (this.exact.size > this.exactValueCap) this.exact = null;
    }
  }

  merge(other: NumericSummary): void {
    if (other.edges.length !== this.edges.length || other.edges.some((e, i) => e !== this.edges[i]))
      throw new Error('numeric summaries with different bin edges cannot be merged');
    if (other.exactValueCap !== this.exactValueCap)
      throw new Error('numeric summaries with different exact value caps cannot be merged');
    this.quantiles.merge(other.quantiles);
    this.moments = mergeMoments(this.moments, other.moments);
    this.missingCount += other.missingCount;
    this.invalidCount += other.invalidCount;
    this.bins = this.bins.map((c, i) => c + other.bins[i]);
    if (this.exact && other.exact) {
      for (const [v, c] of other.exact) this.exact.set(v, (this.exact.get(v) ?? 0) + c);
      if (this.exact.size > this.exactValueCap) this.exact = null;
    } else {
      this.exact = null;
    }
  }

  toJSON(): NumericSummaryJSON {
    const values = this.exact ? [...this.exact.keys()].sort((a, b) => a - b) : null;
    return {
      kind: 'numeric',
      edges: [...this.edges],
      binCounts: [...this.bins],
      missing: this.missingCount,
      invalid: this.invalidCount,
      count: this.moments.count,
      mean: this.moments.mean,
      m2: this.moments.m2,
      exactValueCap: this.exactValueCap,
      values:
        values && this.exact ? { value: values, count: values.map((v) => this.exact?.get(v) ?? 0) } : null,
      sketch: this.quantiles.toJSON(),
    };
  }

  static fromJSON(json: NumericSummaryJSON): NumericSummary {
    const summary = new NumericSummary({
      edges: json.edges,
      exactValueCap: json.exactValueCap,
      relativeAccuracy: json.sketch.relativeAccuracy,
      binLimit: json.sketch.binLimit,
    });
    summary.bins = [...json.binCounts];
    summary.missingCount = json.missing;
    summary.invalidCount = json.invalid;
    summary.moments = { count: json.count, mean: json.mean, m2: json.m2 };
    summary.exact = json.values
      ? new Map(json.values.value.map((v, i) => [v, json.values?.count[i] ?? 0]))
      : null;
    summary.quantiles = QuantileSketch.fromJSON(json.sketch);
    return summary;
  }

  /** An empty summary on the same edges and settings (a new pane for the same column). */
  emptyLike(): NumericSummary {
    return new NumericSummary({
      edges: this.edges,
      exactValueCap: this.exactValueCap,
      relativeAccuracy: this.quantiles.relativeAccuracy,
      binLimit: this.quantiles.binLimit,
    });
  }
}
