import { writeSeenEventKey } from './seen-event.key';
import type { SeenEvent } from './seen-event.repository';

/** The parameters of one seen_events insert, each a Postgres array in binary format. */
export interface SeenEventParams {
  keys: Buffer;
  times: Buffer;
  models: Buffer;
  /** Each model of the batch once, with its newest event time: for seen_event_newest. */
  newestModels: Buffer;
  newestTimes: Buffer;
}

const UUID_OID = 2950;
const TIMESTAMPTZ_OID = 1184;
const TEXT_OID = 25;
const HEADER = 20;
const EPOCH_2000_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;

/** The header of a one-dimensional array of `n` elements without nulls (array_recv's format). */
function writeHeader(buf: Buffer, oid: number, n: number): void {
  buf.writeInt32BE(1, 0);
  buf.writeInt32BE(0, 4);
  buf.writeInt32BE(oid, 8);
  buf.writeInt32BE(n, 12);
  buf.writeInt32BE(1, 16);
}

/** An array of `n` elements of `width` bytes each, their lengths written, their bytes left to fill. */
function fixedArray(oid: number, n: number, width: number): Buffer {
  const buf = Buffer.allocUnsafe(HEADER + n * (4 + width));
  writeHeader(buf, oid, n);
  for (let i = 0, o = HEADER; i < n; i++, o += 4 + width) buf.writeInt32BE(width, o);
  return buf;
}

function textArray(values: readonly string[]): Buffer {
  let size = HEADER;
  for (const v of values) size += 4 + Buffer.byteLength(v);
  const out = Buffer.allocUnsafe(size);
  writeHeader(out, TEXT_OID, values.length);
  let o = HEADER;
  for (const v of values) {
    const length = out.write(v, o + 4);
    out.writeInt32BE(length, o);
    o += 4 + length;
  }
  return out;
}

/**
 * A timestamptz: microseconds since 2000-01-01 as a signed 64-bit integer, computed in two 32-bit
 * halves so that no step leaves the exact range of a double.
 */
function writeTimestamp(ms: number, buf: Buffer, offset: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`not an event time: ${ms}`);
  const since = ms - EPOCH_2000_MS;
  const high = Math.floor(since / TWO_32);
  const low = (since - high * TWO_32) * 1000;
  const carry = Math.floor(low / TWO_32);
  buf.writeInt32BE(high * 1000 + carry, offset);
  buf.writeUInt32BE(low - carry * TWO_32, offset + 4);
}

export function seenEventParams(kindCode: string, rows: readonly SeenEvent[]): SeenEventParams {
  const n = rows.length;
  const keys = fixedArray(UUID_OID, n, 16);
  const times = fixedArray(TIMESTAMPTZ_OID, n, 8);
  const models: string[] = new Array<string>(n);
  const newest = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const { modelId, eventId, eventTimeMs } = rows[i];
    writeSeenEventKey(kindCode, modelId, eventId, keys, HEADER + 4 + i * 20);
    writeTimestamp(eventTimeMs, times, HEADER + 4 + i * 12);
    models[i] = modelId;
    const before = newest.get(modelId);
    if (before === undefined || before < eventTimeMs) newest.set(modelId, eventTimeMs);
  }
  const newestTimes = fixedArray(TIMESTAMPTZ_OID, newest.size, 8);
  let i = 0;
  for (const ms of newest.values()) writeTimestamp(ms, newestTimes, HEADER + 4 + i++ * 12);
  return { keys, times, models: textArray(models), newestModels: textArray([...newest.keys()]), newestTimes };
}
