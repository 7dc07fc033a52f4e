import type { ConfusionMatrix } from '../types';

/** Sums of an expected confusion matrix, as JSON (for a pane). */
export interface ExpectedConfusionState {
  n: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Label-free estimates of the binary metrics of STATS.md; 0 where a ratio is undefined. */
export interface EstimatedBinaryMetrics {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Expected counts (not integers). */
  confusionMatrix: ConfusionMatrix;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/**
 * Expected confusion matrix of a set of predictions given the probability p that each is truly
 * positive (NannyML CBPE): a positive prediction adds p to tp and 1 − p to fp, a negative one p
 * to fn and 1 − p to tn. Sums are additive, so panes merge by adding them.
 */
export class ExpectedConfusion {
  n = 0;
  tp = 0;
  fp = 0;
  fn = 0;
  tn = 0;

  static fromJSON(state: ExpectedConfusionState): ExpectedConfusion {
    const sums = new ExpectedConfusion();
    for (const key of ['n', 'tp', 'fp', 'fn', 'tn'] as const) {
      if (!(Number.isFinite(state[key]) && state[key] >= 0))
        throw new RangeError(`ExpectedConfusion: bad ${key}`);
      sums[key] = state[key];
    }
    return sums;
  }

  /** Adds one prediction: `probability` that its true label is positive, and its predicted class. */
  update(probability: number, predictedPositive: boolean): this {
    if (!(probability >= 0 && probability <= 1))
      throw new RangeError(`ExpectedConfusion: probability ${probability}`);
    this.n += 1;
    if (predictedPositive) {
      this.tp += probability;
      this.fp += 1 - probability;
    } else {
      this.fn += probability;
      this.tn += 1 - probability;
    }
    return this;
  }

  merge(other: ExpectedConfusion): this {
    this.n += other.n;
    this.tp += other.tp;
    this.fp += other.fp;
    this.fn += other.fn;
    this.tn += other.tn;
    return this;
  }

  /** accuracy (tp+tn)/n, precision tp/(tp+fp), recall tp/(tp+fn), f1 2tp/(2tp+fp+fn) on expected counts. */
  value(): EstimatedBinaryMetrics {
    const { n, tp, fp, fn, tn } = this;
    return {
      count: n,
      accuracy: ratio(tp + tn, n),
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
      confusionMatrix: { tp, fp, fn, tn },
    };
  }

  toJSON(): ExpectedConfusionState {
    return { n: this.n, tp: this.tp, fp: this.fp, fn: this.fn, tn: this.tn };
  }
}
