import {
  sendWithRetries,
  type DriftlineEvent,
  type EventKind,
  type EventTransport,
  type RetryPolicy,
} from '@driftline/client';

/** Batches waiting behind the one being sent; the reader waits beyond that. */
const QUEUED_BATCHES = 2;

export const REPLAY_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 250, maxMs: 10_000 };

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Sends batches one after the other (so a model's events keep their order), each with retries. A
 * refused key stops everything: every later batch would be refused too.
 */
export class ReplaySender {
  sent = 0;
  failed = 0;
  /** The last failure, for the error line. */
  lastError: string | null = null;
  /** Set when the receiver refused the key (401, 403): nothing more is sent. */
  refused: string | null = null;
  private tail: Promise<void> = Promise.resolve();
  private readonly queued: Promise<void>[] = [];

  constructor(
    private readonly transport: EventTransport,
    private readonly retry: RetryPolicy = REPLAY_RETRY,
  ) {}

  /** Queues a batch; waits while QUEUED_BATCHES are waiting already. */
  async add(kind: EventKind, events: DriftlineEvent[]): Promise<void> {
    const sending = this.tail.then(() => this.send(kind, events));
    this.tail = sending;
    this.queued.push(sending);
    while (this.queued.length > QUEUED_BATCHES) await this.queued.shift();
  }

  async drain(): Promise<void> {
    await this.tail;
    this.queued.length = 0;
  }

  private async send(kind: EventKind, events: DriftlineEvent[]): Promise<void> {
    if (this.refused !== null) {
      this.failed += events.length;
      return;
    }
    const result = await sendWithRetries(this.transport, kind, events, this.retry, { sleep });
    if (result.ok) {
      this.sent += events.length;
      return;
    }
    this.failed += events.length;
    this.lastError = result.last.message;
    if (result.last.status === 401 || result.last.status === 403) this.refused = result.last.message;
  }
}
