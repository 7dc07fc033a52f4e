import fc from 'fast-check';
import { maxLivePanes, paneStart } from './pane.math';
import { ProbePane, probePanes } from './testing/probe.summary';
import { opsArbitrary, specArbitrary, type StreamShape } from './testing/ops.arbitrary';
import { referenceRun, type ExpectedStep, type Op } from './testing/window.reference';
import type { ClosedWindow } from './window.tracker';
import { WindowTracker } from './window.tracker';
import type { WindowSpec } from './window-spec.parser';

const RUNS = { numRuns: 400 };

function apply(tracker: WindowTracker<ProbePane>, op: Op): ExpectedStep {
  if (op.kind === 'tick') return { closed: tracker.tick(op.now).map(plain) };
  const result = tracker.add({
    value: op.event,
    eventTime: op.eventTime,
    partition: op.partition,
    now: op.now,
  });
  const { closed, ...verdict } = result;
  return { ...verdict, closed: closed.map(plain) };
}

function plain(window: ClosedWindow<ProbePane>): ExpectedStep['closed'][number] {
  const { key: _key, summary, ...rest } = window;
  return { ...rest, summary: summary.toJSON() };
}

function run(spec: WindowSpec, ops: readonly Op[]): ExpectedStep[] {
  const tracker = new WindowTracker('model-a', spec, probePanes);
  return ops.map((op) => apply(tracker, op));
}

const streams = (shape: StreamShape, idle: boolean): fc.Arbitrary<[WindowSpec, Op[]]> =>
  specArbitrary({ idle }).chain((spec) =>
    opsArbitrary(spec, shape).map((ops): [WindowSpec, Op[]] => [spec, ops]),
  );

