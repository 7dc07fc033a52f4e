import { binEdges, ReferenceProfile, type ReferenceProfileJSON } from '@driftline/stats';
import { waitFor } from '@driftline/testing';
import { MonitorEnvironment } from '../../../../test/monitor/monitor.harness';
import { syntheticModel, syntheticStream } from '../../../../test/monitor/synthetic.events';
import { MODEL_REFRESH_MS } from '../../../monitor/src/model.catalog';
import type { WindowResult } from '../../../monitor/src/window.result';
import { ModelsService } from '../models/models.service';
import { ReferencePinService } from './reference-pin.service';

jest.setTimeout(180_000);

const MODEL = 'pinned';
const T = Date.UTC(2026, 5, 1, 9, 0, 0);

describe('a window the monitor evaluated, pinned as the reference (real broker, monitor and Postgres)', () => {
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

  it('stores the window’s merged summary with its result, and a pin profiles the window from it', async () => {
    await env.startMonitor();
    const events = syntheticStream(MODEL, 6, T, 30).predictions.map((p, i) => ({
      ...p,
      timestamp: new Date(T + i * 2_000).toISOString(),
    }));
    await env.produce('predictions', events);
    await env.waitUntilConsumed();
    const [stored] = await waitFor(
      async () => {
        const rows = (await env.query(
          'SELECT window_start, window_end, summary FROM window_summaries WHERE model_id = $1',
          [MODEL],
        )) as {
          window_start: Date;
          window_end: Date;
          summary: { columns: Record<string, { count: number }> };
        }[];
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 60_000, message: 'the stored window summary' },
    );
    expect([stored.window_start.getTime(), stored.window_end.getTime()]).toEqual([T, T + 60_000]);
    expect(Object.keys(stored.summary.columns).sort()).toEqual(['plan', 'prediction', 'score', 'x', 'y']);
    expect(stored.summary.columns.x.count).toBe(30);
    // the evaluation loop wrote the window's result from it, with the uploaded reference's PCA
    await env.waitUntilEvaluated();
    const [first] = await env.windowRows();
    expect(Number(first.event_count)).toBe(30);
    expect((first.result as WindowResult).drift.multivariate).toBeDefined();

    const pins = new ReferencePinService(
      new ModelsService(env.db.models),
      env.db.references,
      env.db.windowSummaries,
    );
    const body = await pins.pin(MODEL, {
      windowStart: new Date(T).toISOString(),
      windowEnd: new Date(T + 60_000).toISOString(),
    });
    const xs = events.map((e) => Number(e.features.x));
    expect(body.rows).toBe(30);
    expect(body.features.x.edges).toEqual(binEdges(xs));
    expect(Object.keys(body.outputs).sort()).toEqual(['prediction', 'score']);

    const latest = await env.db.references.latest(MODEL);
    expect(latest!.id).toBe(body.referenceId);
    const profile = ReferenceProfile.fromJSON(latest!.profile as unknown as ReferenceProfileJSON);
    expect(profile.column('x').json.edges).toEqual(binEdges(xs));
    expect(profile.column('x').json.numeric!.binCounts.reduce((s, c) => s + c, 0)).toBe(30);

    // once its catalog refreshes, the monitor evaluates new windows against the pinned reference,
    // which has no PCA model (a window keeps no rows to fit one on)
    await new Promise((resolve) => setTimeout(resolve, MODEL_REFRESH_MS + 1_000));
    const later = T + 120_000;
    await env.produce(
      'predictions',
      syntheticStream(MODEL, 7, later, 30).predictions.map((p, i) => ({
        ...p,
        eventId: `${p.eventId}-later`,
        predictionId: `${p.predictionId}-later`,
        timestamp: new Date(later + i * 2_000).toISOString(),
      })),
    );
    const next = await waitFor(
      async () => (await env.windowRows()).find((r) => (r.window_start as Date).getTime() === later),
      { timeoutMs: 60_000, message: 'the window after the pin' },
    );
    expect(Number(next.event_count)).toBe(30);
    const result = next.result as WindowResult;
    expect(result.drift.multivariate).toBeUndefined();
    expect(result.drift.columns.map((c) => c.column).sort()).toEqual(['plan', 'x', 'y']);
  });
});
