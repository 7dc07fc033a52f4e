import { ServiceMetrics } from '@driftline/common';
import type { PendingEvaluation } from '@driftline/db';
import { testModel } from '../../../../test/monitor/monitor.fixtures';
import {
  definitionsOf,
  logger,
  TestClock,
  unitOfWork,
  windowServices,
  type MockParts,
} from '../../../../test/monitor/monitor.mocks';
import { ModelCatalog } from '../model.catalog';
import { modelPaneFactory, type PaneEvent } from '../model.pane';
import type { MonitoredModel } from '../monitored.model';
import { evaluateWindow } from '../window.evaluator';
import type { WindowResultRow } from '../window.result';
import { PendingWindowEvaluator } from './pending-window.evaluator';

const T = Date.UTC(2026, 0, 1, 12, 0);
const SIZE = 600_000;
const m1 = testModel();
const m2 = testModel({ modelId: 'm2' });

const events = (n: number, shift: number): PaneEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    features: { x: i % 9 === 0 ? null : (i % 7) * 0.37 - shift, plan: ['a', 'b', 'c', 'b'][i % 4] },
    prediction: i % 3 === 0 ? '1' : '0',
    score: (i % 10) / 10,
  }));

/** A window closed with `n` events, as the batch stored it (its summary through JSON text). */
function queued(model: MonitoredModel, id: number, start: number, n = 60, shift = 0) {
  const factory = modelPaneFactory(model);
  const [first, second] = [factory.empty(), factory.empty()];
  events(n, shift).forEach((e, i) => (i % 2 === 0 ? first : second).update(e));
  const window = {
    start,
    end: start + SIZE,
    eventCount: n,
    lateEvents: 1,
    duplicateEvents: 2,
    summary: factory.empty().merge(first).merge(second),
  };
  const entry: PendingEvaluation = {
    id: String(id),
    modelId: model.modelId,
    windowStart: new Date(start),
    windowEnd: new Date(start + SIZE),
    closedAt: new Date(0),
    stored: {
      summary: JSON.parse(JSON.stringify(window.summary.toJSON())),
      closed: { eventCount: n, lateEvents: 1, duplicateEvents: 2, stateKey: model.stateKey },
      revision: 0,
    },
  };
  return { entry, window };
}

function setup(claimed: PendingEvaluation[], due = claimed.map((c) => c.id), parts: MockParts = {}) {
  const clock = new TestClock(T);
  const { performance, outcomes } = windowServices(clock);
  const metrics = new ServiceMetrics('monitor-test');
  const unit = unitOfWork({
    definitions: definitionsOf([m1, m2]),
    pendingEvaluations: {
      claim: jest.fn(async () => claimed),
      due: jest.fn(async () => new Set(due)),
      remove: jest.fn(async () => undefined),
    },
    modelLocks: { lock: jest.fn(async () => undefined) },
    performancePanes: { range: jest.fn(async () => []) },
    windows: { upsert: jest.fn(async () => undefined) },
    metrics: { upsert: jest.fn(async () => undefined) },
    ...parts,
  });
  const evaluator = new PendingWindowEvaluator(
    new ModelCatalog(clock, logger),
    performance,
    outcomes,
    logger,
    metrics,
  );
  return { unit, evaluator, metrics };
}

const upserted = (unit: ReturnType<typeof setup>['unit']): WindowResultRow[] =>
  (unit.windows.upsert as jest.Mock).mock.calls.flatMap(([rows]) => rows);

