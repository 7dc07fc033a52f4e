import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';
import type { RawValue } from '@driftline/stats';

export type ReferenceFormat = 'csv' | 'ndjson';

/** One row of a reference upload and the line of the body it ends on (1-based; a CSV header is line 1). */
export interface ReferenceRow {
  line: number;
  values: Record<string, RawValue>;
}

/** A row the upload cannot take, and the line it is on. */
export class ReferenceRowError extends Error {
  override readonly name = 'ReferenceRowError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const FORMATS: Record<string, ReferenceFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
};

export const REFERENCE_CONTENT_TYPES = Object.keys(FORMATS);

/** The format of a Content-Type header (parameters such as charset ignored), or null. */
export function formatOf(contentType: string | undefined): ReferenceFormat | null {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return FORMATS[mediaType] ?? null;
}

/** Rows of the body as they arrive; the body is never held whole. */
export function readReferenceRows(source: Readable, format: ReferenceFormat): AsyncGenerator<ReferenceRow> {
  return format === 'csv' ? csvRows(source) : ndjsonRows(source);
}

function checkHeader(header: string[]): void {
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name.trim() === '') throw new ReferenceRowError(1, `column ${i + 1} of the header has no name`);
    if (seen.has(name)) throw new ReferenceRowError(1, `the header names column "${name}" twice`);
    seen.add(name);
  });
}

async function* csvRows(source: Readable): AsyncGenerator<ReferenceRow> {
  const parser = parse({ bom: true, skip_empty_lines: true, info: true });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (header === undefined) {
        checkHeader(record);
        header = record;
        continue;
      }
      const values: Record<string, RawValue> = {};
      header.forEach((name, i) => (values[name] = record[i]));
      yield { line: info.lines, values };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw new ReferenceRowError(line, `the body is not valid CSV: ${error.message}`);
    }
    throw error;
  }
}

function ndjsonRow(text: string, line: number): ReferenceRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ReferenceRowError(line, `line ${line} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReferenceRowError(line, `line ${line} is not a JSON object of column values`);
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'object' && value !== null) {
      throw new ReferenceRowError(
        line,
        `line ${line}: column "${name}" must be a number, string, boolean or null`,
      );
    }
  }
  return { line, values: parsed as Record<string, RawValue> };
}

async function* ndjsonRows(source: Readable): AsyncGenerator<ReferenceRow> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  const take = (text: string): ReferenceRow | null => {
    line++;
    const trimmed = text.trim();
    return trimmed === '' ? null : ndjsonRow(trimmed, line);
  };
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const row = take(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (row !== null) yield row;
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending !== '') {
    const row = take(pending);
    if (row !== null) yield row;
  }
}
