import type { ModelSpec, PredictionEvent } from '@driftline/contracts';
import { Random } from '@driftline/stats';

export const NUMERIC_FEATURES = Array.from({ length: 20 }, (_, i) => `n${String(i).padStart(2, '0')}`);
export const CATEGORICAL_FEATURES = Array.from({ length: 5 }, (_, i) => `c${i}`);
const CATEGORIES = ['a', 'b', 'c', 'd', 'e'];
/** Features whose live distribution is shifted from the reference, so some drift results are positive. */
const SHIFTED = new Set(['n00', 'n01', 'c0']);

interface ModelShape {
  modelId: string;
  means: number[];
  sds: number[];
  /** Cumulative category shares per categorical feature. */
  cumulative: number[][];
}

/** Window of every bench model: 12 panes of 10 s, so a window closes every 10 s of event time. */
export const BENCH_WINDOW: ModelSpec['window'] = { size: '2m', step: '10s', allowedLateness: '0s' };
export const BENCH_STEP_MS = 10_000;

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

function cumulativeShares(rng: Random): number[] {
  const weights = CATEGORIES.map(() => rng.between(0.2, 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
}

function pick(cumulative: number[], u: number): string {
  for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]) return CATEGORIES[i];
  return CATEGORIES[CATEGORIES.length - 1];
}

/**
 * Seeded prediction events for `models` models with 20 numeric and 5 categorical features each,
 * and their reference rows: the same distributions, except n00, n01 (mean + 0.5 sd) and c0
 * (categories rotated) in the live events.
 */
export class BenchDataset {
  readonly models: ModelShape[];
  private readonly rng: Random;
  private sequence = 0;

  constructor(
    modelCount: number,
    private readonly seed: number,
  ) {
    this.models = Array.from({ length: modelCount }, (_, m) => {
      const rng = new Random(seed * 1000 + m);
      return {
        modelId: `bench-m${String(m).padStart(3, '0')}`,
        means: NUMERIC_FEATURES.map(() => round4(rng.between(-5, 5))),
        sds: NUMERIC_FEATURES.map(() => round4(rng.between(0.5, 3))),
        cumulative: CATEGORICAL_FEATURES.map(() => cumulativeShares(rng)),
      };
    });
    this.rng = new Random(seed);
  }

  get modelIds(): string[] {
    return this.models.map((m) => m.modelId);
  }

  spec(modelId: string): ModelSpec {
    const features: Record<string, 'numeric' | 'categorical'> = {};
    for (const f of NUMERIC_FEATURES) features[f] = 'numeric';
    for (const f of CATEGORICAL_FEATURES) features[f] = 'categorical';
    return { modelId, description: 'npm run bench', window: BENCH_WINDOW, features };
  }

  /** The next event of the stream: a model drawn uniformly, its features drawn from the live distributions. */
  next(timestampMs: number): PredictionEvent {
    const model = this.models[this.rng.int(this.models.length)];
    const n = this.sequence++;
    const features = this.features(model, this.rng, true);
    return {
      eventId: `e${this.seed}-${n}`,
      modelId: model.modelId,
      modelVersion: 'v1',
      predictionId: `p${this.seed}-${n}`,
      timestamp: new Date(timestampMs).toISOString(),
      features,
      prediction: round4(this.rng.uniform()),
    };
  }

  /** `rows` reference rows of a model as CSV (header first), from a stream of its own. */
  referenceCsv(modelIndex: number, rows: number): string {
    const model = this.models[modelIndex];
    const rng = new Random(this.seed * 7919 + modelIndex);
    const header = [...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES, 'prediction'];
    const lines = [header.join(',')];
    for (let r = 0; r < rows; r++) {
      const features = this.features(model, rng, false);
      lines.push(
        [...header.slice(0, -1).map((h) => String(features[h])), String(round4(rng.uniform()))].join(','),
      );
    }
    return `${lines.join('\n')}\n`;
  }

  private features(model: ModelShape, rng: Random, live: boolean): Record<string, number | string> {
    const features: Record<string, number | string> = {};
    NUMERIC_FEATURES.forEach((name, i) => {
      const shift = live && SHIFTED.has(name) ? 0.5 * model.sds[i] : 0;
      features[name] = round4(rng.normal(model.means[i] + shift, model.sds[i]));
    });
    CATEGORICAL_FEATURES.forEach((name, i) => {
      const u = rng.uniform();
      features[name] =
        live && SHIFTED.has(name) ? pick(model.cumulative[i], (u + 0.3) % 1) : pick(model.cumulative[i], u);
    });
    return features;
  }
}
