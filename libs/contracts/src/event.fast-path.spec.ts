import fc from 'fast-check';
import { GroundTruthFactory, PredictionFactory } from '../../../test/factories/event.factory';
import { acceptsGroundTruthEvent, acceptsPredictionEvent, isPlainDateTime } from './event.fast-path';
import {
  compile,
  decodeEvent,
  validateGroundTruthEvent,
  validatePredictionEvent,
  type ValidationResult,
} from './event.validator';
import { groundTruthEventSchema, type GroundTruthEvent } from './ground-truth.event';
import { predictionEventSchema, type PredictionEvent } from './prediction.event';

// The validators as they were before the fast path: ajv with allErrors and ajv-formats, alone.
const ajvPrediction = compile<PredictionEvent>(predictionEventSchema);
const ajvGroundTruth = compile<GroundTruthEvent>(groundTruthEventSchema);

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const withoutUndefined = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

/** What producers send: toISOString(), or the same instant at an offset, sometimes lowercase. */
const isoTimestamp = fc
  .tuple(
    fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('Z', 'z', '+00:00', '+05:30', '-08:00', '+0530', '+05', '-23:59'),
    fc.constantFrom('.sss', '', '.s', '.ssssss'),
    fc.boolean(),
  )
  .map(([date, zone, fraction, lower]) => {
    const iso = date.toISOString();
    const ms = iso.slice(20, 23);
    const frac = fraction === '' ? '' : `.${(ms + '000').slice(0, fraction.length - 1)}`;
    const text = `${iso.slice(0, 19)}${frac}${zone}`;
    return lower ? text.replace('T', 't') : text;
  });

/** Date-time-like strings, many of them just outside what ajv-formats accepts. */
const dateTimeLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2023, 2024, 2100)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(28, 29, 30, 31)),
    separator: fc.constantFrom('T', 'T', 't', ' ', '\u00a0', '\t', 'x', '', 'TT'),
    hour: fc.oneof(fc.integer({ min: 0, max: 25 }), fc.constant(23), fc.constant(24)),
    minute: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant(59)),
    second: fc.oneof(fc.integer({ min: 0, max: 61 }), fc.constantFrom(59, 60)),
    fraction: fc.oneof(
      fc.constant(''),
      fc.constant('.'),
      fc.stringMatching(/^\.[0-9]{1,22}$/),
      fc.constant('.99999999999999999'),
    ),
    zone: fc.oneof(
      fc.constantFrom(
        'Z',
        'z',
        '',
        '+00:00',
        '-00:00',
        '+05:30',
        '+0530',
        '+05',
        '+5:30',
        '+05:3',
        'Z ',
        'ZZ',
        '+',
      ),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 25 }),
          fc.constantFrom(':', ''),
          fc.integer({ min: 0, max: 61 }),
        )
        .map(([sign, h, colon, m]) => `${sign}${pad(h, 2)}${colon}${pad(m, 2)}`),
    ),
  })
  .map(
    (p) =>
      `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.separator}` +
      `${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction}${p.zone}`,
  );

/** A producer's timestamp with one character replaced. */
const mutatedTimestamp = fc
  .tuple(isoTimestamp, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), fc.boolean())
  .map(([s, at, c, insert]) => {
    const i = at % (s.length + 1);
    return `${s.slice(0, i)}${c}${s.slice(insert ? i : i + 1)}`;
  });

