import type { GroundTruthEvent, ModelSpec, PredictionEvent } from '@driftline/contracts';
import { buildReferenceProfile, Cbpe, PcaReconstruction, Random } from '@driftline/stats';

export interface SyntheticModel {
  spec: ModelSpec;
  profile: Record<string, unknown>;
  rows: number;
}

type Row = {
  x: number;
  y: number;
  plan: string;
  score: number;
  prediction: string;
  target: string;
};

const PLANS = ['basic', 'pro', 'team'];
const round = (v: number, digits: number) => Number(v.toFixed(digits));

function row(rng: Random, shift: number): Row {
  const x = round(rng.normal(shift, 1), 3);
  const y = round(0.6 * x + rng.normal(0, 0.8), 3);
  const plan = PLANS[Math.min(2, Math.floor(rng.uniform() * (3 - shift)))];
  const score = round(1 / (1 + Math.exp(-(x - 0.2 * y))), 4);
  return {
    x,
    y,
    plan,
    score,
    prediction: score >= 0.5 ? '1' : '0',
    target: rng.bernoulli(score) ? '1' : '0',
  };
}

/** A binary model with a reference of 600 rows, a CBPE calibration and a PCA model on x and y. */
export function syntheticModel(modelId: string, seed: number, window: ModelSpec['window']): SyntheticModel {
  const rng = new Random(seed);
  const rows = Array.from({ length: 600 }, () => row(rng, 0));
  const profile = buildReferenceProfile(rows, {
    prediction: 'prediction',
    score: 'score',
    target: 'target',
    types: { plan: 'categorical', prediction: 'categorical' },
  }).toJSON();
  const calibration = Cbpe.fit(
    rows.map((r) => r.score),
    rows.map((r) => (r.target === '1' ? 1 : 0)),
  ).toJSON();
  const pca = PcaReconstruction.fit(
    ['x', 'y'],
    rows.map((r) => [r.x, r.y]),
  ).toJSON();
  return {
    spec: {
      modelId,
      task: 'binary',
      window,
      methods: { x: 'ks', y: 'psi', plan: 'chisquare' },
      correction: 'bh',
    },
    profile: { ...profile, calibration, pca } as unknown as Record<string, unknown>,
    rows: rows.length,
  };
}

export interface SyntheticStream {
  predictions: PredictionEvent[];
  labels: GroundTruthEvent[];
}

/**
 * `count` predictions of a model, one every 5 s of event time from `start` (some up to 90 s out of
 * order, so a few are late), drifting in x after the first half; labels for 60% of them.
 */
export function syntheticStream(
  modelId: string,
  seed: number,
  start: number,
  count: number,
): SyntheticStream {
  const rng = new Random(seed);
  const predictions: PredictionEvent[] = [];
  const labels: GroundTruthEvent[] = [];
  for (let i = 0; i < count; i++) {
    const r = row(rng, i < count / 2 ? 0 : 1);
    const jitter = rng.uniform() < 0.05 ? -Math.floor(rng.uniform() * 90_000) : 0;
    const time = start + i * 5_000 + jitter;
    const predictionId = `${modelId}-p${i}`;
    predictions.push({
      eventId: `${modelId}-e${i}`,
      modelId,
      modelVersion: '1',
      predictionId,
      timestamp: new Date(time).toISOString(),
      features: { x: r.x, y: i % 50 === 0 ? null : r.y, plan: r.plan },
      prediction: r.prediction,
      score: r.score,
    });
    if (rng.uniform() < 0.6) {
      labels.push({
        eventId: `${modelId}-g${i}`,
        modelId,
        predictionId,
        timestamp: new Date(time + 3_600_000).toISOString(),
        label: r.target,
      });
    }
  }
  return { predictions, labels };
}

/** Events of several streams merged by position, as producers of different models would send them. */
export function interleave<T>(streams: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(...streams.map((s) => s.length));
  for (let i = 0; i < longest; i++) for (const s of streams) if (i < s.length) out.push(s[i]);
  return out;
}
