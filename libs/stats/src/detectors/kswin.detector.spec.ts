import streams from './__fixtures__/river-streams.json';
import { abruptStream, detectionIndices, digits } from './detector.fixtures';
import { Kswin } from './kswin.detector';

function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let c = 1n;
  for (let i = 1; i <= k; i++) c = (c * BigInt(n - k + i)) / BigInt(i);
  return c;
}

/**
 * P(D_{n,n} >= h/n) by the Gnedenko–Korolyuk formula, in exact integers:
 * 2 sum_{k>=1} (-1)^(k+1) C(2n, n - kh) / C(2n, n).
 */
function equalSizeKsPValue(n: number, h: number): number {
  let s = 0n;
  for (let k = 1; n - k * h >= 0; k++) s += (k % 2 === 1 ? 1n : -1n) * binomial(2 * n, n - k * h);
  const scale = 10n ** 18n;
  return Number((2n * s * scale) / binomial(2 * n, n)) / 1e18;
}

describe('Kswin', () => {
  it("has River's defaults and checks its options", () => {
    const k = new Kswin();
    expect([k.alpha, k.windowSize, k.statSize]).toEqual([0.005, 100, 30]);
    expect(() => new Kswin({ alpha: -0.1 })).toThrow(RangeError);
    expect(() => new Kswin({ alpha: 1.1 })).toThrow(RangeError);
    expect(() => new Kswin({ windowSize: -10 })).toThrow(RangeError);
    expect(() => new Kswin({ windowSize: 10, statSize: 30 })).toThrow(RangeError);
  });

  // River test_drift_detectors.py::test_kswin. With statSize = windowSize - statSize = 100 the
  // "sample" is the whole older half in some order, and KS ignores order: the index cannot
  // depend on the sampler, so River's 1042 must be reproduced exactly.
  it("finds River's index 1042 on River's stream", () => {
    const kswin = new Kswin({ alpha: 0.0001, windowSize: 200, statSize: 100, seed: 42 });
    expect(detectionIndices(kswin, digits(streams.dataStream1))).toEqual([1042]);
  });

  describe('on a seeded mean shift N(0, 1) -> N(1.5, 1) at index 500', () => {
    const stream = abruptStream(9, [500, (r) => r.normal(0, 1)], [500, (r) => r.normal(1.5, 1)]);

    it('is silent before the change and detects at index 510', () => {
      expect(detectionIndices(new Kswin(), stream)).toEqual([510]);
    });

    it('fires exactly when D reaches the exact critical value for 30 against 30 at alpha 0.005', () => {
      // smallest h with P(D >= h/30) <= 0.005, from the closed form
      let h = 1;
      while (equalSizeKsPValue(30, h) > 0.005) h++;
      expect(equalSizeKsPValue(30, h)).toBeLessThanOrEqual(0.005);
      expect(equalSizeKsPValue(30, h - 1)).toBeGreaterThan(0.005);
      const kswin = new Kswin();
      stream.slice(0, 511).forEach((x, i) => {
        kswin.update(x);
        if (i < 99) return;
        const reached = Math.round(kswin.statistic * 30) >= h;
        expect(kswin.driftDetected).toBe(reached);
        expect(kswin.pValue).toBeCloseTo(equalSizeKsPValue(30, Math.round(kswin.statistic * 30)), 12);
      });
      expect(kswin.driftDetected).toBe(true);
    });
  });

  it('tests nothing before the window fills, starts afresh after a drift, and can start from a window', () => {
    const kswin = new Kswin({ windowSize: 10, statSize: 4, alpha: 0.5 });
    const fired = [0, 0, 0, 0, 0, 0, 0, 0, 0].map((x) => kswin.update(x));
    expect(fired.every((f) => !f)).toBe(true);
    expect(kswin.pValue).toBe(0);
    // the 10th value fills the window; four large recent values against four zeros: D = 1
    const primed = new Kswin({
      windowSize: 10,
      statSize: 4,
      alpha: 0.5,
      window: [0, 0, 0, 0, 0, 0, 9, 9, 9],
    });
    expect(primed.update(9)).toBe(true);
    expect(primed.statistic).toBe(1);
    expect(primed.update(9)).toBe(false);
    expect(primed.pValue).toBe(0);
  });
});
