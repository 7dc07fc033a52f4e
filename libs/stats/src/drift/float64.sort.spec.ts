import fc from 'fast-check';
import { sortedFloat64 } from './float64.sort';

const bits = (values: Float64Array) =>
  Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length * 2));

function expectSortsLikeTypedSort(values: Float64Array): void {
  const sorted = sortedFloat64(values);
  expect(bits(sorted)).toEqual(bits(values.slice().sort()));
}

describe('sortedFloat64', () => {
  it('sorts as Float64Array.prototype.sort, bit for bit, on random doubles of every sign and scale', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 2048, maxLength: 5000 }), (xs) => {
        expectSortsLikeTypedSort(Float64Array.from(xs));
      }),
      { numRuns: 30 },
    );
  });

  it('keeps ties, -0 before +0, subnormals and infinities in the typed sort order', () => {
    const special = [0, -0, 5e-324, -5e-324, Infinity, -Infinity, 1, -1, 2 ** 53, -(2 ** -1074)];
    const values = Float64Array.from({ length: 10_000 }, (_, i) => special[(i * 7) % special.length]);
    expectSortsLikeTypedSort(values);
  });

  it('sorts samples of a few values (bytes every value shares are skipped) and short samples', () => {
    expectSortsLikeTypedSort(Float64Array.from({ length: 3000 }, (_, i) => (i * 37) % 50));
    expectSortsLikeTypedSort(Float64Array.from({ length: 3000 }, () => 4.5));
    expectSortsLikeTypedSort(Float64Array.from([3, -0, 0, -2.5]));
  });

  it('leaves its input as it was', () => {
    const values = Float64Array.from({ length: 4096 }, (_, i) => 4096 - i);
    sortedFloat64(values);
    expect(values[0]).toBe(4096);
  });
});
