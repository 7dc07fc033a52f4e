import {
  binaryMetrics,
  multiclassMetrics,
  regressionMetrics,
  StatsInputError,
  type PerformanceReport,
} from '@driftline/stats';
import { CliError } from './cli.error';
import type { ColumnBuffer } from './column.buffer';
import type { FileSummary } from './report.loader';
import type { PerformanceOptions } from './report.options';

function pick<T>(cells: (T | null)[], rows: number[]): T[] {
  return rows.map((i) => {
    const v = cells[i];
    if (v === null) throw new Error(`row ${i + 1} was kept with a missing value`);
    return v;
  });
}

function metrics(
  p: PerformanceOptions,
  cell: (name: string) => ColumnBuffer,
  rows: number[],
): PerformanceReport['metrics'] {
  if (p.task === 'regression') {
    return regressionMetrics(
      pick(cell(p.target).numberCells(), rows),
      pick(cell(p.prediction ?? '').numberCells(), rows),
    );
  }
  const target = pick(cell(p.target).texts(), rows);
  const prediction = p.prediction === undefined ? undefined : pick(cell(p.prediction).texts(), rows);
  if (p.task === 'multiclass') return multiclassMetrics(target, prediction ?? []);
  const score = p.score === undefined ? undefined : pick(cell(p.score).numberCells(), rows);
  return binaryMetrics(target, { prediction, score, positiveLabel: p.positiveLabel });
}

/** Performance of the predictions, on the rows of the current file where every named column has a value. */
export function computePerformance(
  p: PerformanceOptions,
  columns: Map<string, ColumnBuffer>,
  current: FileSummary,
): PerformanceReport {
  const cell = (name: string): ColumnBuffer => {
    const b = columns.get(name);
    if (b === undefined) throw new Error(`performance column "${name}" was not read`);
    return b;
  };
  const named = [p.target, p.prediction, p.score].filter((c): c is string => c !== undefined);
  const cells = named.map((c) => cell(c).values());
  const rows: number[] = [];
  for (let i = 0; i < current.rows; i++) if (cells.every((c) => c[i] !== null)) rows.push(i);
  if (rows.length === 0) {
    throw new CliError(
      `no row of ${current.path} has a value in every one of ${named.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  try {
    return { task: p.task, metrics: metrics(p, cell, rows) };
  } catch (error) {
    if (error instanceof StatsInputError)
      throw new CliError(`performance (--task ${p.task}): ${error.message}`);
    throw error;
  }
}
