import { open, type FileHandle } from 'node:fs/promises';
import type { ColumnBuffer } from './column.buffer';
import { parseDecimalBytes } from './decimal.bytes';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
/** How much of a file one read takes by default: a few times the longest line, and cache-friendly. */
export const CSV_READ_BYTES = 1 << 23;

/**
 * Thrown where the byte reader leaves a file to csv-parse: anything csv-parse would refuse (ragged
 * rows, stray or unterminated quotes, a lone CR), line-break rules it does not follow, a multi-line
 * quoted cell across a read, or a cell a column refuses. csv-parse then reads the whole file, so
 * its errors and the CLI's stay exactly what they were.
 */
export class CsvByteReaderDeclined extends Error {}

function decline(why: string): never {
  throw new CsvByteReaderDeclined(why);
}

/** Where a header-named column's cells go, by field index (undefined: not kept). */
export type ColumnSinks = (ColumnBuffer | undefined)[];

/**
 * RFC 4180 records of a CSV (csv-parse's defaults with `bom`, `skip_empty_lines`: comma, double
 * quote, quotes doubled inside quotes, the record delimiter found first), parsed from the bytes:
 * numbers of a numeric column go straight into its Float64 storage without a string or a row.
 */
export class ByteRecordParser {
  /** 0 until the first line break, then LF (10) or CRLF (13). */
  lineBreak = 0;
  private sinks: ColumnSinks | undefined;
  private width = 0;
  rows = 0;

  constructor(private readonly onHeader: (header: string[]) => ColumnSinks) {}

  /** A parser for the rows after a header read elsewhere (a worker reading from an offset). */
  static afterHeader(sinks: ColumnSinks): ByteRecordParser {
    const parser = new ByteRecordParser(() => sinks);
    parser.sinks = sinks;
    parser.width = sinks.length;
    return parser;
  }

  get sawHeader(): boolean {
    return this.sinks !== undefined;
  }

  /** Parses the whole records in [start, limit); `limit` ends a line or the file (`last`). */
  parse(bytes: Buffer, start: number, limit: number, last: boolean): void {
    let p = start;
    while (p < limit) {
      const c = bytes[p];
      if (c === LF || c === CR) {
        p = this.lineEnd(bytes, p, limit, last);
        continue;
      }
      p = this.sinks === undefined ? this.header(bytes, p, limit, last) : this.record(bytes, p, limit, last);
    }
  }

  /** The position after the line break at `p`, checking it is the file's kind of line break. */
  private lineEnd(bytes: Buffer, p: number, limit: number, last: boolean): number {
    const c = bytes[p];
    if (c === LF) {
      if (this.lineBreak === CR) decline('LF alone in a CRLF file');
      this.lineBreak = LF;
      return p + 1;
    }
    if (p + 1 >= limit) decline(last ? 'CR alone at the end' : 'CR at a read boundary');
    if (bytes[p + 1] !== LF) decline('CR alone');
    if (this.lineBreak === LF) decline('CRLF in an LF file');
    this.lineBreak = CR;
    return p + 2;
  }

  private header(bytes: Buffer, start: number, limit: number, last: boolean): number {
    const fields: string[] = [];
    let p = start;
    for (;;) {
      if (p < limit && bytes[p] === QUOTE) {
        const end = this.quotedEnd(bytes, p, limit, last);
        fields.push(quotedText(bytes, p, end));
        p = end;
      } else {
        const end = fieldEnd(bytes, p, limit);
        fields.push(bytes.toString('utf8', p, end));
        p = end;
      }
      if (p < limit && bytes[p] === COMMA) {
        p++;
        continue;
      }
      break;
    }
    this.sinks = this.onHeader(fields);
    this.width = fields.length;
    return p < limit ? this.lineEnd(bytes, p, limit, last) : p;
  }

  private record(bytes: Buffer, start: number, limit: number, last: boolean): number {
    const sinks = this.sinks as ColumnSinks;
    let p = start;
    let field = 0;
    for (;;) {
      if (field >= this.width) decline('a row longer than the header');
      const sink = sinks[field];
      if (p < limit && bytes[p] === QUOTE) {
        const end = this.quotedEnd(bytes, p, limit, last);
        if (sink !== undefined && !sink.add(quotedText(bytes, p, end))) decline('a cell the column refuses');
        p = end;
      } else {
        const end = fieldEnd(bytes, p, limit);
        if (sink !== undefined) addCell(sink, bytes, p, end);
        p = end;
      }
      field++;
      if (p < limit && bytes[p] === COMMA) {
        p++;
        continue;
      }
      break;
    }
    if (field !== this.width) decline('a row shorter than the header');
    this.rows++;
    return p < limit ? this.lineEnd(bytes, p, limit, last) : p;
  }

