import type { GroundTruthEvent } from '@driftline/contracts';
import type { ValidBatch } from '@driftline/kafka';
import { GroundTruthFactory } from '../../../test/factories/event.factory';
import { testModel } from '../../../test/monitor/monitor.fixtures';
import {
  definitionsOf,
  logger,
  TestClock,
  unitOfWork,
  windowServices,
} from '../../../test/monitor/monitor.mocks';
import { GroundTruthPipeline } from './ground-truth.pipeline';
import { ModelCatalog } from './model.catalog';

const labels = (events: GroundTruthEvent[]): ValidBatch<GroundTruthEvent> => ({
  topic: 'ground-truth',
  partition: 0,
  records: events.map((value, i) => ({
    topic: 'ground-truth',
    partition: 0,
    offset: String(i),
    key: null,
    timestamp: '0',
    value,
  })),
});

function pipeline(clock: TestClock) {
  return new GroundTruthPipeline(
    new ModelCatalog(clock, logger),
    windowServices(clock).performance,
    clock,
    logger,
    {
      ttlMs: 60_000,
      maxPerModel: 5,
    },
  );
}

describe('GroundTruthPipeline', () => {
  it('leaves labels of a model without a task alone', async () => {
    const unit = unitOfWork({ definitions: definitionsOf([testModel({ task: undefined })]) });
    await pipeline(new TestClock(0)).handle(labels([GroundTruthFactory.create({ modelId: 'm1' })]), unit);
    expect(unit.definitions.find).toHaveBeenCalledWith(['m1'], []);
  });

  it('holds the labels whose prediction is not logged, with the TTL and bound', async () => {
    const held = GroundTruthFactory.create({ modelId: 'm1', predictionId: 'later', label: 1 });
    const hold = jest.fn(async () => 0);
    const unit = unitOfWork({
      definitions: definitionsOf([testModel()]),
      modelLocks: { lock: jest.fn(async () => undefined) },
      predictionLog: {
        label: jest.fn(async () => ({
          labelled: [],
          unmatched: [{ modelId: 'm1', predictionId: 'later', label: 1 }],
        })),
      },
      pendingLabels: { hold },
    });
    await pipeline(new TestClock(1_000_000)).handle(labels([held]), unit);
    expect(unit.modelLocks.lock).toHaveBeenCalledWith(['m1']);
    expect(hold).toHaveBeenCalledWith(
      [
        {
          modelId: 'm1',
          predictionId: 'later',
          label: 1,
          receivedAt: new Date(1_000_000),
          expiresAt: new Date(1_060_000),
        },
      ],
      5,
    );
  });

  it('rewrites the performance of the stored windows that hold the labelled prediction', async () => {
    const T = Date.UTC(2026, 0, 1, 12, 0);
    const patchPerformance = jest.fn(async () => undefined);
    const upsert = jest.fn(async () => undefined);
    const unit = unitOfWork({
      definitions: definitionsOf([testModel()]),
      modelLocks: { lock: jest.fn(async () => undefined) },
      predictionLog: {
        label: jest.fn(async () => ({
          labelled: [
            {
              modelId: 'm1',
              predictionId: 'p',
              eventTime: new Date(T + 1_000),
              prediction: '1',
              score: 0.9,
              scores: null,
              label: '0',
            },
          ],
          unmatched: [],
        })),
      },
      pendingLabels: { hold: jest.fn(async () => 0) },
      performancePanes: { range: jest.fn(async () => []), save: jest.fn(async () => undefined) },
      windows: {
        overlapping: jest.fn(async () => [
          {
            modelId: 'm1',
            windowStart: new Date(T - 300_000),
            windowEnd: new Date(T + 300_000),
            eventCount: 4,
            result: {} as never,
          },
          {
            modelId: 'm1',
            windowStart: new Date(T),
            windowEnd: new Date(T + 600_000),
            eventCount: 8,
            result: {} as never,
          },
        ]),
        patchPerformance,
      },
      metrics: { upsert },
    });
    await pipeline(new TestClock(0)).handle(
      labels([GroundTruthFactory.create({ modelId: 'm1', predictionId: 'p', label: 0 })]),
      unit,
    );
    expect(unit.windows.overlapping).toHaveBeenCalledWith('m1', new Date(T), new Date(T + 300_000), 600_000);
    expect(
      patchPerformance.mock.calls.map((c: unknown[]) => (c[3] as { labelledShare: number }).labelledShare),
    ).toEqual([1 / 4, 1 / 8]);
    const [performance] = (patchPerformance.mock.calls[0] as unknown[]).slice(3) as [
      { metrics: { accuracy: number; confusionMatrix: unknown } },
    ];
    expect(performance.metrics.accuracy).toBe(0);
    expect(performance.metrics.confusionMatrix).toEqual({ tp: 0, fp: 1, fn: 0, tn: 0 });
    expect(upsert).toHaveBeenCalledTimes(2);
  });
});
