import { compareCodePoints } from '../drift/binning.kernel';
import type { MulticlassMetrics } from '../types';
import { ratioOrZero } from './binary.metrics';
import { checkRows } from './metrics.rows';

/**
 * Multiclass metrics over the classes seen in target or prediction (STATS.md): accuracy, macro
 * precision, recall and f1 (a class score that is undefined counts 0), and f1 weighted by the
 * class support in the target, as `sklearn.metrics.precision_recall_fscore_support(zero_division=0)`.
 */
export function multiclassMetrics(
  target: readonly string[],
  prediction: readonly string[],
): MulticlassMetrics {
  const n = target.length;
  checkRows('multiclass', target, { prediction });
  const classes = [...new Set([...target, ...prediction])].sort(compareCodePoints);
  const index = new Map(classes.map((c, i) => [c, i]));
  const tp = new Array<number>(classes.length).fill(0);
  const support = new Array<number>(classes.length).fill(0);
  const predictedCount = new Array<number>(classes.length).fill(0);
  let correct = 0;
  target.forEach((t, i) => {
    const actual = index.get(t) as number;
    const predicted = index.get(prediction[i]) as number;
    support[actual]++;
    predictedCount[predicted]++;
    if (actual === predicted) {
      tp[actual]++;
      correct++;
    }
  });
  const precision = classes.map((_, k) => ratioOrZero(tp[k], predictedCount[k]));
  const recall = classes.map((_, k) => ratioOrZero(tp[k], support[k]));
  const f1 = classes.map((_, k) => ratioOrZero(2 * tp[k], support[k] + predictedCount[k]));
  const mean = (values: number[]) => values.reduce((s, x) => s + x, 0) / values.length;
  return {
    accuracy: correct / n,
    precisionMacro: mean(precision),
    recallMacro: mean(recall),
    f1Macro: mean(f1),
    f1Weighted: f1.reduce((s, f, k) => s + f * support[k], 0) / n,
  };
}
