import { NumericSummary } from '@driftline/stats';
import fc from 'fast-check';
import type { ClosedWindow } from './window.tracker';
import { WindowTracker } from './window.tracker';
import { parseWindowSpec } from './window-spec.parser';

const EDGES = [0, 10, 20];
const numericPanes = { empty: () => new NumericSummary({ edges: EDGES }), fromJSON: NumericSummary.fromJSON };
const spec = parseWindowSpec({ size: 40, step: 10, allowedLateness: 15 });

describe('WindowTracker over the in-place accumulators of @driftline/stats', () => {
  it('gives each window the NumericSummary of its accepted values, also across a JSON restore', () => {
    const stream = fc.array(
      fc.record({
        advance: fc.integer({ min: 0, max: 12 }),
        delay: fc.integer({ min: 0, max: 30 }),
        value: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constant(null)),
      }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(stream, fc.nat(), (moves, cutSeed) => {
        const cut = cutSeed % (moves.length + 1);
        let tracker = new WindowTracker('model-a', spec, numericPanes);
        const accepted: { time: number; value: number | null }[] = [];
        const closed: ClosedWindow<NumericSummary>[] = [];
        let clock = 0;
        moves.forEach((m, i) => {
          if (i === cut) {
            tracker = WindowTracker.restore(
              JSON.parse(JSON.stringify(tracker.snapshot())),
              spec,
              numericPanes,
            );
          }
          clock += m.advance;
          const time = clock - m.delay;
          const result = tracker.add({ value: m.value, eventTime: time, partition: 0, now: 0 });
          if (result.accepted) accepted.push({ time, value: m.value });
          closed.push(...result.closed);
        });
        for (const window of closed) {
          const direct = new NumericSummary({ edges: EDGES });
          for (const e of accepted) if (e.time >= window.start && e.time < window.end) direct.update(e.value);
          expect(window.eventCount).toBe(direct.total);
          expect(window.summary.binCounts).toEqual(direct.binCounts);
          expect(window.summary.missing).toBe(direct.missing);
          expect(window.summary.count).toBe(direct.count);
          if (direct.count > 0)
            expect(window.summary.sampleMoments.mean).toBeCloseTo(direct.sampleMoments.mean, 9);
        }
      }),
      { numRuns: 200 },
    );
  });
});
