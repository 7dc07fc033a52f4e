import { valuesChunks } from './values.list';

describe('valuesChunks', () => {
  it('numbers one parameter a cell, row after row, with each column cast as given', () => {
    expect(
      valuesChunks(
        [
          ['a', 1],
          ['b', 2],
        ],
        ['', 'int'],
      ),
    ).toEqual([{ values: '($1, $2::int), ($3, $4::int)', parameters: ['a', 1, 'b', 2] }]);
  });

  it('splits the rows into statements of at most 65,535 parameters, keeping their order', () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => [i, `k${i}`]);
    const chunks = valuesChunks(rows, ['', '']);
    expect(chunks.map((c) => c.parameters.length)).toEqual([65_534, 80_000 - 65_534]);
    expect(chunks.flatMap((c) => c.parameters)).toEqual(rows.flat());
    expect(chunks[1].values.startsWith('($1, $2), ')).toBe(true);
    expect(chunks[1].values.endsWith(`($${80_000 - 65_534 - 1}, $${80_000 - 65_534})`)).toBe(true);
  });

  it('gives no statement for no rows, and refuses a row of the wrong width', () => {
    expect(valuesChunks([], ['', ''])).toEqual([]);
    expect(() => valuesChunks([['a']], ['', ''])).toThrow('a row of 1 cells for 2 columns');
  });
});
