import { ColumnBuffer } from './column.buffer';

function filled(mode: 'auto' | 'numeric' | 'text', cells: string[]): ColumnBuffer {
  const b = new ColumnBuffer(mode);
  for (const c of cells) expect(b.add(c)).toBe(true);
  return b;
}

describe('ColumnBuffer', () => {
  it('keeps numbers as numbers and empty, blank and "NaN" cells as missing', () => {
    const b = filled('auto', ['1.5', '', ' ', 'NaN', '-2e3', ' 7 ']);
    expect(b.isNumeric).toBe(true);
    expect(b.values()).toEqual([1.5, null, null, null, -2000, 7]);
    expect([b.length, b.present]).toEqual([6, 3]);
  });

  it('turns to text at the first non-number, the earlier numbers as JavaScript writes them', () => {
    const b = filled('auto', ['1.50', '', '2.5', 'red', '3']);
    expect(b.isNumeric).toBe(false);
    expect(b.values()).toEqual(['1.5', null, '2.5', 'red', '3']);
  });

  it('knows whether its text is exactly as written: not once it stored a number', () => {
    expect(filled('auto', ['', 'x', '1.50']).textIsExact).toBe(true);
    expect(filled('auto', ['1.50', 'x']).textIsExact).toBe(false);
    expect(filled('auto', ['2']).textIsExact).toBe(false);
    expect(filled('text', ['1.50']).textIsExact).toBe(true);
  });

  it('refuses a non-number in a numeric column and keeps text columns as written', () => {
    const numeric = new ColumnBuffer('numeric');
    expect(numeric.add('4')).toBe(true);
    expect(numeric.add('four')).toBe(false);
    expect(numeric.add('0x10')).toBe(false);
    expect(numeric.add('Infinity')).toBe(false);
    expect(filled('text', ['1.0', '1', '', 'a,b']).values()).toEqual(['1.0', '1', null, 'a,b']);
  });

  it('spans several storage chunks without losing a value', () => {
    const n = 200_000;
    const b = new ColumnBuffer('auto');
    for (let i = 0; i < n; i++) b.add(i % 10 === 0 ? '' : String(i));
    const values = b.values();
    expect(values).toHaveLength(n);
    expect([values[0], values[1], values[65_536], values[199_999]]).toEqual([null, 1, 65_536, 199_999]);
    expect(b.present).toBe(n - n / 10);
  });

  it('counts distinct numbers up to a cap', () => {
    const seen = new Set<number>();
    filled('auto', ['1', '2', '2', '', '3']).collectDistinct(seen, 10);
    expect([...seen]).toEqual([1, 2, 3]);
    filled('auto', ['4', '5', '6', '7']).collectDistinct(seen, 5);
    expect(seen.size).toBe(5);
  });
});
