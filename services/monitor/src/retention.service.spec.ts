import { strictMock } from '../../../test/utils/strict-mock';
import { logger, TestClock } from '../../../test/monitor/monitor.mocks';
import {
  RetentionService,
  SEEN_EVENT_SWEEPS_PER_HORIZON,
  SEEN_EVENTS_BLOCKS,
  type RetentionStore,
} from './retention.service';

const NOW = Date.UTC(2026, 5, 30, 12, 0);
const DAY = 86_400_000;

function store(settings: Record<string, Record<string, unknown>>) {
  return {
    models: strictMock<RetentionStore['models']>({
      findAll: jest.fn(async () =>
        Object.entries(settings).map(([id, s]) => ({
          id,
          description: null,
          settings: s,
          createdAt: new Date(0),
          updatedAt: new Date(0),
        })),
      ),
    }),
    predictionLog: strictMock<RetentionStore['predictionLog']>({
      deleteBefore: jest.fn(async () => 0),
      dropPartitionsBefore: jest.fn(async () => ['prediction_log_20260501']),
    }),
    pendingLabels: strictMock<RetentionStore['pendingLabels']>({ expire: jest.fn(async () => 3) }),
    performancePanes: strictMock<RetentionStore['performancePanes']>({
      deleteBefore: jest.fn(async () => 0),
    }),
    windowSummaries: strictMock<RetentionStore['windowSummaries']>({
      deleteBefore: jest.fn(async () => 0),
    }),
    seenEvents: strictMock<RetentionStore['seenEvents']>({
      newest: jest.fn(async () => []),
      deleteBefore: jest.fn(async () => ({ deleted: 0, next: null })),
    }),
  };
}

describe('RetentionService', () => {
  it('deletes per model after its own label horizon and drops days older than the longest', async () => {
    const s = store({
      churn: {
        task: 'binary',
        window: { size: '1h', step: '5m', allowedLateness: '0s' },
        labelHorizon: '30d',
      },
      fraud: { task: 'binary', window: { size: '10m', step: '5m', allowedLateness: '0s' } },
      'drift-only': { window: { size: '1h', step: '5m', allowedLateness: '0s' } },
      'seen-in-events': {},
    });
    const outcome = await new RetentionService(s, new TestClock(NOW), logger, DAY).run();
    expect(outcome).toEqual({
      expiredLabels: 3,
      droppedPartitions: ['prediction_log_20260501'],
      forgottenEventIds: 0,
    });
    expect(s.pendingLabels.expire).toHaveBeenCalledWith(new Date(NOW));
    expect((s.predictionLog.deleteBefore as jest.Mock).mock.calls).toEqual([
      ['churn', new Date(NOW - 30 * DAY)],
      ['fraud', new Date(NOW - 7 * DAY)],
    ]);
    expect((s.performancePanes.deleteBefore as jest.Mock).mock.calls).toEqual([
      ['churn', new Date(NOW - 30 * DAY - 3_600_000)],
      ['fraud', new Date(NOW - 7 * DAY - 600_000)],
    ]);
    expect((s.windowSummaries.deleteBefore as jest.Mock).mock.calls).toEqual([
      ['churn', new Date(NOW - 30 * DAY)],
      ['fraud', new Date(NOW - 7 * DAY)],
      ['drift-only', new Date(NOW - 7 * DAY)],
    ]);
    expect(s.predictionLog.dropPartitionsBefore).toHaveBeenCalledWith(new Date(NOW - 31 * DAY));
  });

  it('forgets event ids older than the horizon before each model’s newest event time, but at most now', async () => {
    const s = store({});
    const HOUR = 3_600_000;
    (s.seenEvents.newest as jest.Mock).mockResolvedValue([
      { modelId: 'live', eventTime: new Date(NOW - HOUR) },
      { modelId: 'replayed', eventTime: new Date(NOW - 90 * DAY) },
      { modelId: 'stamped-ahead', eventTime: new Date(NOW + 365 * DAY) },
    ]);
    // the table has 2.5 block windows: three calls sweep it
    const sweep = [SEEN_EVENTS_BLOCKS, 2 * SEEN_EVENTS_BLOCKS, null];
    (s.seenEvents.deleteBefore as jest.Mock).mockImplementation(async (_cutoffs: unknown, from: number) => ({
      deleted: from === 0 ? 7 : 5,
      next: sweep[from / SEEN_EVENTS_BLOCKS],
    }));
    const clock = new TestClock(NOW);
    const retention = new RetentionService(s, clock, logger, 6 * HOUR);
    const outcome = await retention.run();
    expect(outcome.forgottenEventIds).toBe(17);
    const cutoffs = [
      { modelId: 'live', before: new Date(NOW - 7 * HOUR) },
      { modelId: 'replayed', before: new Date(NOW - 90 * DAY - 6 * HOUR) },
      { modelId: 'stamped-ahead', before: new Date(NOW - 6 * HOUR) },
    ];
    expect((s.seenEvents.deleteBefore as jest.Mock).mock.calls).toEqual([
      [cutoffs, 0, SEEN_EVENTS_BLOCKS],
      [cutoffs, SEEN_EVENTS_BLOCKS, SEEN_EVENTS_BLOCKS],
      [cutoffs, 2 * SEEN_EVENTS_BLOCKS, SEEN_EVENTS_BLOCKS],
    ]);

    // the next sweep comes a quarter horizon (1.5 h) later, not at the next run
    (s.seenEvents.deleteBefore as jest.Mock).mockClear();
    clock.time = NOW + HOUR;
    expect((await retention.run()).forgottenEventIds).toBe(0);
    expect(s.seenEvents.deleteBefore).not.toHaveBeenCalled();
    clock.time = NOW + (6 * HOUR) / SEEN_EVENT_SWEEPS_PER_HORIZON;
    expect((await retention.run()).forgottenEventIds).toBe(17);
  });
});
