import { compareCodePoints } from '../drift/binning.kernel';
import { asCategory, isMissing } from '../drift/sample.values';
import type { MulticlassMetrics, RawValue } from '../types';

export interface MulticlassObservation {
  target: RawValue;
  prediction: RawValue;
}

export interface MulticlassPerformanceJSON {
  kind: 'multiclass';
  /** [target, prediction, count] for every pair seen, sorted. */
  pairs: Array<[string, string, number]>;
}

/**
 * Mergeable multiclass performance: the confusion counts of every (target, prediction) pair.
 * Memory grows with the square of the number of classes, never with the number of events.
 */
export class MulticlassPerformanceSummary {
  private pairs = new Map<string, Map<string, number>>();

  get count(): number {
    let n = 0;
    for (const row of this.pairs.values()) for (const c of row.values()) n += c;
    return n;
  }

  /** Skips an observation whose target or prediction is missing. */
  update(observation: MulticlassObservation): void {
    if (isMissing(observation.target) || isMissing(observation.prediction)) return;
    this.add(asCategory(observation.target), asCategory(observation.prediction), 1);
  }

  merge(other: MulticlassPerformanceSummary): void {
    for (const [target, row] of other.pairs)
      for (const [prediction, c] of row) this.add(target, prediction, c);
  }

  /**
   * Accuracy and macro / support-weighted scores over the union of labels in target and
   * prediction, a class score 0 where undefined (sklearn `zero_division=0`).
   */
  metrics(): MulticlassMetrics {
    const classes = new Set<string>();
    const support = new Map<string, number>();
    const predicted = new Map<string, number>();
    let total = 0;
    let correct = 0;
    for (const [target, row] of this.pairs) {
      for (const [prediction, c] of row) {
        classes.add(target);
        classes.add(prediction);
        support.set(target, (support.get(target) ?? 0) + c);
        predicted.set(prediction, (predicted.get(prediction) ?? 0) + c);
        total += c;
        if (target === prediction) correct += c;
      }
    }
    let precisionSum = 0;
    let recallSum = 0;
    let f1Sum = 0;
    let f1Weighted = 0;
    const labels = [...classes].sort(compareCodePoints);
    for (const label of labels) {
      const tp = this.pairs.get(label)?.get(label) ?? 0;
      const actual = support.get(label) ?? 0;
      const guessed = predicted.get(label) ?? 0;
      const f1 = actual + guessed > 0 ? (2 * tp) / (actual + guessed) : 0;
      precisionSum += guessed > 0 ? tp / guessed : 0;
      recallSum += actual > 0 ? tp / actual : 0;
      f1Sum += f1;
      f1Weighted += f1 * actual;
    }
    const k = labels.length;
    return {
      accuracy: total > 0 ? correct / total : 0,
      precisionMacro: k > 0 ? precisionSum / k : 0,
      recallMacro: k > 0 ? recallSum / k : 0,
      f1Macro: k > 0 ? f1Sum / k : 0,
      f1Weighted: total > 0 ? f1Weighted / total : 0,
    };
  }

  toJSON(): MulticlassPerformanceJSON {
    const pairs: Array<[string, string, number]> = [];
    for (const [target, row] of this.pairs)
      for (const [prediction, c] of row) pairs.push([target, prediction, c]);
    pairs.sort((a, b) => compareCodePoints(a[0], b[0]) || compareCodePoints(a[1], b[1]));
    return { kind: 'multiclass', pairs };
  }

  static fromJSON(json: MulticlassPerformanceJSON): MulticlassPerformanceSummary {
    const summary = new MulticlassPerformanceSummary();
    for (const [target, prediction, c] of json.pairs) summary.add(target, prediction, c);
    return summary;
  }

  emptyLike(): MulticlassPerformanceSummary {
    return new MulticlassPerformanceSummary();
  }

  private add(target: string, prediction: string, count: number): void {
    let row = this.pairs.get(target);
    if (!row) {
      row = new Map();
      this.pairs.set(target, row);
    }
    row.set(prediction, (row.get(prediction) ?? 0) + count);
  }
}
