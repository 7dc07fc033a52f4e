import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { alertEventSchema, type AlertEvent } from './alert.event';
import { DEAD_LETTER_PREFIXES } from './dead-letter.reason';
import { deadLetterRecordSchema, type DeadLetterRecord } from './dead-letter.record';
import { acceptsGroundTruthEvent, acceptsPredictionEvent } from './event.fast-path';
import { groundTruthEventSchema, type GroundTruthEvent } from './ground-truth.event';
import { predictionEventSchema, type PredictionEvent } from './prediction.event';
import { retrainTriggerEventSchema, type RetrainTriggerEvent } from './retrain-trigger.event';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };
export type EventValidator<T> = (input: unknown) => ValidationResult<T>;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv, ['date-time', 'uri']);

function describe(error: ErrorObject): string {
  const path = error.instancePath === '' ? '(root)' : error.instancePath;
  switch (error.keyword) {
    case 'required':
      return `${path === '(root)' ? '' : path}/${String(error.params.missingProperty)} is required`;
    case 'additionalProperties':
      return `${path} has unknown property '${String(error.params.additionalProperty)}'`;
    case 'type':
      return `${path} must be of type ${String(error.params.type).split(',').join(' or ')}`;
    case 'format':
      return error.params.format === 'date-time'
        ? `${path} must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z`
        : `${path} must be a valid ${String(error.params.format)}`;
    case 'not':
      return error.schemaPath === '#/dependencies/score/not'
        ? 'score and scores are mutually exclusive'
        : `${path} must not match ${error.schemaPath}`;
    case 'propertyNames':
      return `${path} has an invalid property name '${String(error.params.propertyName)}'`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/** An ajv validator for a v1 schema that reports every reason, each with its path. */
export function compile<T>(schema: object): EventValidator<T> {
  const check: ValidateFunction = ajv.compile(schema);
  return (input) => {
    if (check(input)) return { ok: true, value: input as T };
    const reasons = (check.errors ?? [])
      // a bad property name is reported twice: by the failing sub-keyword and by propertyNames
      .filter((e) => e.propertyName === undefined)
      .map(describe);
    return { ok: false, errors: [...new Set(reasons)] };
  };
}

/**
 * `validate` with a fast path: what `accepts` vouches for is valid without running `validate`, the
 * rest `validate` answers, reasons included. `accepts` may only say true where `validate` accepts.
 */
export function withFastPath<T>(
  accepts: (input: unknown) => input is T,
  validate: EventValidator<T>,
): EventValidator<T> {
  return (input) => (accepts(input) ? { ok: true, value: input } : validate(input));
}

// The consumers' hot path: a valid event costs a hand-written check, not ajv (npm run bench:validate).
export const validatePredictionEvent = withFastPath(
  acceptsPredictionEvent,
  compile<PredictionEvent>(predictionEventSchema),
);
export const validateGroundTruthEvent = withFastPath(
  acceptsGroundTruthEvent,
  compile<GroundTruthEvent>(groundTruthEventSchema),
);
export const validateAlertEvent = compile<AlertEvent>(alertEventSchema);
export const validateRetrainTriggerEvent = compile<RetrainTriggerEvent>(retrainTriggerEventSchema);
export const validateDeadLetterRecord = compile<DeadLetterRecord>(deadLetterRecordSchema);

/** Parses a Kafka record value (UTF-8 JSON) and validates it; a parse failure is one more reason. */
export function decodeEvent<T>(raw: Buffer | null, validate: EventValidator<T>): ValidationResult<T> {
  if (raw === null) return { ok: false, errors: [`${DEAD_LETTER_PREFIXES.tombstone} (tombstone)`] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { ok: false, errors: [`${DEAD_LETTER_PREFIXES.malformed_json}: ${(error as Error).message}`] };
  }
  return validate(parsed);
}
