import streams from './__fixtures__/river-streams.json';
import { Random } from '../random';
import { Adwin } from './adwin.detector';
import { abruptStream, detectionIndices, digits } from './detector.fixtures';

/**
 * ADWIN's test on the raw window, without buckets: every cut n0 of the window values, both parts
 * at least 5 long, against ε of the class doc. The buckets only restrict where a cut may fall.
 */
function someExactCutHolds(window: number[], delta = 0.002, minLength = 5): boolean {
  const n = window.length;
  const total = window.reduce((a, b) => a + b, 0);
  const mean = total / n;
  const variance = window.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  const deltaPrime = Math.log((2 * Math.log(n)) / delta);
  let u0 = 0;
  for (let n0 = 1; n0 < n; n0++) {
    u0 += window[n0 - 1];
    const n1 = n - n0;
    if (n0 < minLength || n1 < minLength) continue;
    const m = 1 / (n0 - minLength + 1) + 1 / (n1 - minLength + 1);
    const epsilon = Math.sqrt(2 * m * variance * deltaPrime) + (2 / 3) * deltaPrime * m;
    if (Math.abs(u0 / n0 - (total - u0) / n1) > epsilon) return true;
  }
  return false;
}

describe('Adwin', () => {
  it("has River's defaults", () => {
    const a = new Adwin();
    expect([a.delta, a.clock, a.maxBuckets, a.minWindowLength, a.gracePeriod]).toEqual([0.002, 32, 5, 5, 10]);
  });

  // River test_drift_detectors.py::test_adwin and test_adwin_regression.py, on River's own stream.
  it("finds River's index 1023 on River's stream", () => {
    expect(detectionIndices(new Adwin(), digits(streams.dataStream1))).toEqual([1023]);
  });

  it('keeps the exact width, total and sum of squared deviations while nothing changes', () => {
    const rng = new Random(999);
    const values = rng.sample(500, (r) => r.normal(5, 2));
    const a = new Adwin();
    values.forEach((v, i) => {
      a.update(v);
      const seen = values.slice(0, i + 1);
      const mean = seen.reduce((s, x) => s + x, 0) / seen.length;
      expect(a.width).toBe(i + 1);
      expect(a.estimation).toBeCloseTo(mean, 10);
      expect(a.variance).toBeCloseTo(
        seen.reduce((s, x) => s + (x - mean) ** 2, 0),
        8,
      );
    });
    expect(a.nDetections).toBe(0);
  });

  describe('on a seeded mean shift N(0, 0.2) -> N(0.5, 0.2) at index 1000', () => {
    const stream = abruptStream(9, [1000, (r) => r.normal(0, 0.2)], [1000, (r) => r.normal(0.5, 0.2)]);

    it('is silent before the change and detects at index 1055', () => {
      expect(detectionIndices(new Adwin(), stream)).toEqual([1055]);
    });

    it('detects at the first check (every 32 values) where an exact cut of the raw window holds', () => {
      // checks happen after values 32, 64, ...: indices 31, 63, ...
      const checks = Array.from({ length: 62 }, (_, k) => 32 * (k + 1) - 1);
      const firstExact = checks.find((i) => someExactCutHolds(stream.slice(0, i + 1)));
      expect(firstExact).toBe(1055);
    });

    it('drops the old part of the window on detection, then starts afresh', () => {
      const a = new Adwin();
      stream.slice(0, 1056).forEach((x) => a.update(x));
      expect(a.driftDetected).toBe(true);
      // buckets of the old concept were dropped: the window mean is near the new level
      expect(a.width).toBeLessThan(1056);
      a.update(stream[1056]);
      expect(a.width).toBe(1);
      expect(a.driftDetected).toBe(false);
    });
  });

  it('stays silent on a constant stream and on 5,000 stationary normal values', () => {
    expect(detectionIndices(new Adwin(), new Array<number>(5000).fill(1))).toEqual([]);
    expect(
      detectionIndices(
        new Adwin(),
        new Random(123).sample(5000, (r) => r.normal()),
      ),
    ).toEqual([]);
  });

  it('checks nothing within the grace period', () => {
    const a = new Adwin({ gracePeriod: 100, clock: 1 });
    const stream = [...new Array<number>(50).fill(0), ...new Array<number>(50).fill(1000)];
    expect(detectionIndices(a, stream)).toEqual([]);
  });
});
