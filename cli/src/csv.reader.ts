import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { CsvError, parse, type Parser } from 'csv-parse';
import { CliError, messageOf } from './cli.error';
import { readCsvBytesInTwo } from './csv.split-reader';
import type { ReportWorker } from './report.worker-client';
import { ColumnBuffer, type ColumnMode } from './column.buffer';
import { CSV_READ_BYTES, CsvByteReaderDeclined, readCsvBytes, type ColumnSinks } from './csv.byte-reader';

/** How to keep one column while reading; `numericRole` names why it must be numeric, for the error. */
export interface ColumnPlan {
  mode: ColumnMode;
  numericRole?: string;
}

/** The columns of one CSV file that a plan asked for, and its number of data rows. */
export interface CsvColumns {
  path: string;
  rows: number;
  columns: Map<string, ColumnBuffer>;
}

function openCsv(path: string): Parser {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_quotes: false });
  pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), parser, () => undefined);
  return parser;
}

function readError(path: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof CsvError) return new CliError(`${path} is not a valid CSV: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(`cannot read ${path}: no such file`);
  if (code === 'EISDIR') return new CliError(`cannot read ${path}: it is a directory`);
  if (code === 'EACCES') return new CliError(`cannot read ${path}: permission denied`);
  return new CliError(`cannot read ${path}: ${messageOf(error)}`);
}

function checkHeader(path: string, header: string[] | undefined): string[] {
  if (header === undefined) throw new CliError(`${path} is empty: a header row is needed`);
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name.trim() === '') throw new CliError(`${path} has an empty name for column ${i + 1} of its header`);
    if (seen.has(name)) throw new CliError(`${path} names column "${name}" twice in its header`);
    seen.add(name);
  });
  return header;
}

/** The header row of a CSV file: unique, non-empty column names. */
export async function readCsvHeader(path: string): Promise<string[]> {
  const parser = openCsv(path);
  let header: string[] | undefined;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      header = record;
      break;
    }
  } catch (error) {
    throw readError(path, error);
  } finally {
    parser.destroy();
  }
  return checkHeader(path, header);
}

function quoteCell(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);
}

/** Files from this size on are read on two threads when a worker is given. */
const SPLIT_MIN_BYTES = 1 << 24;

export interface CsvReadOptions {
  /** How much of the file one read takes (tests make it small). */
  readBytes?: number;
  /** The report's second thread, to read the later half of a large file. */
  worker?: ReportWorker;
}

type KeptColumn = { name: string; index: number; buffer: ColumnBuffer; role?: string };

/** The planned columns of a checked header, each with a fresh buffer added to `columns`. */
function keptColumns(
  path: string,
  header: string[],
  plan: ReadonlyMap<string, ColumnPlan>,
  columns: Map<string, ColumnBuffer>,
): KeptColumn[] {
  checkHeader(path, header);
  return [...plan].map(([name, p]) => {
    const index = header.indexOf(name);
    if (index < 0) throw new CliError(`${path} has no column "${name}"`);
    const buffer = new ColumnBuffer(p.mode);
    columns.set(name, buffer);
    return { name, index, buffer, role: p.numericRole };
  });
}

/** Reads with csv-parse, record by record: the reference behaviour, and every error's wording. */
export async function readWithCsvParse(
  path: string,
  plan: ReadonlyMap<string, ColumnPlan>,
): Promise<CsvColumns> {
  const parser = openCsv(path);
  const columns = new Map<string, ColumnBuffer>();
  let rows = 0;
  try {
    let kept: KeptColumn[] | undefined;
    for await (const record of parser as AsyncIterable<string[]>) {
      if (kept === undefined) {
        kept = keptColumns(path, record, plan, columns);
        continue;
      }
      rows++;
      for (const { name, index, buffer, role } of kept) {
        if (!buffer.add(record[index])) {
          const why = role ?? 'declared numeric';
          throw new CliError(
            `column "${name}" ${why} has a non-number ${quoteCell(record[index])} in ${path} row ${rows}`,
          );
        }
      }
    }
    if (kept === undefined) checkHeader(path, undefined);
  } catch (error) {
    throw readError(path, error);
  } finally {
    parser.destroy();
  }
  return { path, rows, columns };
}

/** Reads from the bytes (see `readCsvBytes`); undefined where that reader leaves the file to csv-parse. */
async function readFromBytes(
  path: string,
  plan: ReadonlyMap<string, ColumnPlan>,
  { readBytes = CSV_READ_BYTES, worker }: CsvReadOptions,
): Promise<CsvColumns | undefined> {
  const columns = new Map<string, ColumnBuffer>();
  const onHeader = (header: string[]) => {
    const sinks: ColumnSinks = new Array(header.length).fill(undefined);
    for (const { index, buffer } of keptColumns(path, header, plan, columns)) sinks[index] = buffer;
    return sinks;
  };
  try {
    const inTwo = worker !== undefined && (await stat(path)).size >= SPLIT_MIN_BYTES;
    const { rows, sawHeader } = inTwo
      ? await readCsvBytesInTwo(path, readBytes, worker, onHeader)
      : await readCsvBytes(path, readBytes, onHeader);
    if (!sawHeader) checkHeader(path, undefined);
    return { path, rows, columns };
  } catch (error) {
    if (error instanceof CsvByteReaderDeclined) return undefined;
    throw readError(path, error);
  }
}

/**
 * Reads a CSV file (header, RFC 4180 quoting) and keeps only the planned columns, so a large
 * reference is never held as rows of strings. Numbers are parsed from the bytes; a file that
 * reader declines (csv-parse would refuse it, or it has a rare shape) is read with csv-parse.
 */
export async function readCsvColumns(
  path: string,
  plan: ReadonlyMap<string, ColumnPlan>,
  options: CsvReadOptions = {},
): Promise<CsvColumns> {
  return (await readFromBytes(path, plan, options)) ?? (await readWithCsvParse(path, plan));
}
