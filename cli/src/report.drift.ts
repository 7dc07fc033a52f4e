import {
  CATEGORICAL_MAX_DISTINCT,
  columnDrift,
  datasetDrift,
  methodFits,
  numberColumnDrift,
  StatsInputError,
  type ColumnDrift,
  type ColumnDriftOptions,
  type ColumnType,
  type DatasetDrift,
} from '@driftline/stats';
import { CliError } from './cli.error';
import type { DriftColumn } from './report.loader';
import type { DriftOptions } from './report.options';
import type { ReportWorker } from './report.worker-client';

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

function settingsOf(column: DriftColumn, type: ColumnType, options: DriftOptions): ColumnDriftOptions {
  const method =
    options.method !== undefined && methodFits(options.method, type) ? options.method : undefined;
  return { type: method === undefined ? column.declared : type, method, bins: options.bins };
}

type Tested = { drift: ColumnDrift } | { statsInputError: string };

function testColumn(column: DriftColumn, settings: ColumnDriftOptions): Tested {
  const { reference, current } = column;
  try {
    const drift =
      reference.isNumeric && current.isNumeric
        ? numberColumnDrift(column.name, reference.numbers(), current.numbers(), settings)
        : columnDrift(column.name, reference.values(), current.values(), settings);
    return { drift };
  } catch (error) {
    if (error instanceof StatsInputError) return { statsInputError: error.message };
    throw error;
  }
}

/** The numeric columns the worker tests: the later half of them, while this thread tests the rest. */
function workerShare(columns: DriftColumn[], worker: ReportWorker | undefined): Set<number> {
  if (worker === undefined) return new Set();
  const numeric = columns.flatMap((c, i) => (c.reference.isNumeric && c.current.isNumeric ? [i] : []));
  return new Set(numeric.slice(Math.ceil(numeric.length / 2)));
}

async function testColumns(
  columns: DriftColumn[],
  settings: ColumnDriftOptions[],
  worker: ReportWorker | undefined,
): Promise<Tested[]> {
  const share = workerShare(columns, worker);
  const sent = [...share].map((i) => ({
    name: columns[i].name,
    reference: columns[i].reference.numbers(),
    current: columns[i].current.numbers(),
    options: settings[i],
  }));
  const answer = worker !== undefined && sent.length > 0 ? worker.drift(sent) : undefined;
  const here = columns.map((c, i) => (share.has(i) ? undefined : testColumn(c, settings[i])));
  const reply = await answer;
  if (reply !== undefined && reply.kind !== 'drift')
    throw new Error(`the report worker failed: ${reply.kind === 'failed' ? reply.message : reply.kind}`);
  const fromWorker = reply?.results ?? [];
  let next = 0;
  return here.map((tested) => tested ?? fromWorker[next++]);
}

/**
 * Drift of every column and of the data set; one column at a time is expanded into values. With a
 * worker, half the numeric columns are tested on it meanwhile; the first error in column order wins.
 */
export async function computeDrift(
  columns: DriftColumn[],
  options: DriftOptions,
  worker?: ReportWorker,
): Promise<DatasetDrift> {
  const types = columns.map(columnType);
  const method = options.method;
  if (method !== undefined && !types.some((t) => methodFits(method, t))) {
    const kind = methodFits(method, 'numeric') ? 'numeric' : 'categorical';
    throw new CliError(
      `method "${method}" fits no column: it is a ${kind} method and no column here is ${kind}`,
    );
  }
  const tested = await testColumns(
    columns,
    columns.map((c, i) => settingsOf(c, types[i], options)),
    worker,
  );
  const results = tested.map((t) => {
    if ('statsInputError' in t) throw new CliError(t.statsInputError);
    return t.drift;
  });
  try {
    return datasetDrift(results, { driftShare: options.driftShare, correction: options.correction });
  } catch (error) {
    if (error instanceof StatsInputError) throw new CliError(error.message);
    throw error;
  }
}
