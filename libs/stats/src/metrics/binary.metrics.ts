import { averageRanks } from '../drift/ranks.kernel';
import { StatsInputError } from '../drift/stats-input.error';
import type { BinaryMetrics, ConfusionMatrix } from '../types';
import { checkRows } from './metrics.rows';

export interface BinaryMetricsOptions {
  /** Predicted labels; when absent, predictions are score >= threshold. */
  prediction?: readonly string[];
  /** Scores (probability of the positive label) for rocAuc, logLoss and brier. */
  score?: readonly number[];
  /** Label of the positive class (default "1"). */
  positiveLabel?: string;
  /** Decision threshold on the score where only a score is given (default 0.5). */
  threshold?: number;
}

export const DEFAULT_POSITIVE_LABEL = '1';
export const DEFAULT_DECISION_THRESHOLD = 0.5;
const LOG_LOSS_CLIP = 1e-15;

/** a / b, or 0 where the ratio is undefined (STATS.md: "0 where undefined"). */
export function ratioOrZero(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * Area under the ROC curve in its Mann–Whitney form, average ranks for tied scores:
 * (sum of positive ranks - P(P+1)/2) / (P·N), as `sklearn.metrics.roc_auc_score`. Null with one class.
 */
export function rocAuc(positive: readonly boolean[], score: readonly number[]): number | null {
  const p = positive.filter(Boolean).length;
  const n = positive.length - p;
  if (p === 0 || n === 0) return null;
  const { ranks } = averageRanks(score);
  let rankSum = 0;
  positive.forEach((isPositive, i) => {
    if (isPositive) rankSum += ranks[i];
  });
  return (rankSum - (p * (p + 1)) / 2) / (p * n);
}

/**
 * Binary classification metrics (STATS.md "Performance metrics"): accuracy, precision, recall,
 * f1 (0 where undefined), confusion matrix; with scores also rocAuc, logLoss (scores clipped to
 * [1e-15, 1 - 1e-15], as `sklearn.metrics.log_loss`) and brier (mean (score - y)²).
 */
export function binaryMetrics(target: readonly string[], options: BinaryMetricsOptions): BinaryMetrics {
  const positiveLabel = options.positiveLabel ?? DEFAULT_POSITIVE_LABEL;
  const threshold = options.threshold ?? DEFAULT_DECISION_THRESHOLD;
  const { prediction, score } = options;
  const n = target.length;
  checkRows('binary', target, { prediction, score });
  if (prediction === undefined && score === undefined) {
    throw new StatsInputError('binary metrics need a prediction or a score');
  }
  if (score !== undefined) {
    const bad = score.find((s) => !Number.isFinite(s) || s < 0 || s > 1);
    if (bad !== undefined) throw new StatsInputError(`scores must be probabilities in [0, 1], got ${bad}`);
  }
  const actual = target.map((t) => t === positiveLabel);
  const predicted = prediction
    ? prediction.map((p) => p === positiveLabel)
    : (score as readonly number[]).map((s) => s >= threshold);
  const matrix: ConfusionMatrix = { tp: 0, fp: 0, fn: 0, tn: 0 };
  actual.forEach((y, i) => {
    if (y) matrix[predicted[i] ? 'tp' : 'fn']++;
    else matrix[predicted[i] ? 'fp' : 'tn']++;
  });
  const precision = ratioOrZero(matrix.tp, matrix.tp + matrix.fp);
  const recall = ratioOrZero(matrix.tp, matrix.tp + matrix.fn);
  let logLoss: number | null = null;
  let brier: number | null = null;
  if (score !== undefined) {
    let loss = 0;
    let squared = 0;
    score.forEach((s, i) => {
      const clipped = Math.min(Math.max(s, LOG_LOSS_CLIP), 1 - LOG_LOSS_CLIP);
      loss -= actual[i] ? Math.log(clipped) : Math.log(1 - clipped);
      squared += (s - (actual[i] ? 1 : 0)) ** 2;
    });
    logLoss = loss / n;
    brier = squared / n;
  }
  return {
    accuracy: (matrix.tp + matrix.tn) / n,
    precision,
    recall,
    f1: ratioOrZero(2 * matrix.tp, 2 * matrix.tp + matrix.fp + matrix.fn),
    rocAuc: score === undefined ? null : rocAuc(actual, score),
    logLoss,
    brier,
    confusionMatrix: matrix,
  };
}
