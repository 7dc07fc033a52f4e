import { EstimatedBinaryMetrics, ExpectedConfusion } from './expected-confusion.accumulator';
import { IsotonicRegression, IsotonicState } from './isotonic.regression';

export interface CbpeOptions {
  /** A score at or above it is a positive prediction (default 0.5, STATS.md). */
  threshold?: number;
}

/** A fitted CBPE model, as JSON (stored with the reference profile). */
export interface CbpeState {
  threshold: number;
  calibration: IsotonicState;
}

export type BinaryLabel = 0 | 1 | boolean;

/**
 * Confidence-based performance estimation for a binary classifier (NannyML CBPE): the model's
 * scores are calibrated on a labelled reference by isotonic regression (scikit-learn
 * `IsotonicRegression(out_of_bounds="clip")`, as NannyML does), and in production each
 * prediction's calibrated score is the probability that its true label is positive, from which
 * the expected confusion matrix and the metrics follow without labels. Valid under covariate
 * shift (P(y | score) unchanged); not under concept drift.
 */
export class Cbpe {
  private constructor(
    readonly threshold: number,
    private readonly calibration: IsotonicRegression,
  ) {}

  /** Fits the calibration on reference scores and their true labels (1 or true = positive). */
  static fit(scores: readonly number[], labels: readonly BinaryLabel[], options: CbpeOptions = {}): Cbpe {
    if (scores.length !== labels.length) throw new RangeError('Cbpe.fit: scores and labels differ in length');
    if (scores.length === 0) throw new RangeError('Cbpe.fit needs a labelled reference');
    const threshold = options.threshold ?? 0.5;
    const y = labels.map((l) => (l === true || l === 1 ? 1 : 0));
    return new Cbpe(threshold, IsotonicRegression.fit(scores, y));
  }

  static fromJSON(state: CbpeState): Cbpe {
    return new Cbpe(state.threshold, IsotonicRegression.fromJSON(state.calibration));
  }

  toJSON(): CbpeState {
    return { threshold: this.threshold, calibration: this.calibration.toJSON() };
  }

  /** Calibrated probability that the true label is positive. */
  probability(score: number): number {
    if (!Number.isFinite(score)) throw new RangeError(`Cbpe: score ${score}`);
    return this.calibration.predict(score);
  }

  /**
   * Adds one prediction to `sums`. The predicted class is `score >= threshold` unless the event
   * carries its own.
   */
  update(
    sums: ExpectedConfusion,
    score: number,
    predictedPositive = score >= this.threshold,
  ): ExpectedConfusion {
    return sums.update(this.probability(score), predictedPositive);
  }

  /** Estimated metrics of a batch of scores. */
  estimate(scores: readonly number[]): EstimatedBinaryMetrics {
    const sums = new ExpectedConfusion();
    for (const s of scores) this.update(sums, s);
    return sums.value();
  }
}
