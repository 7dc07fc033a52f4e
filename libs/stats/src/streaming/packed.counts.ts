/**
 * Bucket counts (32-bit, mostly small, with runs of empty buckets) as base64 text, for the JSON
 * of a {@link BucketStore}: each count c as the LEB128 varint of 2c, each run of k empty buckets as
 * that of 2k + 1. A count under 64 takes one byte (1.3 characters of base64) against 2-4 as JSON
 * numbers, and no number is converted to text and back.
 */

let scratch = new Uint8Array(4096);

/** Writes the varint of `value` (an integer below 2^53) at `at`; returns the offset after it. */
function putVarint(bytes: Uint8Array, at: number, value: number): number {
  let v = value;
  while (v >= 128) {
    bytes[at++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  bytes[at++] = v;
  return at;
}

/** The varint form of counts (each an integer in 0..2^32 - 1), base64. */
export function packCounts(counts: ArrayLike<number>): string {
  // at most 5 bytes an entry (2 x (2^32 - 1) < 2^35)
  if (scratch.length < 5 * counts.length) scratch = new Uint8Array(5 * counts.length);
  const bytes = scratch;
  let at = 0;
  let zeros = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c === 0) {
      zeros++;
      continue;
    }
    if (zeros > 0) at = putVarint(bytes, at, 2 * zeros + 1);
    zeros = 0;
    at = putVarint(bytes, at, 2 * c);
  }
  if (zeros > 0) at = putVarint(bytes, at, 2 * zeros + 1);
  return Buffer.from(bytes.buffer, bytes.byteOffset, at).toString('base64');
}

/** Where the varint read last ended (readVarint's second result, without an object a call). */
let readEnd = 0;

/** The varint at `bytes[at]`; sets readEnd to the offset after it. */
function readVarint(bytes: Uint8Array, at: number): number {
  let i = at;
  let value = 0;
  let scale = 1;
  let byte: number;
  do {
    if (i >= bytes.length) throw new Error('packed bucket counts end inside a number');
    byte = bytes[i++];
    value += (byte & 127) * scale;
    scale *= 128;
  } while (byte & 128);
  readEnd = i;
  return value;
}

/** Inverse of {@link packCounts}: the counts (empty runs expanded) and their sum. */
export function unpackCounts(text: string): { counts: Uint32Array; total: number } {
  const bytes = Buffer.from(text, 'base64');
  let length = 0;
  for (let i = 0; i < bytes.length; i = readEnd) {
    const value = readVarint(bytes, i);
    length += value % 2 === 1 ? (value - 1) / 2 : 1;
  }
  const counts = new Uint32Array(length);
  let total = 0;
  let at = 0;
  for (let i = 0; i < bytes.length; i = readEnd) {
    const value = readVarint(bytes, i);
    if (value % 2 === 1)
      at += (value - 1) / 2; // the array starts zeroed
    else {
      counts[at++] = value / 2;
      total += value / 2;
    }
  }
  return { counts, total };
}
