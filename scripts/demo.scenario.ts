import type { GroundTruthEvent, ModelSpec, PredictionEvent } from '@driftline/contracts';
import { Random } from '../libs/stats/src/random';

export interface BikeRow {
  season: number;
  hr: number;
  workingday: number;
  weathersit: number;
  temp: number;
  hum: number;
  windspeed: number;
  cnt: number;
}

export interface DemoEvent {
  prediction: PredictionEvent;
  label: GroundTruthEvent;
}

/** One row of a reference upload (NDJSON): the features, and the model's output and the label. */
export type ReferenceRow = Record<string, string | number | boolean | null>;

const WEATHER = ['clear', 'mist', 'light_rain', 'heavy_rain'];

// Windows short enough for drift to show within minutes of starting the demo.
const DEMO_WINDOW = { size: '2m', step: '30s', allowedLateness: '10s', idleTimeout: '30s' };

/** The two demo models as registered through the control plane (PUT /v1/models/:id). */
export const DEMO_MODEL_SPECS: readonly ModelSpec[] = [
  {
    modelId: 'bike-demand',
    description: 'Demo: hourly bike rentals (UCI bike-sharing), regression; does not drift',
    task: 'regression',
    features: {
      season: 'categorical',
      hour: 'numeric',
      workingday: 'categorical',
      weather: 'categorical',
      temp: 'numeric',
      humidity: 'numeric',
      windspeed: 'numeric',
    },
    window: DEMO_WINDOW,
    labelHorizon: '1h',
  },
  {
    modelId: 'churn-classifier',
    description: 'Demo: synthetic churn scores, binary; drifts after --drift-after seconds',
    task: 'binary',
    positiveLabel: '1',
    features: {
      age: 'numeric',
      plan: 'categorical',
      tenure_months: 'numeric',
      income: 'numeric',
      has_support_ticket: 'categorical',
    },
    window: DEMO_WINDOW,
    labelHorizon: '1h',
  },
];

/** The demo model that drifts (after --drift-after seconds): the one `npm run demo` alerts on. */
export const DRIFTING_MODEL_ID = 'churn-classifier';

/** What the producer prints once a model is registered and its reference uploaded. */
export function referenceUploadedLine(
  modelId: string,
  registered: 'created' | 'updated',
  rows: number,
): string {
  return `demo: ${modelId} ${registered}, reference of ${rows} rows uploaded`;
}

/** The model a producer's line says is registered with its reference, if it says so. */
export function modelWithReference(line: string): string | undefined {
  return /^demo: (\S+) (?:created|updated), reference of \d+ rows uploaded$/.exec(line)?.[1];
}

/**
 * Two models: `bike-demand` (regression on rows of the UCI bike-sharing data, drawn at random) and
 * `churn-classifier` (binary, synthetic), which drifts once `drifting` is true: older customers,
 * more of the basic plan, more missing incomes, and a less accurate score.
 */
export class DemoScenario {
  private sequence = 0;

  constructor(
    private readonly random: Random,
    private readonly bikeRows: BikeRow[],
  ) {}

  bikeEvent(at: Date): DemoEvent {
    const row = this.bikeRows[this.random.int(this.bikeRows.length)];
    const predicted = Math.max(0, Math.round(row.cnt * this.random.normal(1, 0.15)));
    return this.pair(at, 'bike-demand', '2024.05', {
      features: {
        season: row.season,
        hour: row.hr,
        workingday: row.workingday === 1,
        weather: WEATHER[row.weathersit - 1] ?? null,
        temp: row.temp,
        humidity: row.hum,
        windspeed: row.windspeed,
      },
      prediction: predicted,
      label: row.cnt,
    });
  }

  churnEvent(at: Date, drifting: boolean): DemoEvent {
    const r = this.random;
    const age = Math.round(r.normal(drifting ? 52 : 38, 9));
    const plan = r.uniform() < (drifting ? 0.7 : 0.35) ? 'basic' : r.bernoulli(0.6) ? 'pro' : 'enterprise';
    const tenure = Math.max(0, Math.round(r.normal(drifting ? 8 : 24, 6)));
    const income = r.bernoulli(drifting ? 0.25 : 0.03) ? null : Math.round(r.normal(55_000, 12_000));
    const risk =
      1 / (1 + Math.exp(-(-1.2 + (plan === 'basic' ? 0.9 : 0) - tenure * 0.05 + (age - 40) * 0.02)));
    const churned = r.bernoulli(risk);
    const noise = drifting ? 0.35 : 0.1;
    const score = Math.min(1, Math.max(0, risk + r.normal(0, noise)));
    return this.pair(at, 'churn-classifier', '3.1.0', {
      features: { age, plan, tenure_months: tenure, income, has_support_ticket: r.bernoulli(0.2) },
      prediction: score >= 0.5 ? 1 : 0,
      score,
      label: churned ? 1 : 0,
    });
  }

  /**
   * `count` rows of the model's undrifted distribution as a reference: the event's features, its
   * prediction and score, and its label as `target` (so calibration and PCA are fitted on them).
   */
  reference(modelId: string, count: number): ReferenceRow[] {
    const at = new Date(0);
    return Array.from({ length: count }, () => {
      const { prediction, label } =
        modelId === 'bike-demand' ? this.bikeEvent(at) : this.churnEvent(at, false);
      return {
        ...prediction.features,
        prediction: prediction.prediction,
        ...(prediction.score === undefined ? {} : { score: prediction.score }),
        target: label.label,
      };
    });
  }

  private pair(
    at: Date,
    modelId: string,
    modelVersion: string,
    body: { features: PredictionEvent['features']; prediction: number; score?: number; label: number },
  ): DemoEvent {
    this.sequence++;
    const predictionId = `${modelId}-${at.getTime()}-${this.sequence}`;
    const prediction: PredictionEvent = {
      eventId: `p-${predictionId}`,
      modelId,
      modelVersion,
      predictionId,
      timestamp: at.toISOString(),
      features: body.features,
      prediction: body.prediction,
      ...(body.score === undefined ? {} : { score: Number(body.score.toFixed(4)) }),
    };
    const label: GroundTruthEvent = {
      eventId: `g-${predictionId}`,
      modelId,
      predictionId,
      timestamp: at.toISOString(),
      label: body.label,
    };
    return { prediction, label };
  }
}
