jest.setTimeout(300_000);

import { waitFor } from '@driftline/testing';
import { MonitorEnvironment, withoutEvaluation } from './monitor.harness';
import { differences } from './rows.compare';
import { checkMonitorSpec } from '@driftline/contracts';
import { interleave, syntheticModel, syntheticStream, type SyntheticStream } from './synthetic.events';

const WINDOW = { size: '10m', step: '5m', allowedLateness: '1m' };
const MODELS = Array.from({ length: 8 }, (_, i) => `model-${i}`);
const START = Date.UTC(2026, 0, 5, 8, 0, 0);
const PER_MODEL = 600;

const streams: SyntheticStream[] = MODELS.map((id, i) => syntheticStream(id, 100 + i, START, PER_MODEL));
const predictions = interleave(streams.map((s) => s.predictions));
const labels = interleave(streams.map((s) => s.labels));

async function prepare(): Promise<MonitorEnvironment> {
  const env = await MonitorEnvironment.create(6);
  for (const [i, id] of MODELS.entries()) {
    const model = syntheticModel(id, 10 + i, WINDOW);
    await env.registerModel(model.spec, model.profile, model.rows);
    // drift monitors only: what they see is fixed by the closed windows, whatever the batches
    for (const monitor of [
      {
        monitorId: `${id}-x`,
        metric: 'drifted',
        feature: 'x',
        op: '>=',
        threshold: 1,
        for: 2,
        retrain: true,
      },
      { monitorId: `${id}-share`, metric: 'drift_share', op: '>', threshold: 0.2, resolveAfter: 2 },
    ]) {
      const checked = checkMonitorSpec({ modelId: id, ...monitor });
      if (!checked.ok) throw new Error(checked.errors.join('; '));
      await env.db.monitors.create({
        monitorId: monitor.monitorId,
        modelId: id,
        spec: { ...checked.value },
        autoThreshold: null,
      });
    }
  }
  return env;
}

type Rows = Record<string, unknown>[];
interface RunRows {
  windows: Rows;
  metrics: Rows;
  alerts: Rows;
  outbox: Rows;
}

async function rowsOf(env: MonitorEnvironment): Promise<RunRows> {
  return {
    windows: await env.windowRows(),
    metrics: await env.metricRows(),
    alerts: await env.alertRows(),
    outbox: await env.outboxRows(),
  };
}

/** Each model's outbox events in order, topics without the run's prefix (models interleave differently). */
function outboxByModel(rows: Rows): Record<string, unknown[]> {
  const byModel: Record<string, unknown[]> = {};
  for (const { key, topic, payload } of rows) {
    (byModel[key as string] ??= []).push({
      topic: (topic as string).replace(/^.*?(driftline\.)/, '$1'),
      payload,
    });
  }
  return byModel;
}

/** Every row of `run` as in the baseline: windows, metrics, alerts, and each model's outbox events in order. */
function expectSameRows(run: RunRows, baseline: RunRows): void {
  expect(differences(run.windows, baseline.windows)).toEqual([]);
  expect(differences(run.metrics, baseline.metrics)).toEqual([]);
  expect(differences(run.alerts, baseline.alerts)).toEqual([]);
  expect(outboxByModel(run.outbox)).toEqual(outboxByModel(baseline.outbox));
}

/** Sends the events in chunks, predictions and their labels by turns, as a live system would. */
async function send(env: MonitorEnvironment, onChunk?: (index: number) => Promise<void>): Promise<void> {
  const chunks = 6;
  for (let c = 0; c < chunks; c++) {
    const slice = <T>(all: T[]) =>
      all.slice(Math.floor((all.length * c) / chunks), Math.floor((all.length * (c + 1)) / chunks));
    await env.produce('predictions', slice(predictions));
    await env.produce('groundTruth', slice(labels));
    await onChunk?.(c);
  }
}

async function storedOffsets(env: MonitorEnvironment): Promise<number> {
  const group = `${env.prefix}driftline-monitor`;
  const rows = await env.db.offsets.findAll(group, env.topics.predictions);
  return rows.reduce((sum, r) => sum + Number(r.nextOffset), 0);
}

