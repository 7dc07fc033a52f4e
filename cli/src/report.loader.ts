import type { ColumnType } from '@driftline/stats';
import { CliError } from './cli.error';
import type { ColumnBuffer } from './column.buffer';
import { readCsvColumns, readCsvHeader, type ColumnPlan, type CsvColumns } from './csv.reader';
import type { DriftOptions, PerformanceOptions, ReportOptions } from './report.options';
import type { ReportWorker } from './report.worker-client';

/** One column tested for drift: its cells in both files, and the type the user declared, if any. */
export interface DriftColumn {
  name: string;
  declared?: ColumnType;
  reference: ColumnBuffer;
  current: ColumnBuffer;
}

export interface FileSummary {
  path: string;
  rows: number;
}

/** What the report is computed from, read from the CSV files. */
export interface ReportData {
  reference?: FileSummary;
  current: FileSummary;
  drift?: DriftColumn[];
  /** Target, prediction and score columns of the current file, by name. */
  performance?: Map<string, ColumnBuffer>;
}

function column(file: CsvColumns, name: string): ColumnBuffer {
  const buffer = file.columns.get(name);
  if (buffer === undefined) throw new Error(`column "${name}" was not read from ${file.path}`);
  return buffer;
}

/** The performance columns, each with the flag that named it. */
function performanceRoles(p: PerformanceOptions | undefined): Map<string, string> {
  const roles = new Map<string, string>();
  if (p === undefined) return roles;
  roles.set(p.target, '--target');
  if (p.prediction !== undefined) roles.set(p.prediction, '--prediction');
  if (p.score !== undefined) roles.set(p.score, '--score');
  return roles;
}

function performancePlan(p: PerformanceOptions | undefined): Map<string, ColumnPlan> {
  const plan = new Map<string, ColumnPlan>();
  if (p === undefined) return plan;
  const label = (flag: string): ColumnPlan =>
    p.task === 'regression'
      ? { mode: 'numeric', numericRole: `(${flag} of a regression)` }
      : { mode: 'text' };
  plan.set(p.target, label('--target'));
  if (p.prediction !== undefined) plan.set(p.prediction, label('--prediction'));
  if (p.score !== undefined) plan.set(p.score, { mode: 'numeric', numericRole: '(--score)' });
  return plan;
}

/** Columns tested for drift: those in both files but the performance ones, in the reference's order. */
function driftColumnNames(
  drift: DriftOptions,
  options: ReportOptions,
  reference: string[],
  current: string[],
): string[] {
  const excluded = performanceRoles(options.performance);
  const onlyIn = (a: string[], b: string[]) => a.find((c) => !excluded.has(c) && !b.includes(c));
  const refOnly = onlyIn(reference, current);
  if (refOnly !== undefined)
    throw new CliError(`column "${refOnly}" is in ${drift.reference} but not in ${options.current}`);
  const curOnly = onlyIn(current, reference);
  if (curOnly !== undefined)
    throw new CliError(`column "${curOnly}" is in ${options.current} but not in ${drift.reference}`);
  const names = reference.filter((c) => !excluded.has(c));
  const declared: [string, string[]][] = [
    ['--numeric', drift.numeric],
    ['--categorical', drift.categorical],
  ];
  for (const [flag, columns] of declared) {
    for (const c of columns) {
      const role = excluded.get(c);
      if (role !== undefined)
        throw new CliError(`${flag} names column "${c}", which is the ${role} and not drift-tested`);
      if (!names.includes(c)) throw new CliError(`${flag} names column "${c}", which is in neither file`);
    }
  }
  if (names.length === 0)
    throw new CliError(`${drift.reference} and ${options.current} have no column to test for drift`);
  return names;
}

function declaredType(drift: DriftOptions, name: string): ColumnType | undefined {
  if (drift.numeric.includes(name)) return 'numeric';
  if (drift.categorical.includes(name)) return 'categorical';
  return undefined;
}

function driftPlan(drift: DriftOptions, names: string[]): Map<string, ColumnPlan> {
  const modeOf = (type: ColumnType | undefined) =>
    type === undefined ? 'auto' : type === 'numeric' ? 'numeric' : 'text';
  return new Map(names.map((c): [string, ColumnPlan] => [c, { mode: modeOf(declaredType(drift, c)) }]));
}

function checkNotEmpty(file: CsvColumns, names: string[]): void {
  if (file.rows === 0) throw new CliError(`${file.path} has a header but no data rows`);
  const empty = names.find((c) => column(file, c).present === 0);
  if (empty !== undefined)
    throw new CliError(`column "${empty}" has no values in ${file.path} (every cell is empty)`);
}

/**
 * A column that is text in either file is compared as text in both. Where a file stored numbers of
 * such a column (before its first non-number, or throughout), the file is read again for that
 * column as text, so that categories keep their spelling ("1.50"). Mixed columns are rare; keeping
 * every number's text on the common path would cost more than this second read.
 */
async function alignTypes(names: string[], reference: CsvColumns, current: CsvColumns): Promise<void> {
  for (const [file, other] of [
    [reference, current],
    [current, reference],
  ]) {
    const reread = names.filter((c) => {
      const mine = column(file, c);
      return !mine.textIsExact && !(mine.isNumeric && column(other, c).isNumeric);
    });
    if (reread.length === 0) continue;
    const again = await readCsvColumns(
      file.path,
      new Map(reread.map((c): [string, ColumnPlan] => [c, { mode: 'text' }])),
    );
    for (const c of reread) file.columns.set(c, column(again, c));
  }
}

async function checkPerformanceColumns(options: ReportOptions): Promise<string[]> {
  const header = await readCsvHeader(options.current);
  for (const [name, flag] of performanceRoles(options.performance)) {
    if (!header.includes(name)) throw new CliError(`${options.current} has no column "${name}" (${flag})`);
  }
  return header;
}

/** Reads what the report needs from the CSV files, checking the columns before the long read. */
export async function loadReportData(options: ReportOptions, worker?: ReportWorker): Promise<ReportData> {
  const currentHeader = await checkPerformanceColumns(options);
  const perfPlan = performancePlan(options.performance);
  const drift = options.drift;
  if (drift === undefined) {
    const current = await readCsvColumns(options.current, perfPlan, { worker });
    checkNotEmpty(current, []);
    return { current: { path: current.path, rows: current.rows }, performance: current.columns };
  }
  const names = driftColumnNames(drift, options, await readCsvHeader(drift.reference), currentHeader);
  const plan = driftPlan(drift, names);
  const reference = await readCsvColumns(drift.reference, plan, { worker });
  checkNotEmpty(reference, names);
  const current = await readCsvColumns(options.current, new Map([...plan, ...perfPlan]), { worker });
  checkNotEmpty(current, names);
  await alignTypes(names, reference, current);
  return {
    reference: { path: reference.path, rows: reference.rows },
    current: { path: current.path, rows: current.rows },
    drift: names.map((name) => ({
      name,
      declared: declaredType(drift, name),
      reference: column(reference, name),
      current: column(current, name),
    })),
    performance: options.performance
      ? new Map([...perfPlan.keys()].map((c) => [c, column(current, c)]))
      : undefined,
  };
}
