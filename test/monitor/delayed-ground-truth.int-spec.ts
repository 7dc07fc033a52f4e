jest.setTimeout(300_000);

import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import { binaryMetrics, Cbpe, ExpectedConfusion, type CbpeState } from '@driftline/stats';
import { waitFor } from '@driftline/testing';
import { MonitorEnvironment } from './monitor.harness';
import { differences } from './rows.compare';
import { syntheticModel, syntheticStream } from './synthetic.events';

const MODEL = 'late-labels';
const T = Date.UTC(2026, 3, 1, 12, 0, 0);
const MINUTE = 60_000;
const model = syntheticModel(MODEL, 7, { size: '10m', step: '5m', allowedLateness: '0s' });
// 241 predictions, one every 5 s from T: [T, T+10m) holds 0..119, [T+10m, T+20m) holds 120..239.
const predictions: PredictionEvent[] = syntheticStream(MODEL, 8, T, 241).predictions.map((p, i) => ({
  ...p,
  timestamp: new Date(T + i * 5_000).toISOString(),
}));
const labelOf = (p: PredictionEvent): GroundTruthEvent => ({
  eventId: `label-${p.predictionId}`,
  modelId: MODEL,
  predictionId: p.predictionId,
  timestamp: new Date(Date.parse(p.timestamp) + 86_400_000).toISOString(),
  // a label that disagrees with the prediction every fifth time, so the metrics are not trivial
  label: (Number(p.predictionId.split('-p')[1]) % 5 === 0) === (p.prediction === '1') ? '0' : '1',
});

interface Performance {
  labelledShare: number;
  metrics: Record<string, unknown>;
}
interface Result {
  eventCount: number;
  performance?: Performance;
  estimated?: { accuracy: number; precision: number; recall: number; f1: number; count: number };
}

function expected(labelled: PredictionEvent[]) {
  const labels = labelled.map(labelOf);
  return binaryMetrics(
    labels.map((l) => String(l.label)),
    {
      prediction: labelled.map((p) => String(p.prediction)),
      score: labelled.map((p) => p.score as number),
      positiveLabel: '1',
    },
  );
}

describe('monitor: performance with delayed ground truth, and the CBPE estimate before it', () => {
  let env: MonitorEnvironment;

  const windowResult = async (start: number, end: number): Promise<Result | undefined> => {
    const rows = await env.windowRows();
    const row = rows.find(
      (r) => (r.window_start as Date).getTime() === start && (r.window_end as Date).getTime() === end,
    );
    return row?.result as Result | undefined;
  };

  beforeAll(async () => {
    env = await MonitorEnvironment.create(3);
    await env.registerModel(model.spec, model.profile, model.rows);
    await env.startMonitor();
  });

  afterAll(() => env.close());

  it('writes the CBPE estimate of a window before any label', async () => {
    await env.produce('predictions', predictions.slice(0, 121));
    const result = await waitFor(() => windowResult(T, T + 10 * MINUTE), {
      timeoutMs: 120_000,
      message: 'window [T, T+10m)',
    });
    expect(result.performance).toBeUndefined();
    const cbpe = Cbpe.fromJSON((model.profile as { calibration: CbpeState }).calibration);
    const sums = new ExpectedConfusion();
    for (const p of predictions.slice(0, 120)) cbpe.update(sums, p.score as number, p.prediction === '1');
    const offline = sums.value();
    expect(result.estimated?.count).toBe(120);
    for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) {
      expect(result.estimated?.[metric]).toBeCloseTo(offline[metric], 12);
    }
  });

  it('labels after the window was evaluated rewrite its performance and labelled share', async () => {
    const labelled = predictions.slice(0, 120).filter((_, i) => i % 3 === 0);
    await env.produce('groundTruth', labelled.map(labelOf));
    const result = await waitFor(
      async () => {
        const r = await windowResult(T, T + 10 * MINUTE);
        return r?.performance?.labelledShare === 40 / 120 ? r : undefined;
      },
      { timeoutMs: 120_000, message: 'performance of [T, T+10m) with 40 labels' },
    );
    expect(differences(result.performance?.metrics, expected(labelled))).toEqual([]);

    // the window before overlaps the first pane only: 20 of its 60 predictions are labelled
    const before = await windowResult(T - 5 * MINUTE, T + 5 * MINUTE);
    expect(before?.performance?.labelledShare).toBe(20 / 60);
    expect(differences(before?.performance?.metrics, expected(labelled.slice(0, 20)))).toEqual([]);

    const points = (await env.query(
      `SELECT metric, value FROM metric_points WHERE model_id = $1 AND window_start = $2 AND window_end = $3
       AND metric IN ('labelled_share', 'accuracy', 'roc_auc')`,
      [MODEL, new Date(T), new Date(T + 10 * MINUTE)],
    )) as { metric: string; value: number }[];
    const byName = Object.fromEntries(points.map((p) => [p.metric, p.value]));
    const metrics = expected(labelled);
    expect(
      differences(byName, { labelled_share: 40 / 120, accuracy: metrics.accuracy, roc_auc: metrics.rocAuc }),
    ).toEqual([]);
  });

  it('labels that arrive before their predictions are held, then joined', async () => {
    const early = predictions.slice(121, 240).filter((_, i) => i % 2 === 0);
    await env.produce('groundTruth', early.map(labelOf));
    await waitFor(
      async () => {
        const [{ count }] = (await env.query(
          `SELECT count(*)::int AS count FROM pending_ground_truth WHERE model_id = $1`,
          [MODEL],
        )) as { count: number }[];
        return count === early.length;
      },
      { timeoutMs: 60_000, message: 'labels held' },
    );
    await env.produce('predictions', predictions.slice(121));
    const result = await waitFor(
      async () => {
        const r = await windowResult(T + 10 * MINUTE, T + 20 * MINUTE);
        return r?.performance ? r : undefined;
      },
      { timeoutMs: 120_000, message: 'window [T+10m, T+20m) with performance' },
    );
    expect(result.eventCount).toBe(120);
    expect(result.performance?.labelledShare).toBe(early.length / 120);
    expect(differences(result.performance?.metrics, expected(early))).toEqual([]);
    const [{ count }] = (await env.query(`SELECT count(*)::int AS count FROM pending_ground_truth`)) as {
      count: number;
    }[];
    expect(count).toBe(0);
  });
});
