jest.setTimeout(300_000);

import { waitFor } from '@driftline/testing';
import { MonitorEnvironment, type MonitorProcess } from './monitor.harness';
import { differences } from './rows.compare';
import { interleave, syntheticModel, syntheticStream } from './synthetic.events';

const WINDOW = { size: '10m', step: '5m', allowedLateness: '1m' };
const MODELS = Array.from({ length: 6 }, (_, i) => `interval-${i}`);
const START = Date.UTC(2026, 1, 9, 8, 0, 0);
const streams = MODELS.map((id, i) => syntheticStream(id, 300 + i, START, 400));
const predictions = interleave(streams.map((s) => s.predictions));
const labels = interleave(streams.map((s) => s.labels));
const TOTAL = predictions.length + labels.length;
/** Longer than any of these tests: such an interval commits only at a stop, or never (SIGKILL). */
const NEVER = { CONSUMER_COMMIT_INTERVAL_MS: '60000' };

interface RunRows {
  windows: Record<string, unknown>[];
  metrics: Record<string, unknown>[];
  /** Labels still waiting for their prediction (those of late, uncounted predictions). */
  pending: Record<string, unknown>[];
}

/** A deployment with the models registered and every prediction and label already on the topics. */
async function prepare(): Promise<MonitorEnvironment> {
  const env = await MonitorEnvironment.create(6);
  for (const [i, id] of MODELS.entries()) {
    const model = syntheticModel(id, 40 + i, WINDOW);
    await env.registerModel(model.spec, model.profile, model.rows);
  }
  await env.produce('predictions', predictions);
  await env.produce('groundTruth', labels);
  return env;
}

const rowsOf = async (env: MonitorEnvironment): Promise<RunRows> => ({
  windows: await env.windowRows(),
  metrics: await env.metricRows(),
  pending: (await env.query(
    'SELECT model_id, prediction_id, label FROM pending_ground_truth ORDER BY model_id, prediction_id',
  )) as Record<string, unknown>[],
});

function expectSameRows(run: RunRows, baseline: RunRows): void {
  expect(differences(run.windows, baseline.windows)).toEqual([]);
  expect(differences(run.metrics, baseline.metrics)).toEqual([]);
  expect(run.pending).toEqual(baseline.pending);
}

/** Waits until `monitor` holds every record in open commit intervals, none of them in Postgres. */
async function gatheredAll(env: MonitorEnvironment, monitor: MonitorProcess): Promise<void> {
  await waitFor(async () => (await env.uncommittedRecords(monitor)) === TOTAL, {
    timeoutMs: 90_000,
    message: `every record gathered into open intervals (${TOTAL})`,
  });
  expect(await env.storedOffsets()).toBe(0);
}

const countedPredictions = async (env: MonitorEnvironment): Promise<number> => {
  const [{ sum }] = (await env.query(
    `SELECT coalesce(sum(value), 0)::float8 AS sum FROM metric_points WHERE metric = 'prediction_count'`,
  )) as { sum: number }[];
  return sum;
};

describe('monitor: commit intervals give the rows of per-fetch commits', () => {
  let baseline: RunRows;
  const envs: MonitorEnvironment[] = [];

  afterAll(async () => {
    for (const env of envs) await env.close();
  });

  beforeAll(async () => {
    const env = await prepare();
    envs.push(env);
    await env.startMonitor({ CONSUMER_COMMIT_INTERVAL_MS: '0' });
    await env.waitUntilConsumed();
    baseline = await rowsOf(env);
  });

  it('the per-fetch run evaluated windows with performance from the labels', () => {
    expect(baseline.windows.length).toBeGreaterThan(MODELS.length * 3);
    expect(baseline.windows.some((w) => 'performance' in (w.result as object))).toBe(true);
  });

  it('predictions and their labels in one interval, committed at a graceful stop, are joined', async () => {
    const env = await prepare();
    envs.push(env);
    const monitor = await env.startMonitor(NEVER);
    await gatheredAll(env, monitor);
    await monitor.kill('SIGTERM');
    // the graceful stop committed the intervals, then evaluated the windows they closed before exiting
    expect(await env.query(`SELECT count(*)::int AS n FROM pending_window_evaluations`)).toEqual([{ n: 0 }]);
    expectSameRows(await rowsOf(env), baseline);
    await env.waitUntilCommitted();
  });

  it('SIGKILL mid-interval, then a restart: every event counted exactly once', async () => {
    const env = await prepare();
    envs.push(env);
    const first = await env.startMonitor(NEVER);
    await gatheredAll(env, first);
    await first.kill('SIGKILL');
    await env.startMonitor();
    await env.waitUntilConsumed();
    expect(await countedPredictions(env)).toBe(predictions.length);
    expectSameRows(await rowsOf(env), baseline);
  });

  it('a second instance joining mid-interval: the rebalance drops the gathered records, rows as uninterrupted', async () => {
    const env = await prepare();
    envs.push(env);
    // commits 30 s after a fetch: the second instance joins long before, while all is uncommitted
    const first = await env.startMonitor({ CONSUMER_COMMIT_INTERVAL_MS: '30000' });
    await gatheredAll(env, first);
    await env.startMonitor();
    await env.waitUntilConsumed(180_000);
    expect(await countedPredictions(env)).toBe(predictions.length);
    expectSameRows(await rowsOf(env), baseline);
  });
});