const timestamp = fc.oneof(
  { arbitrary: isoTimestamp, weight: 4 },
  { arbitrary: dateTimeLike, weight: 3 },
  { arbitrary: mutatedTimestamp, weight: 2 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
);

const validIdentifier = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 40 }), weight: 8 },
  { arbitrary: fc.constantFrom('x'.repeat(200), '😀'.repeat(200)), weight: 1 },
  { arbitrary: fc.string({ minLength: 1, maxLength: 10, unit: 'grapheme' }), weight: 1 },
);
/** Ids around the limits, in UTF-16 units and in code points (an emoji is 2 units, 1 code point). */
const anyIdentifier = fc.oneof(
  { arbitrary: validIdentifier, weight: 3 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.integer({ min: 195, max: 205 }).map((n) => 'x'.repeat(n)), weight: 1 },
  { arbitrary: fc.integer({ min: 95, max: 205 }).map((n) => '😀'.repeat(n)), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), weight: 1 },
);
const validModelId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/);
const anyModelId = fc.oneof(
  { arbitrary: validModelId, weight: 2 },
  { arbitrary: fc.integer({ min: 126, max: 130 }).map((n) => `m${'.'.repeat(n - 1)}`), weight: 1 },
  { arbitrary: fc.constantFrom('', '-model', 'churn model', 'mødel', 'a/b', 'm\n'), weight: 1 },
  { arbitrary: anyIdentifier, weight: 1 },
);
/** Huge numbers fit in JSON; NaN and the infinities do not (see the raw-value property). */
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e308, 5e-324, 0, -0),
);
const validProbability = fc.double({ min: 0, max: 1, noNaN: true });
const anyProbability = fc.oneof(
  { arbitrary: validProbability, weight: 2 },
  { arbitrary: fc.constantFrom(-0.01, 1.01, 1e308, '0.5', null), weight: 1 },
);
const validFeatureValue = fc.oneof(number, fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null));
const validFeatureName = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 12 }), weight: 8 },
  { arbitrary: fc.constantFrom('x'.repeat(200), '😀'.repeat(200), '__proto__', 'constructor'), weight: 1 },
);
const validFeatures = fc.dictionary(validFeatureName, validFeatureValue, { maxKeys: 30 });
const anyFeatures = fc.oneof(
  { arbitrary: validFeatures, weight: 2 },
  {
    arbitrary: fc.dictionary(
      fc.oneof(validFeatureName, fc.constantFrom('', 'x'.repeat(201), '😀'.repeat(150) + 'x'.repeat(60))),
      fc.oneof(validFeatureValue, fc.constantFrom([1], { nested: 1 })),
      { minKeys: 1, maxKeys: 10 },
    ),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(null, [], 'features', 1), weight: 1 },
);
const validScores = fc.dictionary(fc.string({ maxLength: 6 }), validProbability, { minKeys: 1, maxKeys: 4 });
const anyScores = fc.oneof(
  validScores,
  fc.dictionary(fc.string({ maxLength: 6 }), anyProbability, { maxKeys: 4 }),
  fc.constantFrom(null, [], 0.5),
);
const validTags = fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 5 });
const manyTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v']));
const anyTags = fc.oneof(
  validTags,
  fc.integer({ min: 49, max: 52 }).map(manyTags),
  fc.integer({ min: 498, max: 502 }).map((n) => ({ note: 'x'.repeat(n) })),
  fc.constantFrom({ region: 1 }, null, ['eu']),
);
const validLabel = fc.oneof(number, fc.string({ maxLength: 8 }));
const anyLabel = fc.oneof(validLabel, fc.constantFrom(true, null, [1], {}));

type Change = { field: string; value: unknown } | { field: string; removed: true };

/**
 * A valid event with up to 3 changes: a field set to a value from its wide arbitrary (valid or
 * not), a field removed, or an unknown property added.
 */
