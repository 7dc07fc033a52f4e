import { identifier, isoTimestamp, modelIdentifier } from './schema.parts';

export interface GroundTruthEvent {
  eventId: string;
  modelId: string;
  /** The predictionId of the PredictionEvent this label belongs to. */
  predictionId: string;
  /** When the true outcome became known, ISO 8601 with offset. */
  timestamp: string;
  label: number | string;
}

export const groundTruthEventSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/ground-truth-event.v1.json',
  title: 'GroundTruthEvent',
  type: 'object',
  additionalProperties: false,
  required: ['eventId', 'modelId', 'predictionId', 'timestamp', 'label'],
  properties: {
    eventId: identifier,
    modelId: modelIdentifier,
    predictionId: identifier,
    timestamp: isoTimestamp,
    label: { type: ['number', 'string'] },
  },
} as const;
