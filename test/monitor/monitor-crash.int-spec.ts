jest.setTimeout(300_000);

import { waitFor } from '@driftline/testing';
import { MonitorEnvironment } from './monitor.harness';
import { differences } from './rows.compare';
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
  }
  return env;
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
  let baseline: { windows: Record<string, unknown>[]; metrics: Record<string, unknown>[] };
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
    baseline = { windows: await env.windowRows(), metrics: await env.metricRows() };
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
    expect(differences(await env.windowRows(), baseline.windows)).toEqual([]);
    expect(differences(await env.metricRows(), baseline.metrics)).toEqual([]);
  });

  it('two instances in one group, one SIGKILLed mid-stream', async () => {
    const env = await killMidStream(2, false);
    expect(differences(await env.windowRows(), baseline.windows)).toEqual([]);
    expect(differences(await env.metricRows(), baseline.metrics)).toEqual([]);
  });
});