function perturbed(
  valid: fc.Arbitrary<Record<string, unknown>>,
  wide: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.keys(wide);
  const change: fc.Arbitrary<Change> = fc.oneof(
    ...fields.map((field) => wide[field].map((value) => ({ field, value }))),
    fc.constantFrom(...fields).map((field) => ({ field, removed: true as const })),
    fc.constantFrom('extra', '__proto__', 'Score', 'constructor').map((field) => ({ field, value: 1 })),
  );
  return fc.tuple(valid, fc.array(change, { maxLength: 3 })).map(([event, changes]) => {
    const record = { ...event };
    for (const c of changes) {
      if ('removed' in c) delete record[c.field];
      // an own property even for __proto__, as JSON.parse makes it
      else
        Object.defineProperty(record, c.field, {
          value: c.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return record;
  });
}

const validPrediction = fc
  .record({
    eventId: validIdentifier,
    modelId: validModelId,
    modelVersion: validIdentifier,
    predictionId: validIdentifier,
    timestamp: fc.oneof(
      { arbitrary: isoTimestamp, weight: 9 },
      { arbitrary: fc.constantFrom('2026-12-31T23:59:60Z', '2026-01-01 12:00:00Z'), weight: 1 },
    ),
    features: validFeatures,
    prediction: validLabel,
    probabilities: fc.oneof(
      fc.constant({}),
      validProbability.map((score) => ({ score })),
      validScores.map((scores) => ({ scores })),
    ),
    tags: fc.option(validTags, { nil: undefined }),
  })
  .map(({ probabilities, ...event }) => withoutUndefined({ ...event, ...probabilities }));

const predictionLike = perturbed(validPrediction, {
  eventId: anyIdentifier,
  modelId: anyModelId,
  modelVersion: anyIdentifier,
  predictionId: anyIdentifier,
  timestamp,
  features: anyFeatures,
  prediction: anyLabel,
  score: anyProbability,
  scores: anyScores,
  tags: anyTags,
});

const groundTruthLike = perturbed(
  fc.record({
    eventId: validIdentifier,
    modelId: validModelId,
    predictionId: validIdentifier,
    timestamp: isoTimestamp,
    label: validLabel,
  }),
  { eventId: anyIdentifier, modelId: anyModelId, predictionId: anyIdentifier, timestamp, label: anyLabel },
);

/** Asserts both validators give the same result; returns whether it was valid. */
function agrees<T>(
  input: unknown,
  validate: (input: unknown) => ValidationResult<T>,
  reference: (input: unknown) => ValidationResult<T>,
  accepts: (input: unknown) => boolean,
): boolean {
  const expected = reference(input);
  expect(validate(input)).toEqual(expected);
  if (accepts(input)) expect(expected.ok).toBe(true);
  return expected.ok;
}

/** Runs the property and checks the cases were a mix: at least 15% valid and 15% invalid. */
function assertMixed<T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => boolean, numRuns: number): void {
  let valid = 0;
  fc.assert(
    fc.property(arbitrary, (value) => {
      if (check(value)) valid++;
    }),
    { numRuns },
  );
  expect(valid).toBeGreaterThan(0.15 * numRuns);
  expect(valid).toBeLessThan(0.85 * numRuns);
}

/** `agrees` on the events as JSON.parse gives them back (the consumer's case), a mix of valid and invalid. */
function agreesOnJson<T>(
  events: fc.Arbitrary<Record<string, unknown>>,
  validate: (input: unknown) => ValidationResult<T>,
  reference: (input: unknown) => ValidationResult<T>,
  accepts: (input: unknown) => boolean,
  numRuns: number,
): void {
  const parsed = events.map((e) => JSON.parse(JSON.stringify(e)) as unknown);
  assertMixed(parsed, (e) => agrees(e, validate, reference, accepts), numRuns);
}

describe('validatePredictionEvent against ajv alone', () => {
  it('agrees on validity and gives ajv’s reasons, on valid, invalid and edge-case events', () => {
    agreesOnJson(predictionLike, validatePredictionEvent, ajvPrediction, acceptsPredictionEvent, 4000);
  });

  it('agrees on values JSON cannot carry (NaN, Infinity, undefined) and on non-objects', () => {
    const raw = fc.oneof(
      predictionLike,
      fc
        .tuple(
          validPrediction,
          fc.constantFrom('prediction', 'score', 'feature', 'scores', 'tag'),
          fc.constantFrom(NaN, Infinity, -Infinity, undefined),
        )
        .map(([event, where, v]) => {
          if (where === 'feature') return { ...event, features: { ...(event.features as object), f: v } };
          if (where === 'scores') return { ...event, score: undefined, scores: { a: v } };
          if (where === 'tag') return { ...event, tags: { t: v } };
          return { ...event, [where]: v };
        }),
      fc.anything(),
    );
    fc.assert(
      fc.property(raw, (e) => void agrees(e, validatePredictionEvent, ajvPrediction, acceptsPredictionEvent)),
      {
        numRuns: 2000,
      },
    );
  });

  it('decodes records as before: JSON, validity and reasons', () => {
    fc.assert(
      fc.property(predictionLike, fc.boolean(), (event, truncate) => {
        const json = JSON.stringify(event);
        const raw = Buffer.from(truncate ? json.slice(0, -1) : json);
        expect(decodeEvent(raw, validatePredictionEvent)).toEqual(decodeEvent(raw, ajvPrediction));
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the fast path for events as producers write them', () => {
    const producerEvent = fc.record({
      eventId: fc.uuid(),
      modelId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/),
      modelVersion: fc.string({ minLength: 1, maxLength: 20 }),
      predictionId: fc.uuid(),
      timestamp: isoTimestamp,
      features: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.oneof(number, fc.string({ maxLength: 30 }), fc.boolean(), fc.constant(null)),
        { maxKeys: 40 },
      ),
      prediction: fc.oneof(number, fc.string({ maxLength: 10 })),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(producerEvent, (event) => {
        const parsed: unknown = JSON.parse(JSON.stringify(event));
        expect(acceptsPredictionEvent(parsed)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves to ajv what it cannot vouch for, and ajv accepts it', () => {
    const valid = PredictionFactory.create();
    const cases = [
      { ...valid, timestamp: '2026-12-31T23:59:60Z' },
      { ...valid, timestamp: '2026-01-01 12:00:00Z' },
      { ...valid, eventId: '😀'.repeat(150) },
      { ...valid, features: { ['😀'.repeat(150)]: 1 } },
    ];
    for (const event of cases) {
      expect(acceptsPredictionEvent(event)).toBe(false);
      expect(validatePredictionEvent(event)).toEqual({ ok: true, value: event });
    }
  });

  it('rejects more than 1000 features with ajv’s reason', () => {
    const features = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}`, i]));
    const event = PredictionFactory.create({ features });
    expect(validatePredictionEvent(event)).toEqual({
      ok: false,
      errors: ['/features must NOT have more than 1000 properties'],
    });
    expect(validatePredictionEvent({ ...event, features: { ...features, f1000: undefined } }).ok).toBe(false);
  });
});

describe('validateGroundTruthEvent against ajv alone', () => {
  it('agrees on validity and gives ajv’s reasons', () => {
    agreesOnJson(groundTruthLike, validateGroundTruthEvent, ajvGroundTruth, acceptsGroundTruthEvent, 3000);
  });

  it('takes the fast path for a label as producers write it', () => {
    expect(acceptsGroundTruthEvent(GroundTruthFactory.create())).toBe(true);
    expect(
      acceptsGroundTruthEvent(
        GroundTruthFactory.create({ label: 'yes', timestamp: '2024-05-02T14:00:00+02:00' }),
      ),
    ).toBe(true);
  });
});

describe('the date-time format', () => {
  const ajvAccepts = (timestamp: string): boolean =>
    ajvPrediction(PredictionFactory.create({ timestamp })).ok;

  it.each([
    ['2026-02-30T00:00:00Z', false],
    ['2026-01-01T25:00:00Z', false],
    ['2026-01-01T24:00:00Z', false],
    ['2026-01-01T00:00:00', false],
    ['2026-01-01T00:00:00 Z', false],
    ['2026-01-01T00:00:00.Z', false],
    ['2026-1-01T00:00:00Z', false],
    ['2026-01-01T00:00:00Z\n', false],
    ['2026-01-01T00:00:00+24:00', false],
    ['2026-01-01T00:00:00+23:60', false],
    ['2023-02-29T00:00:00Z', false],
    ['1900-02-29T00:00:00Z', false],
    ['2026-12-31T12:00:60Z', false],
    ['2026-01-01T12:00:59.99999999999999999Z', false],
    ['2024-02-29T00:00:00Z', true],
    ['2000-02-29T00:00:00Z', true],
    ['0000-02-29T00:00:00Z', true],
    ['2026-01-01T12:00:00+05:30', true],
    ['2026-01-01T12:00:00+0530', true],
    ['2026-01-01T12:00:00+05', true],
    ['2026-01-01T00:00:00-00:00', true],
    ['2026-01-01T00:00:00.123456789+01:00', true],
    ['2026-01-01t12:00:00z', true],
    // accepted by ajv-formats, left to it by the fast path
    ['2026-01-01 12:00:00Z', true],
    ['2026-12-31T23:59:60Z', true],
    ['2027-01-01T05:29:60+05:30', true],
    ['2026-01-01T23:59:59.99999999999999999Z', true],
  ])('%j is %s, as ajv-formats has it', (timestamp, valid) => {
    expect(ajvAccepts(timestamp)).toBe(valid);
    const event = PredictionFactory.create({ timestamp });
    expect(validatePredictionEvent(event).ok).toBe(valid);
    if (isPlainDateTime(timestamp)) expect(valid).toBe(true);
  });

  it('vouches only for strings ajv-formats accepts, and for every producer’s timestamp', () => {
    assertMixed(
      timestamp,
      (s) => {
        const valid = ajvAccepts(s);
        if (isPlainDateTime(s)) expect(valid).toBe(true);
        return valid;
      },
      5000,
    );
    fc.assert(
      fc.property(isoTimestamp, (s) => expect(isPlainDateTime(s)).toBe(true)),
      { numRuns: 2000 },
    );
  });
});
