import { groundTruthEventSchema, type GroundTruthEvent } from './ground-truth.event';
import { predictionEventSchema, type PredictionEvent } from './prediction.event';

// Hand-written checks of the v1 prediction and ground-truth shapes, for the consumer's hot path
// (ajv costs ~1.5 µs an event, these ~0.2 µs). Each may only answer true where the schema's ajv
// validator accepts: for anything else it answers false and ajv decides, with its reasons. So it
// may be stricter than the schema (a string longer in UTF-16 units than the limit in code points,
// a leap second, a space between date and time all go to ajv), never looser. The differential
// tests in event.fast-path.spec.ts hold them to that.

type Fields = Record<string, unknown>;

/** ajv's "object": not null, not an array. */
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
/** ajv's "number" excludes NaN and the infinities. */
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isProbability = (v: unknown): boolean => isNumber(v) && v >= 0 && v <= 1;
/**
 * ajv counts code points, which never exceed UTF-16 units: a length within [1, max] units is
 * within it in code points too (and a longer one is left to ajv).
 */
const hasLength = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= max;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const isModelId = (v: unknown): boolean => hasLength(v, 128) && MODEL_ID.test(v);
const isLabel = (v: unknown): boolean => typeof v === 'string' || isNumber(v);

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two ASCII digits at s[i], s[i+1] as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `YYYY-MM-DD(T|t)HH:MM:SS[.fraction](Z|z|±HH[[:]MM])`, a real calendar day, hours to 23, seconds
 * to 59: what ajv-formats' full "date-time" accepts, less leap seconds and a whitespace separator
 * (which it also accepts, and which this leaves to it).
 */
export function isPlainDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20) return false;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  const t = s.charCodeAt(10);
  if (century < 0 || yy < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  if ((t !== 84 && t !== 116) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month])) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const digits = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === digits) return false;
    // ajv-formats reads the seconds as a number: 59.99999999999999999 rounds to 60, not a second of 59
    if (second === 59 && !(Number(s.slice(17, i)) < 60)) return false;
  }
  const zone = s.charCodeAt(i);
  if (zone === 90 || zone === 122) return i === n - 1;
  if (zone !== 43 && zone !== 45) return false;
  const offsetHours = twoDigits(s, i + 1);
  if (offsetHours < 0 || offsetHours > 23) return false;
  i += 3;
  if (i === n) return true;
  if (s.charCodeAt(i) === 58) i++;
  const offsetMinutes = twoDigits(s, i);
  return offsetMinutes >= 0 && offsetMinutes <= 59 && i + 2 === n;
}

const isTimestamp = (v: unknown): boolean => typeof v === 'string' && isPlainDateTime(v);

/**
 * Every value the loop sees meets `accepts`, and there are at most `max` of them. for-in, as ajv's
 * additionalProperties loop; it sees every key Object.keys (ajv's maxProperties) counts.
 */
function everyValue(object: Fields, max: number, accepts: (key: string, value: unknown) => boolean): boolean {
  let count = 0;
  for (const key in object) if (++count > max || !accepts(key, object[key])) return false;
  return true;
}

/** additionalProperties: false, as ajv checks it (for-in, against the schema's properties). */
function hasOnly(object: Fields, fields: ReadonlySet<string>): boolean {
  for (const key in object) if (!fields.has(key)) return false;
  return true;
}
const PREDICTION_FIELDS: ReadonlySet<string> = new Set(Object.keys(predictionEventSchema.properties));
const GROUND_TRUTH_FIELDS: ReadonlySet<string> = new Set(Object.keys(groundTruthEventSchema.properties));

const isScore = (_: string, v: unknown): boolean => isProbability(v);
const isTag = (_: string, v: unknown): boolean => typeof v === 'string' && v.length <= 500;
const isFeature = (key: string, v: unknown): boolean =>
  key.length >= 1 &&
  key.length <= 200 &&
  (typeof v === 'number'
    ? Number.isFinite(v)
    : typeof v === 'string' || typeof v === 'boolean' || v === null);

/** True only for events predictionEventSchema accepts (false: ask ajv). */
export function acceptsPredictionEvent(input: unknown): input is PredictionEvent {
  if (!isObject(input) || !hasOnly(input, PREDICTION_FIELDS)) return false;
  const { features, score, scores, tags } = input;
  return (
    hasLength(input.eventId, 200) &&
    isModelId(input.modelId) &&
    hasLength(input.modelVersion, 200) &&
    hasLength(input.predictionId, 200) &&
    isTimestamp(input.timestamp) &&
    isObject(features) &&
    everyValue(features, 1000, isFeature) &&
    isLabel(input.prediction) &&
    (score === undefined || (scores === undefined && isProbability(score))) &&
    (scores === undefined ||
      (isObject(scores) && Object.keys(scores).length >= 1 && everyValue(scores, Infinity, isScore))) &&
    (tags === undefined || (isObject(tags) && everyValue(tags, 50, isTag)))
  );
}

/** True only for events groundTruthEventSchema accepts (false: ask ajv). */
export function acceptsGroundTruthEvent(input: unknown): input is GroundTruthEvent {
  if (!isObject(input) || !hasOnly(input, GROUND_TRUTH_FIELDS)) return false;
  return (
    hasLength(input.eventId, 200) &&
    isModelId(input.modelId) &&
    hasLength(input.predictionId, 200) &&
    isTimestamp(input.timestamp) &&
    isLabel(input.label)
  );
}
