import { DDSketch } from '@datadog/sketches-js';
import fc from 'fast-check';
import { quantileSorted } from '../drift/binning.kernel';
import { Random } from '../random';
import type { BucketStoreJSON } from './bucket.store';
import { unpackCounts } from './packed.counts';
import { QuantileSketch, type FoldKeys, type SketchCell, type SketchCellColumns } from './quantile.sketch';

const values = fc.array(
  fc.oneof(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.integer({ min: -20, max: 20 }),
    fc.constantFrom(0, 1, -1, 1e-300, -1e-300, 1e300),
  ),
  { maxLength: 60 },
);

function sketchOf(xs: readonly number[], binLimit = 16): QuantileSketch {
  const sketch = new QuantileSketch(0.01, binLimit);
  for (const x of xs) sketch.update(x);
  return sketch;
}

function merged(...parts: QuantileSketch[]): QuantileSketch {
  const out = new QuantileSketch(parts[0].relativeAccuracy, parts[0].binLimit);
  for (const p of parts) out.merge(p);
  return out;
}

/** `cells` as it was written before the power table: Math.pow per bucket, read from the JSON form. */
function cellsAsBefore(sketch: QuantileSketch, folds: FoldKeys, clip: boolean): SketchCell[] {
  const json = sketch.toJSON();
  const minPossible = new DDSketch({ relativeAccuracy: json.relativeAccuracy }).mapping.minPossible;
  const upper = (key: number) => Math.pow(sketch.gamma, key);
  const storeCells = (store: BucketStoreJSON, foldBelow: number): SketchCell[] => {
    const counts =
      store.packed !== undefined
        ? [...unpackCounts(store.packed).counts]
        : store.counts.flatMap((c) => (c < 0 ? new Array<number>(-c).fill(0) : [c]));
    const cells: SketchCell[] = [];
    const foldKey = Math.max(foldBelow, store.collapsed ? store.key : -Infinity);
    let folded = 0;
    let previousKey = NaN;
    let previousUpper = 0;
    counts.forEach((count, i) => {
      if (!(count > 0)) return;
      const key = store.key + i;
      if (key <= foldKey) {
        folded += count;
        return;
      }
      const hi = upper(key);
      cells.push({ lo: key - 1 === previousKey ? previousUpper : upper(key - 1), hi, count });
      previousKey = key;
      previousUpper = hi;
    });
    if (folded > 0) cells.unshift({ lo: 0, hi: upper(foldKey), count: folded });
    return cells;
  };
  const out: SketchCell[] = [];
  const negative = storeCells(json.negative, folds.negative);
  for (let i = negative.length - 1; i >= 0; i--) {
    const c = negative[i];
    out.push({ lo: -c.hi, hi: -c.lo, count: c.count });
  }
  if (json.zeroCount > 0) out.push({ lo: -minPossible, hi: minPossible, count: json.zeroCount });
  out.push(...storeCells(json.positive, folds.positive));
  if (clip && out.length > 0) {
    out[0].lo = Math.max(out[0].lo, sketch.min);
    out[out.length - 1].hi = Math.min(out[out.length - 1].hi, sketch.max);
  }
  return out;
}

/** Cells as [lo, hi, count] with -0 kept apart from 0, so that toEqual compares them bit for bit. */
const bits = (cells: readonly SketchCell[]) =>
  cells.map(({ lo, hi, count }) => [lo, hi, count].map((x) => (Object.is(x, -0) ? '-0' : x)));

/** Columns read back as one cell each. */
const rows = (columns: SketchCellColumns): SketchCell[] =>
  Array.from({ length: columns.length }, (_, k) => ({
    lo: columns.lo[k],
    hi: columns.hi[k],
    count: columns.count[k],
  }));

