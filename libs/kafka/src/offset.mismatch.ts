import { createHash } from 'node:crypto';
import type { OffsetReset, OffsetResetReason, StoredPosition } from '@driftline/contracts';

/** What a consumer does when its stored offsets are not the broker's. */
export type OffsetMismatchPolicy = 'reset' | 'fail';

export type { OffsetResetReason, StoredPosition } from '@driftline/contracts';
/** One row of offset_resets (the contracts' OffsetReset). */
export type OffsetResetEntry = OffsetReset;

export interface FingerprintedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
}

export interface OffsetMismatch {
  reason: Exclude<OffsetResetReason, 'records_lost'>;
  detail: string;
}

/**
 * Identifies one record of one incarnation of a topic: its Kafka timestamp and a hash of its key and
 * value. Stored beside the offset, it stands in for the topic IDs kafkajs does not expose (its
 * Metadata requests stop at v6): a re-created topic or a replaced cluster holds another record at the
 * same offset, or none.
 */
export function recordFingerprint(record: FingerprintedRecord): string {
  const hash = createHash('sha1');
  for (const part of [record.key, record.value]) {
    hash.update(part === null ? 'n' : `b${part.length}:`);
    if (part !== null) hash.update(part);
  }
  return `${record.timestamp}:${hash.digest('base64url').slice(0, 16)}`;
}

/**
 * Whether the batch shows that the stored position belongs to another log than the broker's: an
 * offset past the partition's end (records the broker never had), or another record than the one
 * stored just before it. Pure; the consumer calls it with the row lock held.
 */
export function findMismatch(
  stored: StoredPosition,
  highWatermark: string,
  recordAt: (offset: string) => FingerprintedRecord | undefined,
): OffsetMismatch | null {
  const next = BigInt(stored.nextOffset);
  if (next > BigInt(highWatermark)) {
    return {
      reason: 'beyond_end',
      detail: `stored offset ${stored.nextOffset} is past the partition's end offset ${highWatermark}`,
    };
  }
  if (stored.lastRecord === null || next === 0n) return null;
  const before = (next - 1n).toString();
  const record = recordAt(before);
  if (record === undefined) return null;
  const found = recordFingerprint(record);
  if (found === stored.lastRecord) return null;
  return {
    reason: 'topic_changed',
    detail: `the record at offset ${before} is not the one consumed there (stored ${stored.lastRecord}, broker has ${found})`,
  };
}

/** Where to seek a partition so that its first batch shows the stored record (when there is one). */
export function verifyingOffset(position: StoredPosition): string {
  const next = BigInt(position.nextOffset);
  return position.lastRecord !== null && next > 0n ? (next - 1n).toString() : position.nextOffset;
}

/** The operator's message when policy `fail` holds a partition. */
export function mismatchAdvice(topic: string, partition: number, mismatch: OffsetMismatch): string {
  return (
    `${topic} partition ${partition}: ${mismatch.detail}; the topic was re-created, the cluster replaced ` +
    `or restored, or the stored offsets belong to another broker. Consumption of this partition is paused ` +
    `(CONSUMER_OFFSET_MISMATCH=fail). Point KAFKA_BROKERS at the cluster these offsets belong to, or restart ` +
    `with CONSUMER_OFFSET_MISMATCH=reset to consume the partition from its log start (recorded in ` +
    `GET /v1/offset-resets).`
  );
}