  /** The position after the closing quote of the quoted field at `p`. */
  private quotedEnd(bytes: Buffer, p: number, limit: number, last: boolean): number {
    let q = p + 1;
    for (;;) {
      q = bytes.indexOf(QUOTE, q);
      if (q < 0 || q >= limit) decline(last ? 'an unterminated quote' : 'a quoted cell across a read');
      if (q + 1 < limit && bytes[q + 1] === QUOTE) {
        q += 2;
        continue;
      }
      const next = q + 1 < limit ? bytes[q + 1] : -1;
      if (next === -1 && !last) decline('a quoted cell across a read');
      if (next !== -1 && next !== COMMA && next !== LF && next !== CR)
        decline('a character after a closing quote');
      return q + 1;
    }
  }
}

/** The end of the unquoted field at `p`: the next comma or line break. */
function fieldEnd(bytes: Buffer, p: number, limit: number): number {
  while (p < limit) {
    const c = bytes[p];
    if (c === COMMA || c === LF || c === CR) return p;
    if (c === QUOTE) decline('a quote inside an unquoted cell');
    p++;
  }
  return p;
}

function quotedText(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start + 1, end - 1).replaceAll('""', '"');
}

function addCell(sink: ColumnBuffer, bytes: Buffer, start: number, end: number): void {
  if (sink.isNumeric) {
    if (start === end) {
      sink.addMissingNumber();
      return;
    }
    const x = parseDecimalBytes(bytes, start, end);
    if (x !== undefined) {
      sink.addNumber(x);
      return;
    }
  }
  if (!sink.add(bytes.toString('utf8', start, end))) decline('a cell the column refuses');
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Parses bytes [from, to) of `file` with `parser`, `readBytes` at a time (more for a longer line),
 * each read cut after its last LF; `to` is the file's size or a position just after an LF. A BOM
 * is skipped when `from` is 0.
 */
export async function parseFileRange(
  file: FileHandle,
  parser: ByteRecordParser,
  range: { from: number; to: number; last: boolean },
  readBytes: number,
): Promise<void> {
  let bytes = Buffer.allocUnsafe(Math.min(readBytes, Math.max(range.to - range.from, 1)));
  let position = range.from;
  let filled = 0;
  let first = range.from === 0;
  for (;;) {
    if (filled === bytes.length) bytes = Buffer.concat([bytes, Buffer.allocUnsafe(bytes.length)]);
    const wanted = Math.min(bytes.length - filled, range.to - position);
    const { bytesRead } = wanted > 0 ? await file.read(bytes, filled, wanted, position) : { bytesRead: 0 };
    position += bytesRead;
    filled += bytesRead;
    const done = bytesRead === 0;
    let start = 0;
    if (first && (filled >= BOM.length || done)) {
      first = false;
      if (BOM.every((b, i) => bytes[i] === b)) start = BOM.length;
    }
    const limit = done ? filled : bytes.lastIndexOf(LF, filled - 1) + 1;
    if (limit > start || (done && range.last)) {
      first = false;
      parser.parse(bytes, start, limit, done && range.last);
    }
    if (done) return;
    if (limit > 0 || start > 0) {
      const from = Math.max(limit, start);
      bytes.copy(bytes, 0, from, filled);
      filled -= from;
    }
  }
}

/**
 * Reads a CSV file's records with `ByteRecordParser`. Returns the number of data rows;
 * `onHeader` gets the header and names the sinks. Throws `CsvByteReaderDeclined` for csv-parse
 * to read the file instead, and file errors as they come.
 */
export async function readCsvBytes(
  path: string,
  readBytes: number,
  onHeader: (header: string[]) => ColumnSinks,
): Promise<{ rows: number; sawHeader: boolean }> {
  const file = await open(path, 'r');
  try {
    const parser = new ByteRecordParser(onHeader);
    const { size } = await file.stat();
    await parseFileRange(file, parser, { from: 0, to: size, last: true }, readBytes);
    return { rows: parser.rows, sawHeader: parser.sawHeader };
  } finally {
    await file.close();
  }
}
