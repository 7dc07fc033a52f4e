import { identifier, isoTimestamp } from './schema.parts';

export interface DeadLetterRecord {
  sourceTopic: string;
  sourcePartition: number;
  /** Kafka offsets are 64-bit: kept as a decimal string. */
  sourceOffset: string;
  consumerGroup: string;
  /** The record key as UTF-8, null when absent. */
  key: string | null;
  /** The raw record value, base64 encoded; null for a tombstone. */
  valueBase64: string | null;
  /** Every reason the record was rejected, readable, one per problem. */
  reasons: string[];
  failedAt: string;
}

export const deadLetterRecordSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/dead-letter-record.v1.json',
  title: 'DeadLetterRecord',
  type: 'object',
  additionalProperties: false,
  required: [
    'sourceTopic',
    'sourcePartition',
    'sourceOffset',
    'consumerGroup',
    'key',
    'valueBase64',
    'reasons',
    'failedAt',
  ],
  properties: {
    sourceTopic: identifier,
    sourcePartition: { type: 'integer', minimum: 0 },
    sourceOffset: { type: 'string', pattern: '^[0-9]+$' },
    consumerGroup: identifier,
    key: { type: ['string', 'null'] },
    valueBase64: { type: ['string', 'null'], contentEncoding: 'base64' },
    reasons: { type: 'array', minItems: 1, items: { type: 'string' } },
    failedAt: isoTimestamp,
  },
} as const;