describe('WindowTracker against a batch reference, at every step', () => {
  it.each([
    [
      'one partition, event time only',
      { partitions: 1, extraDelaySteps: 3, ticks: false, stampedAhead: true },
      false,
    ],
    [
      'one partition, idle timeout and ticks',
      { partitions: 1, extraDelaySteps: 3, ticks: true, stampedAhead: true },
      true,
    ],
    [
      'three partitions, idle timeout and ticks',
      { partitions: 3, extraDelaySteps: 3, ticks: true, stampedAhead: true },
      true,
    ],
  ] as const)('%s: verdicts, closed windows, late counts and summaries match', (_name, shape, idle) => {
    fc.assert(
      fc.property(streams(shape, idle), ([spec, ops]) => {
        const tracker = new WindowTracker('model-a', spec, probePanes);
        const expected = referenceRun(ops, spec);
        expect(ops.map((op) => apply(tracker, op))).toEqual(expected);
        const rejected = (as: string): number => expected.filter((s) => s.rejectedAs === as).length;
        expect([tracker.lateEvents, tracker.futureEvents]).toEqual([rejected('late'), rejected('future')]);
      }),
      RUNS,
    );
  });

  it('events no further behind the newest than the allowed lateness are never late', () => {
    fc.assert(
      fc.property(
        streams({ partitions: 1, extraDelaySteps: 0, ticks: false, stampedAhead: false }, false),
        ([spec, ops]) => {
          const steps = run(spec, ops);
          expect(steps.every((s) => s.accepted)).toBe(true);
          const times = ops.map((op) => (op.kind === 'event' ? op.eventTime : NaN));
          for (const window of steps.flatMap((s) => s.closed)) {
            const inside = times.filter((t) => t >= window.start && t < window.end).length;
            expect(window.eventCount).toBe(inside);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('WindowTracker invariants', () => {
  it('closes each window once, in order, and with emitEmpty every step after the first', () => {
    fc.assert(
      fc.property(
        streams({ partitions: 2, extraDelaySteps: 3, ticks: true, stampedAhead: true }, true),
        ([spec, ops]) => {
          const ends = run(spec, ops).flatMap((s) => s.closed.map((w) => w.end));
          for (let i = 1; i < ends.length; i += 1) {
            const gap = ends[i]! - ends[i - 1]!;
            expect(gap > 0 && gap % spec.step === 0).toBe(true);
            if (spec.emitEmpty) expect(gap).toBe(spec.step);
          }
        },
      ),
      RUNS,
    );
  });

  it('counts every accepted event in all of its windows that close, and late ones in none', () => {
    fc.assert(
      fc.property(
        streams({ partitions: 2, extraDelaySteps: 3, ticks: true, stampedAhead: true }, true),
        ([spec, ops]) => {
          const steps = run(spec, ops);
          const windows = steps.flatMap((s) => s.closed);
          ops.forEach((op, i) => {
            if (op.kind !== 'event') return;
            const holding = windows.filter((w) => op.eventTime >= w.start && op.eventTime < w.end);
            const counted = holding.filter((w) => (w.summary as { ids: number[] }).ids.includes(op.event.id));
            expect(counted.length).toBe(steps[i]!.accepted ? holding.length : 0);
          });
        },
      ),
      RUNS,
    );
  });

  it('a duplicate of each accepted event counts in all of its windows and changes nothing else', () => {
    fc.assert(
      fc.property(
        streams({ partitions: 1, extraDelaySteps: 3, ticks: false, stampedAhead: true }, false),
        ([spec, ops]) => {
          const tracker = new WindowTracker('model-a', spec, probePanes);
          const steps = ops.map((op) => {
            const step = apply(tracker, op);
            if (op.kind === 'event' && step.accepted) tracker.countDuplicate(op.eventTime);
            return step;
          });
          const windows = steps.flatMap((s) => s.closed);
          expect(windows.map((w) => w.duplicateEvents)).toEqual(windows.map((w) => w.eventCount));
          const withoutDuplicates = (all: ExpectedStep[]) =>
            all.map((s) => ({ ...s, closed: s.closed.map((w) => ({ ...w, duplicateEvents: 0 })) }));
          expect(withoutDuplicates(steps)).toEqual(run(spec, ops));
          expect(tracker.duplicateEvents).toBe(steps.filter((s) => s.accepted).length);
        },
      ),
      RUNS,
    );
  });

  it(`holds at most size/step + ceil(lateness/step) panes on one partition`, () => {
    fc.assert(
      fc.property(
        streams({ partitions: 1, extraDelaySteps: 4, ticks: true, stampedAhead: true }, true),
        ([spec, ops]) => {
          const tracker = new WindowTracker('model-a', spec, probePanes);
          for (const op of ops) {
            apply(tracker, op);
            expect(tracker.livePanes).toBeLessThanOrEqual(maxLivePanes(spec));
          }
        },
      ),
      RUNS,
    );
  });

  it('keeps only panes between the next window and the newest event, on any number of partitions', () => {
    fc.assert(
      fc.property(
        streams({ partitions: 3, extraDelaySteps: 4, ticks: true, stampedAhead: true }, true),
        ([spec, ops]) => {
          const tracker = new WindowTracker('model-a', spec, probePanes);
          let newest = -Infinity;
          for (const op of ops) {
            apply(tracker, op);
            if (op.kind === 'event') newest = Math.max(newest, op.eventTime);
            const starts = tracker.snapshot().panes.map((p) => p.start);
            if (starts.length === 0) continue;
            const watermark = tracker.watermark!;
            expect(Math.min(...starts)).toBeGreaterThanOrEqual(
              paneStart(watermark, spec.step) + spec.step - spec.size,
            );
            expect(Math.max(...starts)).toBeLessThanOrEqual(paneStart(newest, spec.step));
          }
        },
      ),
      RUNS,
    );
  });
});

describe('WindowTracker snapshots', () => {
  const withCut = streams({ partitions: 2, extraDelaySteps: 3, ticks: true, stampedAhead: true }, true).chain(
    ([spec, ops]) =>
      fc.integer({ min: 0, max: ops.length }).map((cut): [WindowSpec, Op[], number] => [spec, ops, cut]),
  );

  it('restoring a JSON snapshot taken at any step gives the same outputs as running on', () => {
    fc.assert(
      fc.property(withCut, ([spec, ops, cut]) => {
        const first = new WindowTracker('model-a', spec, probePanes);
        const before = ops.slice(0, cut).map((op) => apply(first, op));
        const stored: unknown = JSON.parse(JSON.stringify(first.snapshot()));
        const resumed = WindowTracker.restore(stored, spec, probePanes);
        const after = ops.slice(cut).map((op) => apply(resumed, op));
        expect([...before, ...after]).toEqual(run(spec, ops));
        expect(resumed.snapshot()).toEqual(runToEnd(spec, ops).snapshot());
      }),
      RUNS,
    );
  });

  it('the drained changes, applied to a store, rebuild the snapshot at every step', () => {
    fc.assert(
      fc.property(
        streams({ partitions: 2, extraDelaySteps: 3, ticks: true, stampedAhead: true }, true),
        ([spec, ops]) => {
          const tracker = new WindowTracker('model-a', spec, probePanes);
          const store = new Map<number, string>();
          for (const op of ops) {
            apply(tracker, op);
            const changes = JSON.parse(JSON.stringify(tracker.drainChanges())) as ReturnType<
              typeof tracker.drainChanges
            >;
            for (const start of changes.evicted) store.delete(start);
            for (const pane of changes.upserted) store.set(pane.start, JSON.stringify(pane));
            const panes = [...store.values()].map((p) => JSON.parse(p) as unknown);
            const rebuilt = WindowTracker.restore({ ...changes.state, panes }, spec, probePanes);
            expect(rebuilt.snapshot()).toEqual(tracker.snapshot());
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

function runToEnd(spec: WindowSpec, ops: readonly Op[]): WindowTracker<ProbePane> {
  const tracker = new WindowTracker('model-a', spec, probePanes);
  for (const op of ops) apply(tracker, op);
  return tracker;
}
