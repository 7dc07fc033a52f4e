import { ServiceMetrics } from '@driftline/common';
import { strictMock } from '../../../test/utils/strict-mock';
import { testModel } from '../../../test/monitor/monitor.fixtures';
import {
  batch,
  definitionsOf,
  logger,
  prediction,
  TestClock,
  unitOfWork,
  windowServices,
  type MockParts,
} from '../../../test/monitor/monitor.mocks';
import { ModelCatalog } from './model.catalog';
import { ModelRuntimes } from './model-runtime.registry';
import type { MonitorUnitOfWork, PredictionLogPartitions } from './monitor.store';
import { PredictionPipeline } from './prediction.pipeline';
import type { ClosedWindowFacts, StoredWindowSummary } from '@driftline/db';

const T = Date.UTC(2026, 0, 1, 12, 0);
const model = testModel();

function pipeline(clock = new TestClock(1_000)) {
  const runtimes = new ModelRuntimes(() => 'token');
  const metrics = new ServiceMetrics('monitor-test');
  const { performance, windows } = windowServices(clock);
  const partitions = strictMock<PredictionLogPartitions>({
    ensurePartitions: jest.fn(async () => undefined),
  });
  const catalog = new ModelCatalog(clock, logger);
  return {
    metrics,
    runtimes,
    partitions,
    pipeline: new PredictionPipeline(catalog, runtimes, windows, performance, partitions, clock, metrics),
  };
}

function tx(parts: MockParts = {}): MonitorUnitOfWork {
  return unitOfWork({
    definitions: definitionsOf([model]),
    modelLocks: { lock: jest.fn(async () => undefined) },
    predictionLog: { append: jest.fn(async () => undefined) },
    pendingLabels: { take: jest.fn(async () => []) },
    performancePanes: { range: jest.fn(async () => []) },
    windowSummaries: { save: jest.fn(async () => undefined) },
    pendingEvaluations: { add: jest.fn(async () => undefined) },
    ...parts,
  });
}

/** The closed windows' summaries the batch stored, with their counts. */
function closedWindows(unit: MonitorUnitOfWork): (StoredWindowSummary & { closed: ClosedWindowFacts })[] {
  return (unit.windowSummaries.save as jest.Mock).mock.calls.flatMap(([s]) => s);
}

describe('PredictionPipeline', () => {
  it('only looks up an unknown model: no lock, no state, no write', async () => {
    const { pipeline: p } = pipeline();
    const unit = unitOfWork({ definitions: definitionsOf([model]) });
    await p.handle(batch([prediction('unknown', T, 'p1')]), unit);
    expect(unit.definitions.find).toHaveBeenCalledWith(['unknown'], []);
  });

  it('closes the windows the watermark passes, logs accepted predictions and counts late ones', async () => {
    const { pipeline: p, partitions, metrics } = pipeline();
    const unit = tx();
    const events = [
      prediction('m1', T + 1_000, 'p1'),
      prediction('m1', T + 2_000, 'p2'),
      prediction('m1', T + 301_000, 'p3'),
      prediction('m1', T + 601_000, 'p4'),
      prediction('m1', T + 3_000, 'late'),
    ];
    await p.handle(batch(events), unit);

    expect(partitions.ensurePartitions).toHaveBeenCalledTimes(1);
    expect(unit.modelLocks.lock).toHaveBeenCalledWith(['m1']);
    const closed = closedWindows(unit);
    expect(closed.map((w) => [w.windowStart.getTime() - T, w.closed.eventCount])).toEqual([
      [-300_000, 2],
      [0, 3],
    ]);
    const queued = (unit.pendingEvaluations.add as jest.Mock).mock.calls.flatMap(([w]) => w);
    expect(queued.map((w: { windowStart: Date }) => w.windowStart.getTime() - T)).toEqual([-300_000, 0]);
    const logged = (unit.predictionLog.append as jest.Mock).mock.calls.flatMap(([r]) => r);
    expect(logged.map((r: { predictionId: string }) => r.predictionId)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(unit.pendingLabels.take).toHaveBeenCalledWith('m1', ['p1', 'p2', 'p3', 'p4']);
    const stored = await unit.windowState.findByModel('m1');
    expect((stored[0].state as { tracker: { lateEvents: number } }).tracker.lateEvents).toBe(1);
    expect((await metrics.lateEvents.get()).values[0].value).toBe(1);
  });

  it('counts duplicates in the windows still open at their offset, and nowhere else', async () => {
    const { pipeline: p } = pipeline();
    const unit = tx();
    const p1 = prediction('m1', T + 1_000, 'p1');
    const all = batch([
      p1,
      p1, // a resend before the window [T − 5m, T + 5m) closes: counted there and in [T, T + 10m)
      prediction('m1', T + 301_000, 'p2'),
      p1, // after it closed: counted in [T, T + 10m) only
      prediction('m1', T + 601_000, 'p4'),
    ]);
    const duplicates = [all.records[1], all.records[3]];
    const fresh = { ...all, records: all.records.filter((r) => !duplicates.includes(r)) };
    await p.handle(fresh, unit, duplicates);

    expect(
      closedWindows(unit).map((w) => [
        w.windowStart.getTime() - T,
        w.closed.eventCount,
        w.closed.duplicateEvents,
      ]),
    ).toEqual([
      [-300_000, 1, 1],
      [0, 2, 2],
    ]);
    const logged = (unit.predictionLog.append as jest.Mock).mock.calls.flatMap(([r]) => r);
    expect(logged.map((r: { predictionId: string }) => r.predictionId)).toEqual(['p1', 'p2', 'p4']);
  });

  it('joins held labels to the predictions that just arrived', async () => {
    const { pipeline: p } = pipeline();
    const label = jest.fn(async () => ({
      labelled: [
        {
          modelId: 'm1',
          predictionId: 'p1',
          eventTime: new Date(T + 1_000),
          prediction: '1',
          score: 0.75,
          scores: null,
          label: '1',
        },
      ],
      unmatched: [],
    }));
    const save = jest.fn(async () => undefined);
    const unit = tx({
      predictionLog: { append: jest.fn(async () => undefined), label },
      pendingLabels: {
        take: jest.fn(async () => [
          { modelId: 'm1', predictionId: 'p1', label: '1', receivedAt: new Date(0), expiresAt: new Date(1) },
        ]),
      },
      performancePanes: { range: jest.fn(async () => []), save },
      windows: {
        upsert: jest.fn(async () => undefined),
        overlapping: jest.fn(async () => []),
      },
    });
    await p.handle(batch([prediction('m1', T + 1_000, 'p1')]), unit);
    expect(label).toHaveBeenCalledWith([
      { modelId: 'm1', predictionId: 'p1', label: '1', receivedAt: new Date(0), expiresAt: new Date(1) },
    ]);
    expect(save).toHaveBeenCalledWith([
      expect.objectContaining({ modelId: 'm1', paneStart: new Date(T), labelled: 1 }),
    ]);
  });

  it('forgets the touched models when the batch fails, so the next batch reloads them', async () => {
    const { pipeline: p, runtimes } = pipeline();
    const forget = jest.spyOn(runtimes, 'forget');
    const unit = tx({
      predictionLog: { append: jest.fn(async () => Promise.reject(new Error('disk full'))) },
    });
    await expect(p.handle(batch([prediction('m1', T, 'p1')]), unit)).rejects.toThrow('disk full');
    expect(forget).toHaveBeenCalledWith(['m1']);
    expect(runtimes.all()).toEqual([]);
  });
});
