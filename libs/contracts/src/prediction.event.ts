import { identifier, isoTimestamp, modelIdentifier, probability } from './schema.parts';

export type FeatureValue = number | string | boolean | null;

export interface PredictionEvent {
  /** Dedup key, unique per event. */
  eventId: string;
  modelId: string;
  modelVersion: string;
  /** Join key for the ground-truth event that may follow. */
  predictionId: string;
  /** Event time, ISO 8601 with offset. */
  timestamp: string;
  features: Record<string, FeatureValue>;
  prediction: number | string;
  /** Binary classifier: probability of the positive class. */
  score?: number;
  /** Multi-class classifier: probability per class. */
  scores?: Record<string, number>;
  tags?: Record<string, string>;
}

export const predictionEventSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/prediction-event.v1.json',
  title: 'PredictionEvent',
  type: 'object',
  additionalProperties: false,
  required: ['eventId', 'modelId', 'modelVersion', 'predictionId', 'timestamp', 'features', 'prediction'],
  properties: {
    eventId: identifier,
    modelId: modelIdentifier,
    modelVersion: identifier,
    predictionId: identifier,
    timestamp: isoTimestamp,
    features: {
      type: 'object',
      maxProperties: 1000,
      propertyNames: { minLength: 1, maxLength: 200 },
      additionalProperties: { type: ['number', 'string', 'boolean', 'null'] },
    },
    prediction: { type: ['number', 'string'] },
    score: probability,
    scores: { type: 'object', minProperties: 1, additionalProperties: probability },
    tags: {
      type: 'object',
      maxProperties: 50,
      additionalProperties: { type: 'string', maxLength: 500 },
    },
  },
  dependencies: { score: { not: { required: ['scores'] } } },
} as const;
