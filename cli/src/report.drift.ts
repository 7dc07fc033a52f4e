import {
  CATEGORICAL_MAX_DISTINCT,
  columnDrift,
  datasetDrift,
  methodFits,
  numberColumnDrift,
  StatsInputError,
  type ColumnDrift,
  type ColumnType,
  type DatasetDrift,
} from '@driftline/stats';
import { CliError } from './cli.error';
import type { DriftColumn } from './report.loader';
import type { DriftOptions } from './report.options';

/**
 * The type of a column (STATS.md "Default method"): the declared one; else categorical for text
 * and for numbers with at most 5 distinct values over both samples; else numeric. `--method`
 * applies to the columns whose type it fits, so the type is needed before testing.
 */
export function columnType(column: DriftColumn): ColumnType {
  if (column.declared !== undefined) return column.declared;
  if (!column.reference.isNumeric || !column.current.isNumeric) return 'categorical';
  const seen = new Set<number>();
  column.reference.collectDistinct(seen, CATEGORICAL_MAX_DISTINCT + 1);
  column.current.collectDistinct(seen, CATEGORICAL_MAX_DISTINCT + 1);
  return seen.size > CATEGORICAL_MAX_DISTINCT ? 'numeric' : 'categorical';
}

function testColumn(column: DriftColumn, type: ColumnType, options: DriftOptions): ColumnDrift {
  const method =
    options.method !== undefined && methodFits(options.method, type) ? options.method : undefined;
  const settings = { type: method === undefined ? column.declared : type, method, bins: options.bins };
  const { reference, current } = column;
  if (reference.isNumeric && current.isNumeric)
    return numberColumnDrift(column.name, reference.numbers(), current.numbers(), settings);
  return columnDrift(column.name, reference.values(), current.values(), settings);
}

/** Drift of every column and of the data set; one column at a time is expanded into values. */
export function computeDrift(columns: DriftColumn[], options: DriftOptions): DatasetDrift {
  const types = columns.map(columnType);
  const method = options.method;
  if (method !== undefined && !types.some((t) => methodFits(method, t))) {
    const kind = methodFits(method, 'numeric') ? 'numeric' : 'categorical';
    throw new CliError(
      `method "${method}" fits no column: it is a ${kind} method and no column here is ${kind}`,
    );
  }
  try {
    const results = columns.map((c, i) => testColumn(c, types[i], options));
    return datasetDrift(results, { driftShare: options.driftShare, correction: options.correction });
  } catch (error) {
    if (error instanceof StatsInputError) throw new CliError(error.message);
    throw error;
  }
}
