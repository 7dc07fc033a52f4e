import { GroundTruthFactory, PredictionFactory } from '../../../test/factories/event.factory';
import {
  decodeEvent,
  validateAlertEvent,
  validateDeadLetterRecord,
  validateGroundTruthEvent,
  validatePredictionEvent,
  validateRetrainTriggerEvent,
} from './event.validator';

describe('validatePredictionEvent', () => {
  it('accepts a complete event and returns it', () => {
    const event = PredictionFactory.create({ tags: { region: 'eu' } });
    expect(validatePredictionEvent(event)).toEqual({ ok: true, value: event });
  });

  it('accepts multi-class scores and a string prediction', () => {
    const { score: _score, ...event } = PredictionFactory.create({ prediction: 'cat' });
    expect(validatePredictionEvent({ ...event, scores: { cat: 0.7, dog: 0.3 } }).ok).toBe(true);
  });

  it('accepts a timestamp with a numeric offset', () => {
    const event = PredictionFactory.create({ timestamp: '2024-05-01T14:00:00.123+02:00' });
    expect(validatePredictionEvent(event).ok).toBe(true);
  });

  it('reports every problem of an event, each with its path', () => {
    const result = validatePredictionEvent({
      modelId: 'churn model',
      timestamp: '2024-05-01',
      features: { age: [1], '': 2 },
      prediction: { label: 1 },
      score: 1.5,
      scores: { a: 1 },
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.sort()).toEqual(
      [
        '/eventId is required',
        '/modelVersion is required',
        '/predictionId is required',
        "(root) has unknown property 'extra'",
        '/modelId must match pattern "^[A-Za-z0-9][A-Za-z0-9._:-]*$"',
        '/timestamp must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z',
        "/features has an invalid property name ''",
        '/features/age must be of type number or string or boolean or null',
        '/prediction must be of type number or string',
        '/score must be <= 1',
        'score and scores are mutually exclusive',
      ].sort(),
    );
  });

  it('rejects a timestamp without a time zone', () => {
    const result = validatePredictionEvent(PredictionFactory.create({ timestamp: '2024-05-01T12:00:00' }));
    expect(result).toEqual({
      ok: false,
      errors: ['/timestamp must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z'],
    });
  });

  it('rejects a non-object', () => {
    expect(validatePredictionEvent([1])).toEqual({ ok: false, errors: ['(root) must be of type object'] });
  });
});

describe('validateGroundTruthEvent', () => {
  it('accepts a label event', () => {
    expect(validateGroundTruthEvent(GroundTruthFactory.create({ label: 'yes' })).ok).toBe(true);
  });

  it('rejects a boolean label and a missing predictionId', () => {
    const { predictionId: _p, ...event } = GroundTruthFactory.create();
    const result = validateGroundTruthEvent({ ...event, label: true });
    expect(result).toEqual({
      ok: false,
      errors: ['/predictionId is required', '/label must be of type number or string'],
    });
  });
});

describe('validateAlertEvent', () => {
  const alert = {
    alertId: 'a-1',
    fingerprint: 'fp-1',
    status: 'firing',
    severity: 'critical',
    modelId: 'churn-model',
    monitorId: 'm-1',
    metric: 'psi',
    feature: 'age',
    value: 0.31,
    threshold: 0.2,
    windowStart: '2024-05-01T11:00:00Z',
    windowEnd: '2024-05-01T12:00:00Z',
    startsAt: '2024-05-01T12:00:05Z',
    endsAt: null,
    summary: 'PSI of age is 0.31 > 0.2',
    url: 'http://localhost:8080/models/churn-model',
  };

  it('accepts a firing alert', () => {
    expect(validateAlertEvent(alert).ok).toBe(true);
  });

  it('rejects an unknown status', () => {
    const result = validateAlertEvent({ ...alert, status: 'pending' });
    expect(result).toEqual({ ok: false, errors: ['/status must be equal to one of the allowed values'] });
  });
});

describe('validateRetrainTriggerEvent', () => {
  it('accepts a trigger and rejects duplicate alert ids', () => {
    const trigger = {
      triggerId: 't-1',
      modelId: 'churn-model',
      modelVersion: '1.0.0',
      reason: 'drift share above 0.5',
      alertIds: ['a-1', 'a-2'],
      windowStart: '2024-05-01T11:00:00Z',
      windowEnd: '2024-05-01T12:00:00Z',
      createdAt: '2024-05-01T12:00:05Z',
    };
    expect(validateRetrainTriggerEvent(trigger).ok).toBe(true);
    expect(validateRetrainTriggerEvent({ ...trigger, alertIds: ['a-1', 'a-1'] }).ok).toBe(false);
  });
});

describe('validateDeadLetterRecord', () => {
  it('requires at least one reason', () => {
    const record = {
      sourceTopic: 'driftline.predictions.v1',
      sourcePartition: 0,
      sourceOffset: '42',
      consumerGroup: 'driftline-monitor',
      key: 'churn-model',
      valueBase64: Buffer.from('{').toString('base64'),
      reasons: ['value is not valid JSON'],
      failedAt: '2024-05-01T12:00:05Z',
    };
    expect(validateDeadLetterRecord(record).ok).toBe(true);
    expect(validateDeadLetterRecord({ ...record, reasons: [] }).ok).toBe(false);
  });
});

describe('decodeEvent', () => {
  it('parses UTF-8 JSON and validates it', () => {
    const event = PredictionFactory.create();
    expect(decodeEvent(Buffer.from(JSON.stringify(event)), validatePredictionEvent)).toEqual({
      ok: true,
      value: event,
    });
  });

  it('reports malformed JSON and tombstones as reasons', () => {
    const broken = decodeEvent(Buffer.from('{"eventId":'), validatePredictionEvent);
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]).toMatch(/^value is not valid JSON/);
    expect(decodeEvent(null, validatePredictionEvent)).toEqual({
      ok: false,
      errors: ['record has no value (tombstone)'],
    });
  });
});
