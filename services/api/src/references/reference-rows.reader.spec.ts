import { Readable } from 'node:stream';
import {
  formatOf,
  readReferenceRows,
  ReferenceRowError,
  type ReferenceFormat,
  type ReferenceRow,
} from './reference-rows.reader';

async function rows(chunks: (string | Buffer)[], format: ReferenceFormat): Promise<ReferenceRow[]> {
  const out: ReferenceRow[] = [];
  for await (const row of readReferenceRows(Readable.from(chunks), format)) out.push(row);
  return out;
}

async function failure(chunks: string[], format: ReferenceFormat): Promise<ReferenceRowError> {
  const error = await rows(chunks, format).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReferenceRowError);
  return error as ReferenceRowError;
}

describe('formatOf', () => {
  it('reads the media type, ignoring case and parameters', () => {
    expect(formatOf('text/csv; charset=utf-8')).toBe('csv');
    expect(formatOf('Application/X-NDJSON')).toBe('ndjson');
    expect(formatOf('application/json')).toBeNull();
    expect(formatOf(undefined)).toBeNull();
  });
});

describe('readReferenceRows (CSV)', () => {
  it('names values by the header and gives each row the line it ends on', async () => {
    const text = '\uFEFFa,b\n1,"x"\n\n2,"multi\nline"\n3,\n';
    expect(await rows([text.slice(0, 7), text.slice(7)], 'csv')).toEqual([
      { line: 2, values: { a: '1', b: 'x' } },
      { line: 5, values: { a: '2', b: 'multi\nline' } },
      { line: 6, values: { a: '3', b: '' } },
    ]);
  });

  it('reports a ragged row and a bad header with their lines', async () => {
    expect((await failure(['a,b\n1,2\n3\n'], 'csv')).line).toBe(3);
    expect((await failure(['a,a\n1,2\n'], 'csv')).message).toBe('the header names column "a" twice');
    expect((await failure(['a,\n1,2\n'], 'csv')).line).toBe(1);
  });
});

describe('readReferenceRows (NDJSON)', () => {
  it('splits lines across chunks, multi-byte characters included, and skips blank lines', async () => {
    const text = Buffer.from('{"city":"Zürich","n":1}\r\n\n{"city":"Genève","n":null}');
    const chunks = [text.subarray(0, 11), text.subarray(11, 12), text.subarray(12, 40), text.subarray(40)];
    expect(await rows(chunks, 'ndjson')).toEqual([
      { line: 1, values: { city: 'Zürich', n: 1 } },
      { line: 3, values: { city: 'Genève', n: null } },
    ]);
  });

  it('reports bad JSON, a non-object and a nested value with their lines', async () => {
    expect((await failure(['{"a":1}\n{"a":\n'], 'ndjson')).line).toBe(2);
    expect((await failure(['{"a":1}\n\n[1,2]\n'], 'ndjson')).message).toBe(
      'line 3 is not a JSON object of column values',
    );
    expect((await failure(['{"a":{"b":1}}'], 'ndjson')).message).toBe(
      'line 1: column "a" must be a number, string, boolean or null',
    );
  });
});
