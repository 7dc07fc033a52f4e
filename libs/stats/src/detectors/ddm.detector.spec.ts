import streams from './__fixtures__/river-streams.json';
import { Ddm } from './ddm.detector';
import { abruptStream, detectionIndices, digits } from './detector.fixtures';

describe('Ddm', () => {
  it("has River's defaults", () => {
    const ddm = new Ddm();
    expect([ddm.warmStart, ddm.warningThreshold, ddm.driftThreshold]).toEqual([30, 2.0, 3.0]);
  });

  // River test_drift_detectors.py::test_ddm, on River's own streams.
  it("finds River's index 1049 on River's stream, and nothing on a stream of errors only", () => {
    expect(detectionIndices(new Ddm(), digits(streams.dataStream2))).toEqual([1049]);
    expect(detectionIndices(new Ddm(), new Array<number>(1000).fill(1))).toEqual([]);
  });

  describe('on a seeded error rate 0.1 -> 0.3 at index 1000', () => {
    const errors = abruptStream(
      9,
      [1000, (r) => Number(r.bernoulli(0.1))],
      [1000, (r) => Number(r.bernoulli(0.3))],
    );

    it('is silent before the change and detects at index 1174', () => {
      expect(detectionIndices(new Ddm(), errors)).toEqual([1174]);
    });

    it('fires where p + s first exceeds p_min + 3 s_min, recomputed from counts', () => {
      // batch form: p_i = errors / i, s_i = sqrt(p_i (1 - p_i) / i), (p_min, s_min) at the smallest p + s for i > 30
      let count = 0;
      let best = { p: 0, s: 0, ps: Infinity };
      let firstDrift = -1;
      const expectedWarnings: number[] = [];
      for (let i = 0; i < errors.length && firstDrift < 0; i++) {
        count += errors[i];
        const n = i + 1;
        const p = count / n;
        const s = Math.sqrt((p * (1 - p)) / n);
        if (n <= 30) continue;
        if (p + s <= best.ps) best = { p, s, ps: p + s };
        if (p + s > best.p + 3 * best.s) {
          firstDrift = i;
          // a clear crossing, so the running-mean rounding in the detector cannot move it
          expect(p + s - (best.p + 3 * best.s)).toBeGreaterThan(1e-9);
        } else if (p + s > best.p + 2 * best.s) expectedWarnings.push(i);
      }
      expect(firstDrift).toBe(1174);
      const ddm = new Ddm();
      const warnings: number[] = [];
      errors.slice(0, 1175).forEach((x, i) => {
        ddm.update(x);
        if (ddm.warningDetected) warnings.push(i);
      });
      expect(warnings).toEqual(expectedWarnings);
      expect(warnings.length).toBeGreaterThan(0);
      expect(ddm.driftDetected).toBe(true);
      // a drift clears the warning
      expect(ddm.warningDetected).toBe(false);
    });
  });

  it('starts afresh after a drift and accepts booleans', () => {
    const ddm = new Ddm({ warmStart: 5 });
    for (let i = 0; i < 50; i++) ddm.update(false);
    let fired = false;
    for (let i = 0; i < 50 && !fired; i++) fired = ddm.update(true);
    expect(fired).toBe(true);
    ddm.update(true);
    expect(ddm.driftDetected).toBe(false);
    expect(ddm.errorRate).toBe(1);
  });

  it('rejects a value that is not an error flag', () => {
    expect(() => new Ddm().update(0.5)).toThrow(RangeError);
  });
});
