import { strictMock } from '../../../test/utils/strict-mock';
import { testModel } from '../../../test/monitor/monitor.fixtures';
import {
  definitionsOf,
  logger,
  TestClock,
  unitOfWork,
  windowServices,
} from '../../../test/monitor/monitor.mocks';
import { ModelCatalog } from './model.catalog';
import { ModelRuntimes } from './model-runtime.registry';
import type { MonitorUnitOfWork } from './monitor.store';
import { SerialQueue } from './serial.queue';
import { WindowTicker, type MonitorTransactions } from './window.ticker';

const T = Date.UTC(2026, 0, 1, 12, 0);
const MINUTE = 60_000;
const model = testModel({
  task: undefined,
  window: { size: '10m', step: '5m', allowedLateness: '0s', idleTimeout: '1m' },
});

async function setup() {
  const clock = new TestClock(T + 2 * MINUTE);
  const runtimes = new ModelRuntimes(() => 'token');
  const queue = jest.fn(async () => undefined);
  const saveSummaries = jest.fn(async () => undefined);
  const unit: MonitorUnitOfWork = unitOfWork({
    modelLocks: { lock: jest.fn(async () => undefined) },
    pendingEvaluations: { add: queue },
    windowSummaries: { save: saveSummaries },
    definitions: definitionsOf([model]),
  });
  const runtime = await runtimes.acquire(unit, model);
  // two events, arrived at wall-clock T+2m; the watermark stays in the first pane
  for (const offset of [10_000, 20_000]) {
    runtime.tracker.add({
      value: { features: { x: 0.1, plan: 'a' }, prediction: '1', score: 0.5 },
      eventTime: T + offset,
      partition: 0,
      now: clock.now(),
    });
  }
  runtime.lastSeenAt = clock.now();
  await runtimes.persist(unit, runtime);
  const transaction = jest.fn(async (work: (tx: MonitorUnitOfWork) => Promise<unknown>) => work(unit));
  const transactions = strictMock<MonitorTransactions>({
    transaction: transaction as MonitorTransactions['transaction'],
  });
  const ticker = new WindowTicker(
    new ModelCatalog(clock, logger),
    runtimes,
    windowServices(clock).windows,
    transactions,
    new SerialQueue(),
    clock,
    logger,
  );
  // the same stored state seen by another consumer of the process, which holds no model
  const elsewhere = new ModelRuntimes(() => 'token');
  const discoverer = new WindowTicker(
    new ModelCatalog(clock, logger),
    elsewhere,
    windowServices(clock).windows,
    transactions,
    new SerialQueue(),
    clock,
    logger,
  );
  return { clock, ticker, transaction, queue, saveSummaries, discoverer, elsewhere };
}

describe('WindowTicker', () => {
  it('opens no transaction while the model is within its idle timeout', async () => {
    const { clock, ticker, transaction } = await setup();
    clock.time += 30_000;
    expect(await ticker.tick()).toBe(0);
    expect(transaction).not.toHaveBeenCalled();
  });

  it('closes the windows of a model quiet for its idle timeout, in a transaction of its own', async () => {
    const { clock, ticker, transaction, queue, saveSummaries } = await setup();
    // idle watermark = now - lateness - idleTimeout must pass the first pane's end (T+5m)
    clock.time = T + 6 * MINUTE + 1;
    expect(await ticker.tick()).toBe(1);
    expect(transaction).toHaveBeenCalledTimes(1);
    // the window's merged summary is stored with its counts, and the window queued for evaluation
    const [[summaries]] = saveSummaries.mock.calls as unknown as [
      [
        {
          windowStart: Date;
          windowEnd: Date;
          summary: { columns: Record<string, { count: number }> };
          closed: { eventCount: number; stateKey: string };
        }[],
      ],
    ];
    expect(
      summaries.map((s) => [
        s.windowStart.getTime() - T,
        s.windowEnd.getTime() - T,
        s.summary.columns.x.count,
        s.closed.eventCount,
        s.closed.stateKey,
      ]),
    ).toEqual([[-5 * MINUTE, 5 * MINUTE, 2, 2, model.stateKey]]);
    expect(queue).toHaveBeenCalledWith([
      { modelId: model.modelId, windowStart: new Date(T - 5 * MINUTE), windowEnd: new Date(T + 5 * MINUTE) },
    ]);
  });

  it('discovers a stored model only once its last event is its idle timeout old', async () => {
    const { clock, discoverer, elsewhere } = await setup();
    // fed 59 s ago (by whoever holds it): not loaded a second time
    clock.time = T + 2 * MINUTE + 59_999;
    expect(await discoverer.discover()).toBe(0);
    expect(elsewhere.all()).toEqual([]);
    clock.time = T + 3 * MINUTE;
    expect(await discoverer.discover()).toBe(1);
    expect(elsewhere.all().map((r) => [r.model.modelId, r.tracker.livePanes])).toEqual([[model.modelId, 1]]);
  });
});
