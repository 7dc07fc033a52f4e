import { CliError } from './cli.error';
import { tempDir, writeCsv } from './cli.fixture';
import { readCsvColumns, readCsvHeader, type ColumnPlan } from './csv.reader';

const dir = tempDir();
const plan = (entries: [string, ColumnPlan['mode']][]) => new Map(entries.map(([c, mode]) => [c, { mode }]));

describe('CSV reading', () => {
  it('follows RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes, and a BOM', async () => {
    const path = writeCsv(dir, 'quoted.csv', [
      '\uFEFFname,"n"',
      '"Smith, J.",1',
      '"say ""hi""",2',
      '"two',
      'lines",3',
    ]);
    expect(await readCsvHeader(path)).toEqual(['name', 'n']);
    const table = await readCsvColumns(
      path,
      plan([
        ['name', 'auto'],
        ['n', 'auto'],
      ]),
    );
    expect(table.rows).toBe(3);
    expect(table.columns.get('name')!.values()).toEqual(['Smith, J.', 'say "hi"', 'two\nlines']);
    expect(table.columns.get('n')!.values()).toEqual([1, 2, 3]);
  });

  it('keeps only the planned columns and skips blank lines', async () => {
    const path = writeCsv(dir, 'blank.csv', ['a,b,c', '1,x,3', '', '4,y,6']);
    const table = await readCsvColumns(path, plan([['c', 'auto']]));
    expect([...table.columns.keys()]).toEqual(['c']);
    expect(table.columns.get('c')!.values()).toEqual([3, 6]);
  });

  it('names the column, the cell, the file and the data row of a non-number in a numeric column', async () => {
    const path = writeCsv(dir, 'bad.csv', ['age', '1', '2', '"a ""quoted""\nvalue"']);
    await expect(readCsvColumns(path, new Map([['age', { mode: 'numeric' as const }]]))).rejects.toThrow(
      new CliError(
        `column "age" declared numeric has a non-number "a \\"quoted\\"\\nvalue" in ${path} row 3`,
      ),
    );
  });

  it('refuses a header with an empty name', async () => {
    const path = writeCsv(dir, 'unnamed.csv', [',x', '0,1']);
    await expect(readCsvHeader(path)).rejects.toThrow(`${path} has an empty name for column 1 of its header`);
  });
});
