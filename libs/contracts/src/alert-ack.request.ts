import { compile } from './event.validator';

/**
 * The body of POST /v1/alerts/:id/ack, every field optional. An ack says someone is on it: the
 * alert keeps firing until its rule resolves it, and notifications go on (a silence mutes them).
 */
export interface AlertAckRequest {
  /** Who acknowledges, e.g. an on-call handle. */
  by?: string;
  comment?: string;
}

export const alertAckRequestSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/alert-ack-request.v1.json',
  title: 'AlertAckRequest',
  type: 'object',
  additionalProperties: false,
  properties: {
    by: { type: 'string', minLength: 1, maxLength: 200 },
    comment: { type: 'string', minLength: 1, maxLength: 2000 },
  },
} as const;

export const validateAlertAckRequest = compile<AlertAckRequest>(alertAckRequestSchema);
