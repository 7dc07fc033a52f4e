import { WINDOWS_CLOSED_CHANNEL } from '@driftline/db';
import { logger } from '../../../../test/monitor/monitor.mocks';
import type { EvaluationPass, EvaluationTx } from './pending-window.evaluator';
import { WindowEvaluationLoop, type EvaluationStore } from './window-evaluation.loop';

const pass = (written: number, failed = 0, deferred = 0): EvaluationPass => ({
  claimed: written + failed + deferred,
  written: Array.from({ length: written }, () => ({}) as EvaluationPass['written'][number]),
  failed: Array.from({ length: failed }, () => ({}) as EvaluationPass['failed'][number]),
  deferred,
  closes: [],
});

function setup(passes: EvaluationPass[], lanes = 1) {
  let notify: () => void = () => undefined;
  const close = jest.fn(async () => undefined);
  const tx = {} as EvaluationTx;
  const store: EvaluationStore = {
    transaction: jest.fn(async (work) => work(tx)),
    listen: jest.fn((_channel: string, onNotify: () => void) => {
      notify = onNotify;
      return { close };
    }),
  };
  const queue = [...passes];
  const evaluator = {
    evaluate: jest.fn(async () => queue.shift() ?? pass(0)),
    report: jest.fn(),
  };
  // a poll too long to happen in a test: runs come from start and from notifications
  const loop = new WindowEvaluationLoop(store, evaluator, logger, 3_600_000, lanes);
  return { loop, store, evaluator, notify: () => notify(), close };
}

describe('WindowEvaluationLoop', () => {
  it('passes, each in a transaction of its own and reported, until one makes no progress', async () => {
    const { loop, store, evaluator } = setup([pass(32), pass(1, 1), pass(0, 0, 3), pass(5)]);
    expect(await loop.drain()).toBe(33);
    expect(store.transaction).toHaveBeenCalledTimes(3);
    expect(evaluator.report.mock.calls.map(([p]) => p.claimed)).toEqual([32, 2, 3]);
  });

  it('runs its lanes of passes side by side, each until one of its passes makes no progress', async () => {
    const { loop, evaluator } = setup([pass(32), pass(32), pass(4), pass(0), pass(0)], 2);
    let inFlight = 0;
    let most = 0;
    const shift = evaluator.evaluate.getMockImplementation() as () => Promise<EvaluationPass>;
    evaluator.evaluate.mockImplementation(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return shift();
    });
    expect(await loop.drain()).toBe(68);
    expect(most).toBe(2);
    // two lanes: 32 | 32, then 4 | nothing, then nothing: five passes
    expect(evaluator.evaluate).toHaveBeenCalledTimes(5);
  });

  it('drains at start, and again whenever a transaction that queued windows is notified', async () => {
    const { loop, store, evaluator, notify, close } = setup([pass(2)]);
    loop.start();
    expect(store.listen).toHaveBeenCalledWith(WINDOWS_CLOSED_CHANNEL, expect.any(Function));
    await waitUntil(() => evaluator.evaluate.mock.calls.length === 2);
    notify();
    await waitUntil(() => evaluator.evaluate.mock.calls.length === 3);
    await loop.stop();
    expect(close).toHaveBeenCalled();
  });

  it('finish stops listening, then drains what is queued, but no longer than its time', async () => {
    const { loop, evaluator, close } = setup([pass(3), pass(2), pass(4)]);
    loop.start();
    await waitUntil(() => evaluator.evaluate.mock.calls.length >= 1);
    let clock = 0;
    // each pass "takes" 10 ms of the clock: the third would start at the deadline
    evaluator.evaluate.mockImplementation(async () => {
      clock += 10;
      return pass(1);
    });
    const written = await loop.finish(20, () => clock);
    expect(close).toHaveBeenCalled();
    expect(written).toBe(2);
  });

  it('logs a pass that throws and keeps going at the next wake', async () => {
    const { loop, evaluator, notify } = setup([]);
    evaluator.evaluate.mockRejectedValueOnce(new Error('connection lost'));
    const error = jest.spyOn(logger, 'error');
    loop.start();
    await waitUntil(() => error.mock.calls.length === 1);
    expect(error).toHaveBeenCalledWith(
      { task: 'window evaluation', error: 'connection lost' },
      'window evaluation failed',
    );
    notify();
    await waitUntil(() => evaluator.evaluate.mock.calls.length === 2);
    await loop.stop();
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
