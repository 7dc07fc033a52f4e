import type { DriftlineEvent, EventKind } from './event.kinds';

/** What one attempt to send a batch came to; a transport never throws. */
export type SendOutcome =
  | { ok: true }
  | {
      ok: false;
      /** Worth trying again: the receiver was busy, down or unreachable. */
      retryable: boolean;
      /** How long the receiver asked to wait (HTTP 429/503 Retry-After). */
      retryAfterMs: number | null;
      /** The HTTP status, when there was an answer. */
      status?: number;
      message: string;
    };

export type FailedOutcome = Extract<SendOutcome, { ok: false }>;

/** Sends a batch of events of one kind, all of one request or message set. */
export interface EventTransport {
  /** e.g. `http://127.0.0.1:8080` or `kafka 127.0.0.1:9092`, for messages. */
  readonly target: string;
  send(kind: EventKind, events: readonly DriftlineEvent[]): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** The message of anything thrown (errors from node's own modules may come from another realm). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