describe('monitor: crash and rebalance give the rows of an uninterrupted run', () => {
  let baseline: RunRows;
  const envs: MonitorEnvironment[] = [];

  afterAll(async () => {
    for (const env of envs) await env.close();
  });

  beforeAll(async () => {
    const env = await prepare();
    envs.push(env);
    await env.startMonitor();
    await send(env);
    await env.waitUntilConsumed();
    baseline = await rowsOf(env);
  });

  it('the uninterrupted run fired drift alerts, one retrain trigger per episode, and relayed them to Kafka', async () => {
    const fired = baseline.alerts.filter((a) => a.monitor_id === 'model-0-x');
    expect(fired.length).toBeGreaterThan(0);
    const events = baseline.outbox.filter((o) => (o.topic as string).endsWith('driftline.alerts.v1'));
    const triggers = baseline.outbox.filter((o) =>
      (o.topic as string).endsWith('driftline.retrain-triggers.v1'),
    );
    const firingX = events.filter((e) => {
      const payload = e.payload as { status: string; monitorId: string };
      return payload.status === 'firing' && payload.monitorId.endsWith('-x');
    });
    expect(triggers.length).toBe(firingX.length);
    const [relayed] = envs;
    await waitFor(
      async () => (await relayed.query('SELECT 1 FROM outbox WHERE sent_at IS NULL')).length === 0,
      {
        timeoutMs: 30_000,
        message: 'outbox relayed',
      },
    );
  });

  it('the uninterrupted run evaluated windows with drift, estimates and performance', () => {
    expect(baseline.windows.length).toBeGreaterThan(MODELS.length * 5);
    const results = baseline.windows.map((w) => w.result as Record<string, unknown>);
    expect(results.every((r) => 'estimated' in r && 'drift' in r)).toBe(true);
    expect(results.some((r) => 'performance' in r)).toBe(true);
    expect(results.some((r) => (r.lateEvents as number) > 0)).toBe(true);
  });

  /** Runs `instances` monitors, SIGKILLs the first once it committed part of the stream, and waits for the end. */
  async function killMidStream(instances: number, restart: boolean): Promise<MonitorEnvironment> {
    const env = await prepare();
    envs.push(env);
    const first = await env.startMonitor();
    for (let i = 1; i < instances; i++) await env.startMonitor();
    let committedAtKill = 0;
    await send(env, async (chunk) => {
      if (chunk !== 2) return;
      committedAtKill = await waitFor(async () => storedOffsets(env), {
        timeoutMs: 60_000,
        message: 'first batches committed',
      });
      await first.kill('SIGKILL');
      if (restart) await env.startMonitor();
    });
    expect(committedAtKill).toBeLessThan(predictions.length);
    await env.waitUntilConsumed();
    return env;
  }

  it('SIGKILL mid-stream and a restart', async () => {
    const env = await killMidStream(1, true);
    expectSameRows(await rowsOf(env), baseline);
  });

  it('SIGKILL after batches that closed windows committed, before any evaluation: a restart writes each row once', async () => {
    const env = await prepare();
    envs.push(env);
    const paused = await env.startMonitor(withoutEvaluation());
    await send(env);
    await env.waitUntilCommitted();
    // every window closed and queued (the last ones close by watermark only with later events)
    const pending = await env.pendingEvaluations();
    expect(pending).toBeGreaterThan(MODELS.length * 5);
    expect(await env.windowRows()).toEqual([]);
    expect(await env.alertRows()).toEqual([]);
    await waitFor(
      async () => (await env.metric(paused, 'driftline_windows_pending_evaluation')) === pending,
      { timeoutMs: 10_000, message: 'the backlog on /metrics' },
    );
    await paused.kill('SIGKILL');

    await env.startMonitor();
    await env.waitUntilEvaluated();
    const run = await rowsOf(env);
    expect(run.windows).toHaveLength(baseline.windows.length);
    expectSameRows(run, baseline);
  });

  it('two instances in one group, one SIGKILLed mid-stream', async () => {
    const env = await killMidStream(2, false);
    expectSameRows(await rowsOf(env), baseline);
  });
});
