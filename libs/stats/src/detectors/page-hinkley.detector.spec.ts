import streams from './__fixtures__/river-streams.json';
import { abruptStream, detectionIndices, digits } from './detector.fixtures';
import { PageHinkley } from './page-hinkley.detector';

/**
 * The Page-Hinkley statistics by their closed form, without the detector's recursion:
 * m_T = sum_{t<=T} alpha^(T-t) (x_t - mean(x_1..x_t) - delta), up_T = m_T - min_{t<=T} m_t;
 * l_T likewise with + delta, down_T = max(-1, max_{t<=T} l_t) - l_T.
 */
function closedForm(xs: number[], delta: number, alpha: number): { up: number[]; down: number[] } {
  const deviations: number[] = [];
  let sum = 0;
  xs.forEach((x, t) => {
    sum += x;
    deviations.push(x - sum / (t + 1));
  });
  const up: number[] = [];
  const down: number[] = [];
  let minM = Infinity;
  let maxL = -1;
  for (let T = 0; T < xs.length; T++) {
    let m = 0;
    let l = 0;
    for (let t = 0; t <= T; t++) {
      const w = alpha ** (T - t);
      m += w * (deviations[t] - delta);
      l += w * (deviations[t] + delta);
    }
    minM = Math.min(minM, m);
    maxL = Math.max(maxL, l);
    up.push(m - minM);
    down.push(maxL - l);
  }
  return { up, down };
}

describe('PageHinkley', () => {
  it("has River's defaults", () => {
    const ph = new PageHinkley();
    expect([ph.minInstances, ph.delta, ph.threshold, ph.alpha, ph.mode]).toEqual([
      30,
      0.005,
      50,
      0.9999,
      'both',
    ]);
  });

  // River test_drift_detectors.py::test_page_hinkley, on River's own stream (data_stream_3).
  it.each([
    ['up', [588, 1681]],
    ['down', [1172]],
    ['both', [588, 1097, 1585]],
  ] as const)("finds River's indices on River's stream in mode %s", (mode, expected) => {
    expect(detectionIndices(new PageHinkley({ mode }), digits(streams.dataStream3))).toEqual(expected);
  });

  describe('on a seeded mean shift N(0, 0.2) -> N(0.5, 0.2) at index 1000', () => {
    const stream = abruptStream(9, [1000, (r) => r.normal(0, 0.2)], [1000, (r) => r.normal(0.5, 0.2)]);

    it('is silent before the change and detects at index 1109', () => {
      expect(detectionIndices(new PageHinkley(), stream)).toEqual([1109]);
    });

    it('matches the closed-form statistic, which first exceeds the threshold at 1109', () => {
      const prefix = stream.slice(0, 1110);
      const { up, down } = closedForm(prefix, 0.005, 0.9999);
      const ph = new PageHinkley();
      prefix.forEach((x, t) => {
        ph.update(x);
        expect(ph.increaseStatistic).toBeCloseTo(up[t], 8);
        expect(ph.decreaseStatistic).toBeCloseTo(down[t], 8);
      });
      const firstCrossing = up.findIndex((u, t) => t >= 29 && (u > 50 || down[t] > 50));
      expect(firstCrossing).toBe(1109);
      // not a knife edge: floating-point noise cannot move the index
      expect(up[1108]).toBeLessThan(50 - 1e-6);
      expect(up[1109]).toBeGreaterThan(50 + 1e-6);
    });

    it('with mode down ignores the increase', () => {
      expect(detectionIndices(new PageHinkley({ mode: 'down' }), stream)).toEqual([]);
    });
  });

  it('needs minInstances values before it can fire, and starts afresh after a detection', () => {
    const ph = new PageHinkley({ minInstances: 5, threshold: 1 });
    const fired: boolean[] = [];
    for (const x of [0, 0, 0, 10]) fired.push(ph.update(x));
    // by hand: U = -0.005, -0.0099995, -0.0149985, then mean 2.5 so U = 0.9999 U + 7.5 - 0.005
    const u4 = 0.9999 * (0.9999 * (0.9999 * -0.005 - 0.005) - 0.005) + 7.495;
    expect(ph.increaseStatistic).toBeCloseTo(u4 - (0.9999 * (0.9999 * -0.005 - 0.005) - 0.005), 12);
    expect(ph.increaseStatistic).toBeGreaterThan(1);
    // above the threshold, but only 4 values seen
    expect(ph.driftDetected).toBe(false);
    for (const x of [10, 10, 10]) fired.push(ph.update(x));
    // drift at the 5th value; the 6th starts afresh: n = 1, mean 10, nothing to detect
    expect(fired).toEqual([false, false, false, false, true, false, false]);
    expect(ph.increaseStatistic).toBeCloseTo(0, 12);
  });

  it('rejects a non-finite value and an unknown mode', () => {
    expect(() => new PageHinkley().update(Number.NaN)).toThrow(RangeError);
    expect(() => new PageHinkley({ mode: 'sideways' as 'up' })).toThrow(RangeError);
  });
});
