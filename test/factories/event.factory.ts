import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import { randomUUID } from 'node:crypto';

export const PredictionFactory = {
  create(overrides: Partial<PredictionEvent> = {}): PredictionEvent {
    const predictionId = overrides.predictionId ?? randomUUID();
    return {
      eventId: randomUUID(),
      modelId: 'churn-model',
      modelVersion: '1.0.0',
      predictionId,
      timestamp: '2024-05-01T12:00:30.000Z',
      features: { age: 42, plan: 'pro', active: true, income: null },
      prediction: 1,
      score: 0.8,
      ...overrides,
    };
  },
};

export const GroundTruthFactory = {
  create(overrides: Partial<GroundTruthEvent> = {}): GroundTruthEvent {
    return {
      eventId: randomUUID(),
      modelId: 'churn-model',
      predictionId: randomUUID(),
      timestamp: '2024-05-02T12:00:00.000Z',
      label: 1,
      ...overrides,
    };
  },
};
