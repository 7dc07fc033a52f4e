import { isMissing, parseFinite } from '../drift/sample.values';
import { StatsInputError } from '../drift/stats-input.error';
import type { PerformanceReport, RawValue, Task } from '../types';
import { binaryMetrics } from './binary.metrics';
import { checkRows } from './metrics.rows';
import { multiclassMetrics } from './multiclass.metrics';
import { regressionMetrics } from './regression.metrics';

/** Raw columns of a performance report, as read from a CSV or from joined events. */
export interface PerformanceInput {
  target: readonly RawValue[];
  prediction?: readonly RawValue[];
  score?: readonly RawValue[];
  /** Binary only (default "1"). */
  positiveLabel?: string;
  /** Binary only, on the score where no prediction is given (default 0.5). */
  threshold?: number;
}

function numbers(name: string, values: readonly RawValue[]): number[] {
  return values.map((v) => {
    const x = parseFinite(v);
    if (x === null)
      throw new StatsInputError(`${name} holds a value that is not a finite number: "${String(v)}"`);
    return x;
  });
}

/**
 * Performance metrics for one task (STATS.md "Performance metrics"). Rows where the target or a
 * given prediction or score column is missing (not labelled yet) are left out; labels are
 * compared as strings. Throws `StatsInputError` when no row is left or a column is unusable.
 */
export function performanceReport(task: Task, input: PerformanceInput): PerformanceReport {
  const { target, prediction, score } = input;
  checkRows(task, target, { prediction, score });
  const rows = target
    .map((_, i) => i)
    .filter(
      (i) =>
        !isMissing(target[i]) && !(prediction && isMissing(prediction[i])) && !(score && isMissing(score[i])),
    );
  if (rows.length === 0) throw new StatsInputError('no row has both a target and a prediction');
  const pick = (column: readonly RawValue[]) => rows.map((i) => column[i]);
  const labels = (column: readonly RawValue[]) => pick(column).map(String);
  switch (task) {
    case 'binary':
      return {
        task,
        metrics: binaryMetrics(labels(target), {
          prediction: prediction && labels(prediction),
          score: score && numbers('score', pick(score)),
          positiveLabel: input.positiveLabel,
          threshold: input.threshold,
        }),
      };
    case 'multiclass':
      if (!prediction) throw new StatsInputError('multiclass metrics need a prediction column');
      return { task, metrics: multiclassMetrics(labels(target), labels(prediction)) };
    case 'regression':
      if (!prediction) throw new StatsInputError('regression metrics need a prediction column');
      return {
        task,
        metrics: regressionMetrics(numbers('target', pick(target)), numbers('prediction', pick(prediction))),
      };
  }
}
