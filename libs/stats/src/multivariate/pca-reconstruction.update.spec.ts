import fc from 'fast-check';
import { parseFinite } from '../drift/sample.values';
import { Random } from '../random';
import { NumericRow, PcaReconstruction, type PcaReconstructionState } from './pca-reconstruction.model';
import { ReconstructionErrorSum } from './reconstruction-error.accumulator';
import type { RawValue } from '../types';

/** The error as the model computed it before it reused a typed scratch row: arrays built per row. */
function errorWithArrays(state: PcaReconstructionState, row: NumericRow): number {
  const z = row.map((v, j) => (v === null ? 0 : (v - state.means[j]) / state.scales[j]));
  let norm2 = 0;
  for (const v of z) norm2 += v * v;
  let projected2 = 0;
  for (const axis of state.components) {
    let dot = 0;
    for (let j = 0; j < z.length; j++) dot += axis[j] * z[j];
    projected2 += dot * dot;
  }
  return Math.sqrt(Math.max(0, norm2 - projected2));
}

function fitted(seed: number, d: number): PcaReconstruction {
  const rng = new Random(seed);
  const rows = Array.from({ length: 400 }, () => {
    const common = rng.normal();
    return Array.from({ length: d }, (_, j) =>
      rng.bernoulli(0.05) ? null : j * common + rng.normal(j, 1 + j),
    );
  });
  const features = Array.from({ length: d }, (_, j) => `f${j}`);
  return PcaReconstruction.fit(features, rows, { chunkSize: 100 });
}

const cell: fc.Arbitrary<RawValue> = fc.oneof(
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.constantFrom(null, undefined, '', 'x', '2.5', 'NaN'),
);

describe('PcaReconstruction.updateFromFeatures', () => {
  it('gives the sums of update(vectorOf(parsed values)) and of the array-built errors, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 2, max: 8 }),
        fc.array(fc.array(cell, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 40 }),
        (seed, d, events) => {
          const model = fitted(seed, d);
          const state = model.toJSON();
          const typed = new ReconstructionErrorSum();
          const rows = new ReconstructionErrorSum();
          let arrays = 0;
          for (const cells of events) {
            const features: Record<string, RawValue> = {};
            cells.forEach((c, j) => {
              if (c !== undefined) features[`f${j}`] = c;
            });
            model.updateFromFeatures(typed, features, parseFinite);
            const values: Record<string, number | null> = {};
            for (const name of model.features) values[name] = parseFinite(features[name] ?? null);
            const row = model.vectorOf(values);
            model.update(rows, row);
            arrays += errorWithArrays(state, row);
          }
          expect(typed.toJSON()).toEqual(rows.toJSON());
          expect(typed.sum).toBe(arrays);
        },
      ),
      { numRuns: 300 },
    );
  });
});