describe('PendingWindowEvaluator', () => {
  it('writes from the stored summary exactly the row and points of the window evaluated as it closed', async () => {
    const a = queued(m1, 1, T);
    const b = queued(m1, 2, T + SIZE, 80, 0.9);
    const { unit, evaluator } = setup([a.entry, b.entry]);
    const pass = await evaluator.evaluate(unit);

    const expected = [a, b].map((w) => evaluateWindow(m1, w.window, null));
    expect(upserted(unit)).toStrictEqual(expected.map((e) => e.row));
    const points = (unit.metrics.upsert as jest.Mock).mock.calls.flatMap(([p]) => p);
    expect(points).toStrictEqual(expected.flatMap((e) => e.points));
    expect(unit.pendingEvaluations.remove).toHaveBeenCalledWith(['1', '2']);
    expect(pass).toMatchObject({ claimed: 2, failed: [], deferred: 0 });
    expect(pass.written).toHaveLength(2);
    // the first evaluation of a process loads the distributions' code: slow on a loaded machine
  }, 60_000);

  it('reads the labels joined so far only once it holds the model lock, and writes after that', async () => {
    const { entry } = queued(m1, 1, T);
    const { unit, evaluator } = setup([entry]);
    await evaluator.evaluate(unit);
    const order = (mock: unknown) => (mock as jest.Mock).mock.invocationCallOrder[0];
    expect(unit.modelLocks.lock).toHaveBeenCalledWith(['m1']);
    expect(order(unit.modelLocks.lock)).toBeLessThan(order(unit.pendingEvaluations.due));
    expect(order(unit.pendingEvaluations.due)).toBeLessThan(order(unit.performancePanes.range));
    expect(order(unit.performancePanes.range)).toBeLessThan(order(unit.windows.upsert));
    expect(unit.performancePanes.range).toHaveBeenCalledWith('m1', new Date(T), new Date(T + SIZE));
  });

  it('leaves a window that is not due, and the later ones of its model, queued; other models go on', async () => {
    const first = queued(m1, 1, T);
    const second = queued(m1, 3, T + SIZE);
    const other = queued(m2, 2, T);
    const { unit, evaluator } = setup([first.entry, other.entry, second.entry], ['2', '3']);
    const pass = await evaluator.evaluate(unit);
    expect(upserted(unit).map((r) => r.modelId)).toEqual(['m2']);
    expect(unit.pendingEvaluations.remove).toHaveBeenCalledWith(['2']);
    expect(pass.deferred).toBe(2);
  });

  it('drops a window it cannot evaluate, then reports it; the rest of the model is written', async () => {
    const stale = queued(m1, 1, T);
    const stored = stale.entry.stored;
    if (stored === null || stored.closed === null) throw new Error('fixture');
    const changed = {
      ...stale.entry,
      stored: { ...stored, closed: { ...stored.closed, stateKey: 'ref-0/1/1' } },
    };
    const missing = { ...queued(m1, 2, T + SIZE).entry, stored: null };
    const good = queued(m1, 3, T + 2 * SIZE);
    const { unit, evaluator, metrics } = setup([changed, missing, good.entry], ['1', '3']);
    const pass = await evaluator.evaluate(unit);
    expect(upserted(unit).map((r) => r.windowStart.getTime())).toEqual([T + 2 * SIZE]);
    expect(unit.pendingEvaluations.remove).toHaveBeenCalledWith(['1', '2', '3']);
    expect(pass.failed.map((f) => f.error)).toEqual([
      'the model changed reference or window since the window closed',
      'no stored summary',
    ]);

    const error = jest.spyOn(logger, 'error');
    evaluator.report(pass);
    expect((await metrics.windowEvaluationFailures.get()).values[0].value).toBe(2);
    expect((await metrics.windowsEvaluated.get()).values.reduce((s, v) => s + v.value, 0)).toBe(1);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ modelId: 'm1', windowStart: new Date(T).toISOString() }),
      'window evaluation failed: window skipped',
    );
  });

  it('observes for each row written how long its window took to close, then to be evaluated', async () => {
    const end = T + SIZE;
    const { unit, evaluator, metrics } = setup([
      { ...queued(m1, 1, T).entry, closedAt: new Date(end + 1_200) },
      // queued before its end by the clocks' skew: no delay, not a negative one
      { ...queued(m2, 2, T).entry, closedAt: new Date(end - 300) },
      // not evaluated (no stored summary): not observed
      { ...queued(m1, 3, T + SIZE).entry, closedAt: new Date(end + 9_000), stored: null },
    ]);
    evaluator.report(await evaluator.evaluate(unit), new Date(end + 2_000));
    const figures = async (histogram: typeof metrics.windowCloseDelay) => {
      const values = (await histogram.get()).values;
      const of = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix))?.value;
      return { sum: of('_sum'), count: of('_count') };
    };
    expect(await figures(metrics.windowCloseDelay)).toEqual({ sum: 1.2, count: 2 });
    const evaluation = await figures(metrics.windowEvaluationDelay);
    expect(evaluation.count).toBe(2);
    expect(evaluation.sum).toBeCloseTo(0.8 + 2.3, 9);
  });

  it('claims nothing, locks nothing on an empty queue', async () => {
    const { unit, evaluator } = setup([]);
    expect(await evaluator.evaluate(unit)).toEqual({
      claimed: 0,
      written: [],
      failed: [],
      deferred: 0,
      closes: [],
    });
    expect(unit.modelLocks.lock).not.toHaveBeenCalled();
  });
});
