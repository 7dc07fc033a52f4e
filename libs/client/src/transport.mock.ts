import type { DriftlineEvent, EventKind } from './event.kinds';
import type { EventTransport, SendOutcome } from './send.outcome';

export interface SentBatch {
  kind: EventKind;
  events: readonly DriftlineEvent[];
}

/**
 * Test-only: a transport that answers what `answer` says for each attempt (attempt counts from 1
 * over all batches) and records every attempt; `hold()` makes sends wait until `release()`.
 */
export class TransportStandIn implements EventTransport {
  readonly target = 'stand-in';
  readonly attempts: SentBatch[] = [];
  closed = false;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  constructor(private readonly answer: (attempt: number) => SendOutcome = () => ({ ok: true })) {}

  /** The batches answered ok, in order. */
  get delivered(): SentBatch[] {
    return this.attempts.filter((_, i) => this.answer(i + 1).ok);
  }

  hold(): void {
    this.gate = new Promise((done) => (this.open = done));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  async send(kind: EventKind, events: readonly DriftlineEvent[]): Promise<SendOutcome> {
    this.attempts.push({ kind, events });
    const attempt = this.attempts.length;
    if (this.gate) await this.gate;
    return this.answer(attempt);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export const busy = (retryAfterMs: number | null = null): SendOutcome => ({
  ok: false,
  retryable: true,
  retryAfterMs,
  status: 503,
  message: 'HTTP 503 kafka_unavailable: events could not be published',
});

export const refused: SendOutcome = {
  ok: false,
  retryable: false,
  retryAfterMs: null,
  status: 401,
  message: 'HTTP 401 unauthenticated: no API key',
};