describe('QuantileSketch', () => {
  it('cells and gridCells give the doubles of the per-bucket Math.pow reading, folded and clipped or not', () => {
    const fold = fc.oneof(fc.constant(-Infinity), fc.integer({ min: -1200, max: 1200 }));
    fc.assert(
      fc.property(
        values,
        values,
        fold,
        fold,
        fc.boolean(),
        fc.constantFrom(4, 16, 2048),
        (a, b, positive, negative, clip, binLimit) => {
          const sketch = QuantileSketch.fromJSON(
            merged(sketchOf(a, binLimit), sketchOf(b, binLimit)).toJSON(),
          );
          const folds = { positive, negative };
          const none = { positive: -Infinity, negative: -Infinity };
          expect(bits(sketch.cells(folds, clip))).toEqual(bits(cellsAsBefore(sketch, folds, clip)));
          expect(bits(sketch.cells())).toEqual(bits(cellsAsBefore(sketch, none, true)));
          expect(bits(rows(sketch.gridCells(folds)))).toEqual(bits(cellsAsBefore(sketch, folds, false)));
          expect(sketch.gridCells(folds)).toBe(sketch.gridCells({ ...folds }));
          sketch.update(0.5);
          expect(bits(rows(sketch.gridCells(folds)))).toEqual(bits(cellsAsBefore(sketch, folds, false)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('merge equals the sketch of the concatenated stream, and is commutative and associative (collapsing at 16 buckets)', () => {
    fc.assert(
      fc.property(values, values, values, (a, b, c) => {
        const [sa, sb, sc] = [sketchOf(a), sketchOf(b), sketchOf(c)];
        const whole = sketchOf([...a, ...b, ...c]).toJSON();
        expect(merged(sa, sb, sc).toJSON()).toEqual(whole);
        expect(merged(sc, merged(sb, sa)).toJSON()).toEqual(whole);
        expect(merged(merged(sa, sc), sb).toJSON()).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('survives a JSON round trip, collapsed state included', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const restored = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(sketchOf(a).toJSON())));
        for (const x of b) restored.update(x);
        expect(restored.toJSON()).toEqual(sketchOf([...a, ...b]).toJSON());
      }),
      { numRuns: 200 },
    );
  });

  it('places every value inside its cell, on the bucket keys of @datadog/sketches-js', () => {
    const reference = new DDSketch({ relativeAccuracy: 0.01 });
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (x) => {
        const [cell] = sketchOf([x], 2048).cells(undefined, false);
        expect(cell.lo).toBeLessThan(x);
        expect(x).toBeLessThanOrEqual(cell.hi * (1 + 1e-12));
        // the library's representative value of x's bucket lies in the same cell
        const representative = reference.mapping.value(reference.mapping.key(x));
        expect(representative).toBeGreaterThan(cell.lo);
        expect(representative).toBeLessThanOrEqual(cell.hi);
      }),
    );
  });

  it('keeps negative values through a merge (DDSketch 2.1.1 merge drops them)', () => {
    const a = sketchOf([-5, -4, -3]);
    const b = sketchOf([-2, -1, 7]);
    a.merge(b);
    expect(a.count).toBe(6);
    const library = new DDSketch();
    [-5, -4, -3].forEach((x) => library.accept(x));
    const other = new DDSketch();
    [-2, -1, 7].forEach((x) => other.accept(x));
    library.merge(other);
    expect(library.negativeStore.count).toBe(3);
  });

  it.each([
    ['normal', (r: Random) => r.normal(10, 3)],
    ['lognormal', (r: Random) => r.lognormal(0, 2)],
    ['mixed sign', (r: Random) => r.normal(0, 1)],
  ])('brackets every type-7 quantile of a %s stream, within relative accuracy', (_name, draw) => {
    const xs = new Random(7).sample(20_000, draw);
    const sketch = sketchOf(xs, 2048);
    const sorted = Float64Array.from(xs).sort();
    const alpha = 0.01;
    for (let q = 0; q <= 1; q += 0.01) {
      const exact = quantileSorted(Array.from(sorted), q);
      const { lo, hi } = sketch.quantileInterval(q);
      expect(lo).toBeLessThanOrEqual(exact * (exact >= 0 ? 1 + 1e-12 : 1 - 1e-12));
      expect(hi).toBeGreaterThanOrEqual(exact * (exact >= 0 ? 1 - 1e-12 : 1 + 1e-12));
      const h = (xs.length - 1) * q;
      const largest = Math.max(Math.abs(sorted[Math.floor(h)]), Math.abs(sorted[Math.ceil(h)]));
      expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(
        (alpha / (1 - alpha)) * largest * (1 + 1e-9),
      );
    }
  });

  it('refuses to merge sketches of different accuracy', () => {
    expect(() => new QuantileSketch(0.01).merge(new QuantileSketch(0.02))).toThrow(/relative accuracy/);
  });
});
