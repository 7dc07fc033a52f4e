/** Why a consumer moved a stored offset, or skipped records (GET /v1/offset-resets). */
export type OffsetResetReason = 'beyond_end' | 'topic_changed' | 'records_lost';

/** One row of offset_resets: what a consumer found and where it moved the stored offset. */
export interface OffsetReset {
  groupId: string;
  topic: string;
  partition: number;
  reason: OffsetResetReason;
  oldOffset: string;
  newOffset: string;
  /** Records that were never consumed because of it, when known (records_lost). */
  recordsLost: string | null;
  /** What was found, for an operator. */
  detail: string;
}

/** A partition's stored position and the fingerprint of the record just before it. */
export interface StoredPosition {
  /** Next offset to consume, a decimal string (Kafka offsets are 64-bit). */
  nextOffset: string;
  /** Fingerprint of the record at nextOffset - 1 (null if never stored). */
  lastRecord: string | null;
}
