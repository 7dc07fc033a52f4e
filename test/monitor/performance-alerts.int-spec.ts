jest.setTimeout(300_000);

import { checkMonitorSpec, type GroundTruthEvent, type PredictionEvent } from '@driftline/contracts';
import { binaryMetrics } from '@driftline/stats';
import { waitFor } from '@driftline/testing';
import { MonitorEnvironment } from './monitor.harness';
import { syntheticModel, syntheticStream } from './synthetic.events';

const MODEL = 'perf-alerts';
const T = Date.UTC(2026, 4, 1, 12, 0, 0);
const MINUTE = 60_000;
const model = syntheticModel(MODEL, 11, { size: '10m', step: '10m', allowedLateness: '0s' });
// one prediction every 5 s: window [T, T+10m) holds 0..119; the 121st closes it
const predictions: PredictionEvent[] = syntheticStream(MODEL, 12, T, 121).predictions.map((p, i) => ({
  ...p,
  timestamp: new Date(T + i * 5_000).toISOString(),
}));
const flip = (label: string | number) => (String(label) === '1' ? '0' : '1');
/** A label that agrees with the prediction, or contradicts it. */
const labelOf = (p: PredictionEvent, right: boolean): GroundTruthEvent => ({
  eventId: `label-${p.predictionId}`,
  modelId: MODEL,
  predictionId: p.predictionId,
  timestamp: new Date(Date.parse(p.timestamp) + 3_600_000).toISOString(),
  label: right ? String(p.prediction) : flip(p.prediction),
});

describe('monitor: a performance monitor on late labels (real broker, Postgres and monitor process)', () => {
  let env: MonitorEnvironment;
  const alerts = () =>
    env.query(
      `SELECT id, status, value, starts_at, ends_at FROM alerts WHERE monitor_id = 'perf-accuracy'`,
    ) as Promise<{ id: string; status: string; value: number; starts_at: Date; ends_at: Date | null }[]>;
  const events = async () =>
    (
      (await env.query(`SELECT payload FROM outbox WHERE topic = $1 ORDER BY id`, [env.topics.alerts])) as {
        payload: { status: string; value: number; alertId: string };
      }[]
    ).map((r) => r.payload);
  const labelledShare = async () => {
    const [row] = (await env.query(
      `SELECT result FROM window_results WHERE model_id = $1 AND window_start = $2`,
      [MODEL, new Date(T)],
    )) as { result: { performance?: { labelledShare: number } } }[];
    return row?.result.performance?.labelledShare ?? 0;
  };

  beforeAll(async () => {
    env = await MonitorEnvironment.create(3);
    await env.registerModel(model.spec, model.profile, model.rows);
    const checked = checkMonitorSpec({
      monitorId: 'perf-accuracy',
      modelId: MODEL,
      metric: 'accuracy',
      op: '<',
      threshold: 0.7,
      minSamples: 30,
      severity: 'critical',
    });
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    await env.db.monitors.create({
      monitorId: 'perf-accuracy',
      modelId: MODEL,
      spec: { ...checked.value },
      autoThreshold: null,
    });
    await env.startMonitor();
    await env.produce('predictions', predictions);
    await waitFor(async () => (await env.windowRows()).length > 0, {
      timeoutMs: 120_000,
      message: 'window closed',
    });
  });

  afterAll(() => env.close());

  it('fires only once minSamples labels arrived, and resolves when accuracy recovers', async () => {
    const window = predictions.slice(0, 120);
    // 20 wrong labels: accuracy 0, but fewer than minSamples
    await env.produce(
      'groundTruth',
      window.slice(0, 20).map((p) => labelOf(p, false)),
    );
    await waitFor(async () => (await labelledShare()) === 20 / 120, {
      timeoutMs: 60_000,
      message: '20 labels',
    });
    expect(await alerts()).toEqual([]);

    // 20 more, half right: 40 labels, accuracy 10 / 40
    const second = window.slice(20, 40).map((p, i) => labelOf(p, i % 2 === 0));
    await env.produce('groundTruth', second);
    await waitFor(async () => (await labelledShare()) === 40 / 120, {
      timeoutMs: 60_000,
      message: '40 labels',
    });
    const [fired] = await waitFor(async () => ((await alerts()).length > 0 ? alerts() : null), {
      timeoutMs: 30_000,
      message: 'alert written',
    });
    expect(fired).toMatchObject({ status: 'firing', ends_at: null });
    expect(fired.value).toBeCloseTo(10 / 40, 12);
    expect(fired.starts_at.getTime()).toBe(T + 10 * MINUTE);

    // 80 right labels: accuracy (10 + 80) / 120 = 0.75, back above 0.7
    const third = window.slice(40, 120).map((p) => labelOf(p, true));
    await env.produce('groundTruth', third);
    await waitFor(async () => (await labelledShare()) === 1, { timeoutMs: 60_000, message: '120 labels' });
    const labels = [...window.slice(0, 20).map((p) => labelOf(p, false)), ...second, ...third];
    const expectedAccuracy = binaryMetrics(
      labels.map((l) => String(l.label)),
      { prediction: window.map((p) => String(p.prediction)), positiveLabel: '1' },
    ).accuracy;
    const [resolved] = await waitFor(
      async () => ((await alerts())[0]?.status === 'resolved' ? alerts() : null),
      { timeoutMs: 30_000, message: 'alert resolved' },
    );
    expect(resolved.id).toBe(fired.id);
    expect(resolved.value).toBeCloseTo(expectedAccuracy, 12);
    expect((await events()).map((e) => [e.status, e.alertId])).toEqual([
      ['firing', fired.id],
      ['resolved', fired.id],
    ]);
  });
});
