import { identifier, isoTimestamp, modelIdentifier } from './schema.parts';

export interface RetrainTriggerEvent {
  /** Idempotency key: a receiver acts once per triggerId. */
  triggerId: string;
  modelId: string;
  modelVersion: string;
  reason: string;
  alertIds: string[];
  windowStart: string;
  windowEnd: string;
  createdAt: string;
}

export const retrainTriggerEventSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/retrain-trigger-event.v1.json',
  title: 'RetrainTriggerEvent',
  type: 'object',
  additionalProperties: false,
  required: [
    'triggerId',
    'modelId',
    'modelVersion',
    'reason',
    'alertIds',
    'windowStart',
    'windowEnd',
    'createdAt',
  ],
  properties: {
    triggerId: identifier,
    modelId: modelIdentifier,
    modelVersion: identifier,
    reason: { type: 'string', minLength: 1, maxLength: 2000 },
    alertIds: { type: 'array', items: identifier, uniqueItems: true },
    windowStart: isoTimestamp,
    windowEnd: isoTimestamp,
    createdAt: isoTimestamp,
  },
} as const;
