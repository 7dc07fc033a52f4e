import { mergeMoments, type SampleMoments } from '../drift/moments.kernel';
import { parseFinite } from '../drift/sample.values';
import type { RawValue, RegressionMetrics } from '../types';
import {
  DEFAULT_BIN_LIMIT,
  DEFAULT_RELATIVE_ACCURACY,
  QuantileSketch,
  type QuantileSketchJSON,
} from './quantile.sketch';

export interface RegressionObservation {
  target: RawValue;
  prediction: RawValue;
}

export interface RegressionPerformanceOptions {
  relativeAccuracy?: number;
  binLimit?: number;
}

export interface RegressionPerformanceJSON {
  kind: 'regression';
  absErrorSum: number;
  squaredErrorSum: number;
  errorSum: number;
  relativeErrorSum: number;
  nonZeroTargets: number;
  targetCount: number;
  targetMean: number;
  targetM2: number;
  absErrors: QuantileSketchJSON;
}

/** Upper bound on |streamed - exact| for the sketched regression metrics. */
export interface RegressionMetricBounds {
  medianAbsoluteError: number;
}

/**
 * Mergeable regression performance: sums of |e|, e^2, e and |e|/|y| (y != 0) with e = yhat - y,
 * the moments of y for r2, and a DDSketch of |e| for the median absolute error, whose estimate is
 * the midpoint of the interval that holds the exact median: off by at most a/(1-a) x the median.
 */
export class RegressionPerformanceSummary {
  private absErrorSum = 0;
  private squaredErrorSum = 0;
  private errorSum = 0;
  private relativeErrorSum = 0;
  private nonZeroTargets = 0;
  private target: SampleMoments = { count: 0, mean: 0, m2: 0 };
  private readonly absErrors: QuantileSketch;

  constructor(options: RegressionPerformanceOptions = {}) {
    this.absErrors = new QuantileSketch(
      options.relativeAccuracy ?? DEFAULT_RELATIVE_ACCURACY,
      options.binLimit ?? DEFAULT_BIN_LIMIT,
    );
  }

  get count(): number {
    return this.target.count;
  }

  /** Skips an observation whose target, prediction or error (overflow) is not a finite number. */
  update(observation: RegressionObservation): void {
    const y = parseFinite(observation.target);
    const yhat = parseFinite(observation.prediction);
    if (y === null || yhat === null) return;
    const e = yhat - y;
    if (!Number.isFinite(e)) return;
    this.absErrorSum += Math.abs(e);
    this.squaredErrorSum += e * e;
    this.errorSum += e;
    if (y !== 0) {
      this.relativeErrorSum += Math.abs(e) / Math.abs(y);
      this.nonZeroTargets++;
    }
    const t = this.target;
    t.count++;
    const delta = y - t.mean;
    t.mean += delta / t.count;
    t.m2 += delta * (y - t.mean);
    this.absErrors.update(Math.abs(e));
  }

  merge(other: RegressionPerformanceSummary): void {
    this.absErrorSum += other.absErrorSum;
    this.squaredErrorSum += other.squaredErrorSum;
    this.errorSum += other.errorSum;
    this.relativeErrorSum += other.relativeErrorSum;
    this.nonZeroTargets += other.nonZeroTargets;
    this.target = mergeMoments(this.target, other.target);
    this.absErrors.merge(other.absErrors);
  }

  /**
   * mae, rmse, mape (a fraction, over y != 0; null when every y is 0), r2 = 1 - SS_res / SS_tot
   * (sklearn `r2_score`: 1 when both are 0, 0 when only SS_tot is), meanError, and the sketched
   * medianAbsoluteError (see {@link bounds}). Throws on an empty summary.
   */
  metrics(): RegressionMetrics {
    const n = this.target.count;
    if (n === 0) throw new RangeError('regression metrics of an empty summary');
    const ssTot = this.target.m2;
    const ssRes = this.squaredErrorSum;
    return {
      mae: this.absErrorSum / n,
      rmse: Math.sqrt(ssRes / n),
      mape: this.nonZeroTargets > 0 ? this.relativeErrorSum / this.nonZeroTargets : null,
      r2: ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0,
      meanError: this.errorSum / n,
      medianAbsoluteError: this.absErrors.quantile(0.5),
    };
  }

  bounds(): RegressionMetricBounds {
    const { lo, hi } = this.absErrors.quantileInterval(0.5);
    return { medianAbsoluteError: (hi - lo) / 2 };
  }

  toJSON(): RegressionPerformanceJSON {
    return {
      kind: 'regression',
      absErrorSum: this.absErrorSum,
      squaredErrorSum: this.squaredErrorSum,
      errorSum: this.errorSum,
      relativeErrorSum: this.relativeErrorSum,
      nonZeroTargets: this.nonZeroTargets,
      targetCount: this.target.count,
      targetMean: this.target.mean,
      targetM2: this.target.m2,
      absErrors: this.absErrors.toJSON(),
    };
  }

  static fromJSON(json: RegressionPerformanceJSON): RegressionPerformanceSummary {
    const summary = new RegressionPerformanceSummary({
      relativeAccuracy: json.absErrors.relativeAccuracy,
      binLimit: json.absErrors.binLimit,
    });
    summary.absErrorSum = json.absErrorSum;
    summary.squaredErrorSum = json.squaredErrorSum;
    summary.errorSum = json.errorSum;
    summary.relativeErrorSum = json.relativeErrorSum;
    summary.nonZeroTargets = json.nonZeroTargets;
    summary.target = { count: json.targetCount, mean: json.targetMean, m2: json.targetM2 };
    summary.absErrors.merge(QuantileSketch.fromJSON(json.absErrors));
    return summary;
  }

  emptyLike(): RegressionPerformanceSummary {
    return new RegressionPerformanceSummary({
      relativeAccuracy: this.absErrors.relativeAccuracy,
      binLimit: this.absErrors.binLimit,
    });
  }
}
