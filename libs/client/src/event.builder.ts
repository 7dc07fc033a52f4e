import { randomUUID } from 'node:crypto';
import {
  validateGroundTruthEvent,
  validatePredictionEvent,
  type ValidationResult,
} from '@driftline/contracts';
import type { EventKind, EventOfKind, GroundTruthInput, PredictionInput } from './event.kinds';

const VALIDATORS: { [K in EventKind]: (input: unknown) => ValidationResult<EventOfKind[K]> } = {
  prediction: validatePredictionEvent,
  groundTruth: validateGroundTruthEvent,
};

/** Checks a complete event against its v1 schema. */
export function validateEvent<K extends EventKind>(
  kind: K,
  input: unknown,
): ValidationResult<EventOfKind[K]> {
  return VALIDATORS[kind](input);
}

/** The v1 event of `input`: a random eventId and the current time where left out, a Date as ISO text. */
export function buildEvent<K extends EventKind>(
  kind: K,
  input: K extends 'prediction' ? PredictionInput : GroundTruthInput,
  now: () => Date = () => new Date(),
): ValidationResult<EventOfKind[K]> {
  const { timestamp, eventId, ...rest } = input;
  const time = timestamp ?? now();
  return validateEvent(kind, {
    eventId: eventId ?? randomUUID(),
    ...rest,
    timestamp: time instanceof Date ? time.toISOString() : time,
  });
}
