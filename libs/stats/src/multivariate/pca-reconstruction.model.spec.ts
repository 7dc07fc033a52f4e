import { Random } from '../random';
import { NumericRow, PcaReconstruction } from './pca-reconstruction.model';
import { ReconstructionErrorSum } from './reconstruction-error.accumulator';
import { standardDeviationBand } from './standard-deviation.band';

/** n rows (x, y) with x ~ N(10, 2), y ~ N(-5, 0.5) and correlation rho: fixed marginals, chosen dependence. */
function correlatedPairs(rng: Random, n: number, rho: number): number[][] {
  return Array.from({ length: n }, () => {
    const a = rng.normal();
    const b = rho * a + Math.sqrt(1 - rho * rho) * rng.normal();
    return [10 + 2 * a, -5 + 0.5 * b];
  });
}

function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
}

function windowValue(model: PcaReconstruction, rows: readonly NumericRow[]): number {
  const sums = new ReconstructionErrorSum();
  rows.forEach((row) => model.update(sums, row));
  return sums.value() as number;
}

describe('standardDeviationBand', () => {
  it("reproduces NannyML's StandardDeviationThreshold docstring example (ddof 0)", () => {
    const band = standardDeviationBand([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, 2.5);
    expect(band.lower).toBeCloseTo(-1.2445626465380286, 12);
    expect(band.upper).toBeCloseTo(11.680703308172536, 12);
  });
});

describe('PcaReconstruction', () => {
  describe('on two features with correlation 0.8', () => {
    const rng = new Random(31);
    const reference = correlatedPairs(rng, 20_000, 0.8);
    const model = PcaReconstruction.fit(['x', 'y'], reference, { chunkSize: 1_000 });
    // independent view: standardise with the reference mean and sd (ddof 0) ourselves
    const [mx, my] = [meanAndSd(reference.map((r) => r[0])), meanAndSd(reference.map((r) => r[1]))];
    const z = (row: number[]): [number, number] => [(row[0] - mx.mean) / mx.sd, (row[1] - my.mean) / my.sd];
    const r = reference.map(z).reduce((a, [u, v]) => a + u * v, 0) / reference.length;

    it('keeps the analytic principal axis (1, 1)/√2 with variance shares (1 ± r)/2', () => {
      // a standardised pair has covariance [[1, r], [r, 1]]: eigenvalues 1 ± r, axes (1, ±1)/√2
      const state = model.toJSON();
      expect(model.componentCount).toBe(1);
      expect(state.explainedVarianceRatio[0]).toBeCloseTo((1 + r) / 2, 12);
      expect(state.explainedVarianceRatio[1]).toBeCloseTo((1 - r) / 2, 12);
      const [a, b] = state.components[0];
      expect(Math.abs(a)).toBeCloseTo(Math.SQRT1_2, 12);
      expect(b).toBeCloseTo(a, 12);
      expect(r).toBeCloseTo(0.8, 2);
    });

    it('measures each row as its distance |z1 − z2|/√2 to that axis', () => {
      for (const row of reference.slice(0, 50)) {
        const [u, v] = z(row);
        expect(model.error(row)).toBeCloseTo(Math.abs(u - v) / Math.SQRT2, 12);
      }
    });

    it('bands the reference chunks at mean ± 3 sd, recomputed from the distances', () => {
      const chunkMeans = Array.from({ length: 20 }, (_, k) => {
        const chunk = reference.slice(k * 1_000, (k + 1) * 1_000).map(z);
        return chunk.reduce((a, [u, v]) => a + Math.abs(u - v) / Math.SQRT2, 0) / chunk.length;
      });
      const { mean, sd } = meanAndSd(chunkMeans);
      expect(model.band.mean).toBeCloseTo(mean, 12);
      expect(model.band.lower).toBeCloseTo(mean - 3 * sd, 12);
      expect(model.band.upper).toBeCloseTo(mean + 3 * sd, 12);
      // E|N(0, 1 − ρ)| = sqrt(2 (1 − ρ) / π) = 0.3568 for ρ = 0.8; standard error ~0.002
      expect(Math.abs(mean - Math.sqrt((2 * 0.2) / Math.PI))).toBeLessThan(0.01);
    });

    it('does not alert on fresh windows of 1,000 from the reference distribution', () => {
      const results = Array.from({ length: 10 }, () => {
        const sums = new ReconstructionErrorSum();
        correlatedPairs(rng, 1_000, 0.8).forEach((row) => model.update(sums, row));
        return model.evaluate(sums);
      });
      expect(results.filter((res) => res.alert)).toEqual([]);
    });

    it('alerts when the correlation flips to −0.8 while both marginals stay the same', () => {
      const drifted = correlatedPairs(rng, 1_000, -0.8);
      const [dx, dy] = [meanAndSd(drifted.map((row) => row[0])), meanAndSd(drifted.map((row) => row[1]))];
      // the marginals do not move (within ~4 standard errors): a per-feature test would see nothing
      expect(Math.abs(dx.mean - 10)).toBeLessThan(0.25);
      expect(Math.abs(dx.sd - 2)).toBeLessThan(0.2);
      expect(Math.abs(dy.mean + 5)).toBeLessThan(0.07);
      expect(Math.abs(dy.sd - 0.5)).toBeLessThan(0.05);
      const sums = new ReconstructionErrorSum();
      drifted.forEach((row) => model.update(sums, row));
      const result = model.evaluate(sums);
      expect(result.alert).toBe(true);
      // analytic: E|N(0, 1 − ρ')| = sqrt(2 · 1.8 / π) = 1.0705; standard error ~0.025
      expect(Math.abs((result.value as number) - Math.sqrt(3.6 / Math.PI))).toBeLessThan(0.1);
    });

    it('merges panes into the whole window and survives JSON', () => {
      const rows = correlatedPairs(rng, 900, 0.8);
      const copy = PcaReconstruction.fromJSON(JSON.parse(JSON.stringify(model)));
      const panes = [0, 1, 2].map((p) => {
        const sums = new ReconstructionErrorSum();
        rows.slice(p * 300, (p + 1) * 300).forEach((row) => copy.update(sums, row));
        return ReconstructionErrorSum.fromJSON(JSON.parse(JSON.stringify(sums)));
      });
      const merged = panes.reduce((a, b) => a.merge(b), new ReconstructionErrorSum());
      expect(merged.count).toBe(900);
      expect(merged.value()).toBeCloseTo(windowValue(model, rows), 12);
    });

    it('imputes a missing value with the reference mean', () => {
      expect(model.error([null, 7])).toBeCloseTo(model.error([mx.mean, 7]), 12);
      expect(model.vectorOf({ y: 7 })).toEqual([null, 7]);
    });
  });

  it.each([
    [0.3, 2],
    [0.6, 1],
  ])(
    'keeps the fewest axes beyond 65%% of variance: 3 equicorrelated features at %d keep %d',
    (rho, expected) => {
      // eigenvalues 1 + 2ρ, 1 − ρ, 1 − ρ: the first holds (1 + 2ρ)/3 = 0.53 (ρ 0.3) or 0.73 (ρ 0.6)
      const rng = new Random(8);
      const rows = Array.from({ length: 20_000 }, () => {
        const common = rng.normal();
        return [0, 1, 2].map(() => Math.sqrt(rho) * common + Math.sqrt(1 - rho) * rng.normal());
      });
      const model = PcaReconstruction.fit(['a', 'b', 'c'], rows);
      expect(model.componentCount).toBe(expected);
      expect(model.toJSON().explainedVarianceRatio[0]).toBeCloseTo((1 + 2 * rho) / 3, 1);
      expect(model.toJSON().chunkSize).toBe(2_000);
    },
  );

  it('rejects too few features, too small a reference and non-finite values', () => {
    expect(() => PcaReconstruction.fit(['a'], [[1], [2]])).toThrow(RangeError);
    expect(() =>
      PcaReconstruction.fit(
        ['a', 'b'],
        [
          [1, 2],
          [2, 3],
        ],
        { chunkSize: 2 },
      ),
    ).toThrow(RangeError);
    const rows = Array.from({ length: 20 }, (_, i) => [i, (i * 7) % 5]);
    expect(() => PcaReconstruction.fit(['a', 'b'], [...rows, [Number.NaN, 1]])).toThrow(RangeError);
    expect(() => PcaReconstruction.fit(['a', 'b'], rows).error([1])).toThrow(RangeError);
  });
});
