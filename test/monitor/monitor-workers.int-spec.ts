jest.setTimeout(300_000);

import { waitFor } from '@driftline/testing';
import { MonitorEnvironment, type MonitorProcess } from './monitor.harness';
import { differences } from './rows.compare';
import { interleave, syntheticModel, syntheticStream } from './synthetic.events';

const WINDOW = { size: '10m', step: '5m', allowedLateness: '1m' };
const MODELS = Array.from({ length: 12 }, (_, i) => `workers-${i}`);
const START = Date.UTC(2026, 1, 11, 8, 0, 0);
const PER_MODEL = 300;
const streams = MODELS.map((id, i) => syntheticStream(id, 500 + i, START, PER_MODEL));
/** The first half of each model's predictions with their labels, then the rest. */
const index = (predictionId: string) => Number(predictionId.slice(predictionId.lastIndexOf('-p') + 2));
const phase = (first: boolean) => ({
  predictions: interleave(
    streams.map((s) => s.predictions.filter((p) => index(p.predictionId) < PER_MODEL / 2 === first)),
  ),
  labels: interleave(
    streams.map((s) => s.labels.filter((l) => index(l.predictionId) < PER_MODEL / 2 === first)),
  ),
});
const phases = [phase(true), phase(false)];
const total = (p: (typeof phases)[number]) => p.predictions.length + p.labels.length;
const TWO_WORKERS = { MONITOR_WORKERS: '2', LOG_LEVEL: 'info' };

async function prepare(): Promise<MonitorEnvironment> {
  const env = await MonitorEnvironment.create(6);
  for (const [i, id] of MODELS.entries()) {
    const model = syntheticModel(id, 70 + i, WINDOW);
    await env.registerModel(model.spec, model.profile, model.rows);
  }
  return env;
}

async function produce(env: MonitorEnvironment, p: (typeof phases)[number]): Promise<void> {
  await env.produce('predictions', p.predictions);
  await env.produce('groundTruth', p.labels);
}

const rowsOf = async (env: MonitorEnvironment) => ({
  windows: await env.windowRows(),
  metrics: await env.metricRows(),
});

const summed = async (env: MonitorEnvironment, metric: string): Promise<number> => {
  const [{ sum }] = (await env.query(
    `SELECT coalesce(sum(value), 0)::float8 AS sum FROM metric_points WHERE metric = $1`,
    [metric],
  )) as { sum: number }[];
  return sum;
};

/** The sum of a series over its labels in the monitor's /metrics. */
async function scraped(monitor: MonitorProcess, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${monitor.port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${series}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Each worker's latest assignment of `topic`, from its "partitions assigned" log lines. */
function assignments(monitor: MonitorProcess, topic: string): Map<number, number[]> {
  const latest = new Map<number, number[]>();
  for (const line of monitor.output().split('\n')) {
    if (!line.includes('"partitions assigned"')) continue;
    const entry = JSON.parse(line) as { worker?: number; assignment: Record<string, number[]> };
    if (entry.worker !== undefined) latest.set(entry.worker, entry.assignment[topic] ?? []);
  }
  return latest;
}

describe('monitor: two worker threads share the partitions of one process', () => {
  const envs: MonitorEnvironment[] = [];
  let baseline: Awaited<ReturnType<typeof rowsOf>>;

  afterAll(async () => {
    for (const env of envs) await env.close();
  });

  beforeAll(async () => {
    const env = await prepare();
    envs.push(env);
    await produce(env, phases[0]);
    await env.startMonitor({ MONITOR_WORKERS: '1' });
    await env.waitUntilConsumed();
    await produce(env, phases[1]);
    await env.waitUntilConsumed();
    baseline = await rowsOf(env);
  });

  it('each worker owns partitions, /metrics adds them up, SIGTERM commits, a restart counts the rest once', async () => {
    const env = await prepare();
    envs.push(env);
    await produce(env, phases[0]);
    // intervals longer than the test: only the graceful stop commits what the first process gathered
    const first = await env.startMonitor({ ...TWO_WORKERS, CONSUMER_COMMIT_INTERVAL_MS: '60000' });
    await waitFor(
      () => {
        const owned = [...assignments(first, env.topics.predictions).values()];
        const all = owned.flat().sort((a, b) => a - b);
        return owned.length === 2 && owned.every((p) => p.length > 0) && all.join() === '0,1,2,3,4,5';
      },
      { timeoutMs: 60_000, message: 'both workers hold partitions, together all six, none twice' },
    );
    await waitFor(async () => (await env.uncommittedRecords(first)) === total(phases[0]), {
      timeoutMs: 90_000,
      message: `both workers gathered every record (${total(phases[0])}) into open intervals`,
    });
    expect(await env.storedOffsets()).toBe(0);

    await first.kill('SIGTERM');
    expect(first.child.exitCode ?? first.child.signalCode).not.toBe(1);
    expect(await env.storedOffsets()).toBe(total(phases[0]));
    expect(await summed(env, 'prediction_count')).toBe(phases[0].predictions.length);

    await produce(env, phases[1]);
    const second = await env.startMonitor(TWO_WORKERS);
    await env.waitUntilConsumed();
    await waitFor(
      async () => (await scraped(second, 'driftline_events_consumed_total')) === total(phases[1]),
      {
        timeoutMs: 30_000,
        message: `/metrics counts the second phase's records over both workers (${total(phases[1])})`,
      },
    );
    expect(await summed(env, 'prediction_count')).toBe(
      phases[0].predictions.length + phases[1].predictions.length,
    );
    expect(await summed(env, 'label_count')).toBe(phases[0].labels.length + phases[1].labels.length);
    const rows = await rowsOf(env);
    expect(differences(rows.windows, baseline.windows)).toEqual([]);
    expect(differences(rows.metrics, baseline.metrics)).toEqual([]);
    expect(second.output()).toMatch(/"worker":1/);
  });

  it('a partition one worker holds back (CONSUMER_OFFSET_MISMATCH=fail): /readyz 503 names it', async () => {
    const env = await MonitorEnvironment.create(6);
    envs.push(env);
    await env.produce('predictions', phases[0].predictions.slice(0, 50));
    // offsets left by another broker's topic: past partition 4's end
    await env.db.offsets.save(`${env.prefix}driftline-monitor`, env.topics.predictions, 4, '100000', null);
    const monitor = await env.startMonitor({ MONITOR_WORKERS: '2', CONSUMER_OFFSET_MISMATCH: 'fail' });
    const body = await waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${monitor.port}/readyz`).catch(() => null);
        if (response?.status !== 503) return undefined;
        const answer = (await response.json()) as {
          error: { message: string; details: { problems?: string[] } };
        };
        return answer.error.details.problems === undefined ? undefined : answer.error;
      },
      { timeoutMs: 90_000, message: '/readyz answers 503 with the problem' },
    );
    expect(body.details.problems).toHaveLength(1);
    expect(body.message).toContain(`${env.topics.predictions} partition 4`);
    expect(body.message).toContain('stored offset 100000 is past the partition');
  });
});
