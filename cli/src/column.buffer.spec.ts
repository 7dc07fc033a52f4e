import fc from 'fast-check';
import { ColumnBuffer, type ColumnMode } from './column.buffer';

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

describe('ColumnBuffer.append', () => {
  const cell = fc.constantFrom('', ' ', 'NaN', '1', '1.50', '-0', '2e3', 'x', 'red', 'é');
  const seen = (b: ColumnBuffer) => ({
    isNumeric: b.isNumeric,
    textIsExact: b.textIsExact,
    present: b.present,
    values: b.values().map((v) => (Object.is(v, -0) ? '-0' : v)),
  });

  it('joins a column read in two halves as one read would, or says it cannot', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { maxLength: 30 }),
        fc.array(cell, { maxLength: 30 }),
        fc.constantFrom<ColumnMode>('auto', 'text', 'numeric'),
        (first, second, mode) => {
          const whole = new ColumnBuffer(mode);
          const head = new ColumnBuffer(mode);
          const tail = new ColumnBuffer(mode);
          const fits = [...first, ...second].every((c) => whole.add(c));
          if (!fits) return;
          first.forEach((c) => head.add(c));
          second.forEach((c) => tail.add(c));
          const next = tail.snapshot();
          const needsText =
            !head.isNumeric && (next.kind === 'codes' ? next.numbersStored > 0 : next.present > 0);
          expect(head.canAppend(next)).toBe(!needsText);
          if (needsText) return;
          head.append(next);
          expect(seen(head)).toEqual(seen(whole));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('joins numbers across storage chunks', () => {
    const head = new ColumnBuffer('numeric');
    const tail = new ColumnBuffer('numeric');
    for (let i = 0; i < 70_000; i++) head.add(String(i));
    for (let i = 70_000; i < 200_000; i++) tail.add(String(i));
    head.append(tail.snapshot());
    const numbers = head.numbers();
    expect([numbers.length, numbers[69_999], numbers[70_000], numbers[199_999], head.present]).toEqual([
      200_000, 69_999, 70_000, 199_999, 200_000,
    ]);
  });
});
