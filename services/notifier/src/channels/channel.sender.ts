import type { ChannelRecord, ClaimedNotification } from '@driftline/db';
import type { SendResult } from '../delivery.policy';

/** Sends one attempt of a notification to its channel; never throws: a failure is a result. */
export interface ChannelSender {
  /** `channel` is the stored channel for its secret (token, signing secret); its payload says where. */
  send(notification: ClaimedNotification, channel: ChannelRecord): Promise<SendResult>;
}

export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');

/** A failure nobody answered for (a connection error, a timeout): worth another attempt. */
export function noAnswer(error: unknown): SendResult {
  return { ok: false, retryable: true, error: describeError(error), httpStatus: null, retryAfterMs: null };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError')
    return 'no answer within NOTIFY_SEND_TIMEOUT';
  // undici reports "fetch failed" with the reason (ECONNREFUSED, a TLS error, ...) as its cause
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return `${error.message}: ${code === undefined ? cause.message : `${code} ${cause.message}`}`;
  }
  return error.message;
}
