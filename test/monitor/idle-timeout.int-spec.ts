jest.setTimeout(120_000);

import { waitFor } from '@driftline/testing';
import { MonitorEnvironment } from './monitor.harness';
import { syntheticModel, syntheticStream } from './synthetic.events';

const MODEL = 'quiet';
const T = Date.UTC(2026, 5, 1, 9, 0, 0);

describe('monitor: a model that goes quiet', () => {
  let env: MonitorEnvironment;

  beforeAll(async () => {
    env = await MonitorEnvironment.create(1);
    const model = syntheticModel(MODEL, 5, {
      size: '1m',
      step: '1m',
      allowedLateness: '0s',
      idleTimeout: '2s',
    });
    await env.registerModel(model.spec, model.profile, model.rows);
  });

  afterAll(() => env.close());

  it('has its last window closed by wall-clock time, with no later event', async () => {
    await env.startMonitor();
    // 30 events in [T, T+1m): no event of a later minute ever moves the watermark past T+1m
    const events = syntheticStream(MODEL, 6, T, 30).predictions.map((p, i) => ({
      ...p,
      timestamp: new Date(T + i * 2_000).toISOString(),
    }));
    await env.produce('predictions', events);
    await env.waitUntilConsumed();
    const rows = await waitFor(
      async () => {
        const all = await env.windowRows();
        return all.length > 0 ? all : undefined;
      },
      { timeoutMs: 60_000, message: 'the idle window' },
    );
    expect(rows.map((r) => [(r.window_start as Date).getTime(), Number(r.event_count)])).toEqual([[T, 30]]);
  });
});
