import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { tempDir } from './cli.fixture';
import type { ColumnBuffer } from './column.buffer';
import { CsvByteReaderDeclined, readCsvBytes } from './csv.byte-reader';
import { readCsvColumns, readWithCsvParse, type ColumnPlan, type CsvColumns } from './csv.reader';

const dir = tempDir();
let files = 0;
const csvFile = (text: string | Buffer) => {
  const path = join(dir, `t${files++}.csv`);
  writeFileSync(path, text);
  return path;
};

/** Everything a column tells the statistics, -0 kept apart from 0. */
const seen = (b: ColumnBuffer) => ({
  isNumeric: b.isNumeric,
  textIsExact: b.textIsExact,
  present: b.present,
  values: b.values().map((v) => (Object.is(v, -0) ? '-0' : v)),
});
const table = (t: CsvColumns) => ({ rows: t.rows, columns: [...t.columns].map(([c, b]) => [c, seen(b)]) });

async function outcome(read: () => Promise<CsvColumns>) {
  try {
    return table(await read());
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Whether the byte reader read the file itself rather than leave it to csv-parse. */
async function byteReaderReads(path: string, readBytes = 1 << 16): Promise<boolean> {
  try {
    await readCsvBytes(path, readBytes, (header) => header.map(() => undefined));
    return true;
  } catch (error) {
    if (error instanceof CsvByteReaderDeclined) return false;
    throw error;
  }
}

const planOf = (modes: ColumnPlan['mode'][], names = ['a', 'b', 'c']) =>
  new Map(modes.map((mode, i): [string, ColumnPlan] => [names[i], { mode }]));

async function expectSameAsCsvParse(
  text: string | Buffer,
  plan: Map<string, ColumnPlan>,
  readBytes?: number,
) {
  const path = csvFile(text);
  const fast = await outcome(() => readCsvColumns(path, plan, { readBytes }));
  expect(fast).toEqual(await outcome(() => readWithCsvParse(path, plan)));
  return { path, fast };
}

const AUTO3 = planOf(['auto', 'auto', 'auto']);

describe('the byte CSV reader against csv-parse', () => {
  it.each([
    ['quoted commas and doubled quotes', 'a,b,c\n"x, y","say ""hi""",1\n"",2,"3"\n'],
    ['CRLF line breaks', 'a,b,c\r\n1,2,3\r\n4,5,6\r\n'],
    ['CRLF inside a quoted cell of an LF file', 'a,b,c\n"two\r\nlines",1,2\n'],
    ['empty and blank cells, "NaN" and "nan"', 'a,b,c\n,1, \nNaN,nan,2\n3,,4\n'],
    ['a BOM', '\uFEFFa,b,c\n1,2,3\n'],
    ['no trailing newline', 'a,b,c\n1,2,3\n4,5,6'],
    ['a last row ending in an empty cell', 'a,b,c\n1,2,\n4,5,'],
    ['blank lines between and after rows', '\na,b,c\n\n1,2,3\n\n\n4,5,6\n\n'],
    ['numbers the text parser reads', 'a,b,c\n1e-5,-0,+.5\n 7 ,5.,1e23\n0.30000000000000004,-1E+2,007\n'],
    ['a column turning to text midway', 'a,b,c\n1.50,1,x\n2,red,y\n3,3,z\n'],
    ['quoted numbers', 'a,b,c\n"1.5","-0","2e3"\n'],
    ['unicode text', 'a,b,c\nélan,"日本",1\nélan,ü,2\n'],
    ['a quoted header', '"a","b","c"\n1,2,3\n'],
  ])('reads %s as csv-parse does', async (_name, text) => {
    const { path, fast } = await expectSameAsCsvParse(text, AUTO3);
    expect(fast).not.toHaveProperty('error');
    expect(await byteReaderReads(path)).toBe(true);
  });

  it.each([
    ['a short row', 'a,b,c\n1,2\n'],
    ['a long row', 'a,b,c\n1,2,3,4\n'],
    ['an unterminated quote', 'a,b,c\n"1,2,3\n'],
    ['a quote inside an unquoted cell', 'a,b,c\n1,x"y,3\n'],
    ['a character after a closing quote', 'a,b,c\n"1"x,2,3\n'],
    ['a lone CR', 'a,b,c\r1,2,3\r'],
    ['LF lines in a CRLF file', 'a,b,c\r\n1,2,3\n4,5,6\r\n'],
    ['CRLF lines in an LF file', 'a,b,c\n1,2,3\r\n'],
  ])('leaves %s to csv-parse, with its error or reading', async (_name, text) => {
    const { path } = await expectSameAsCsvParse(text, AUTO3);
    expect(await byteReaderReads(path)).toBe(false);
  });

  it('words the errors of a non-number in a numeric column, an empty file and a missing column as before', async () => {
    const numeric = planOf(['numeric', 'auto']);
    expect((await expectSameAsCsvParse('a,b\n1,2\nx,3\n', numeric)).fast).toEqual({
      error: expect.stringMatching(/^column "a" declared numeric has a non-number "x" in .* row 2$/),
    });
    expect((await expectSameAsCsvParse('a,b\n1,2\n3\n', numeric)).fast).toEqual({
      error: expect.stringMatching(/Invalid Record Length: expect 2, got 1 on line 3$/),
    });
    expect((await expectSameAsCsvParse('', numeric)).fast).toEqual({
      error: expect.stringMatching(/is empty: a header row is needed$/),
    });
    expect((await expectSameAsCsvParse('\uFEFF\n\n', numeric)).fast).toHaveProperty('error');
    expect((await expectSameAsCsvParse('a,x\n1,2\n', numeric)).fast).toEqual({
      error: expect.stringMatching(/has no column "b"$/),
    });
  });

  it('reads rows across many reads of the file, and a header longer than one read', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i / 8},"q${i % 7}",${i % 3 === 0 ? '' : -i}`);
    const text = `a,b,c\n${rows.join('\n')}\n`;
    const { path } = await expectSameAsCsvParse(text, planOf(['auto', 'text', 'numeric']), 100);
    expect(await byteReaderReads(path, 100)).toBe(true);
    const long = `${'x'.repeat(300)},a\n1,2\n`;
    await expectSameAsCsvParse(long, planOf(['auto'], ['a']), 64);
    expect(await byteReaderReads(csvFile(long), 64)).toBe(true);
  });

  it('agrees with csv-parse on random tables of tricky cells, quoting and line breaks', async () => {
    const cell = fc.constantFrom(
      '',
      ' ',
      '1',
      '-0',
      '1e-5',
      '2.50',
      'NaN',
      'x',
      'a,b',
      'say "hi"',
      'two\nlines',
      '"',
      'é',
    );
    const quoted = (c: string) => `"${c.replaceAll('"', '""')}"`;
    const render = fc.tuple(cell, fc.boolean()).map(([c, q]) => (q || /[,"\n]/.test(c) ? quoted(c) : c));
    const row = fc.array(render, { minLength: 2, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 0, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.constantFrom<ColumnPlan['mode'][]>(['auto', 'auto', 'auto'], ['numeric', 'text', 'auto']),
        fc.integer({ min: 8, max: 200 }),
        async (rows, eol, bom, modes, readBytes) => {
          const text = `${bom ? '\uFEFF' : ''}a,b,c${eol}${rows.map((r) => r.join(',')).join(eol)}`;
          await expectSameAsCsvParse(text, planOf(modes), readBytes);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
