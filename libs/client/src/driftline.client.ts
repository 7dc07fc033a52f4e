import type { ValidationResult } from '@driftline/contracts';
import { clientTuning, type ClientTuning, type DriftlineClientOptions } from './client.options';
import {
  noDrops,
  throttledWarning,
  type ClientError,
  type ClientStats,
  type DropReason,
} from './client.stats';
import { buildEvent } from './event.builder';
import {
  EVENT_KINDS,
  type DriftlineEvent,
  type EventKind,
  type GroundTruthInput,
  type PredictionInput,
} from './event.kinds';
import { sendWithRetries, unrefSleep } from './retrying.send';
import { messageOf, type EventTransport } from './send.outcome';
import { createTransport } from './transport.factory';

interface InFlight {
  events: readonly DriftlineEvent[];
  /** Counted as dropped at close()'s deadline: whatever the send comes to is not counted again. */
  abandoned: boolean;
}

/** Resolves when `work` settles or after `ms`, whichever is first; true when `work` settled. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends Driftline v1 events from a Node app: batched, retried, held in a bounded buffer. Its
 * methods never block and never throw; what it cannot send it drops, counts (stats()) and reports
 * to onError. Its timers do not keep the process alive: call close() before the app exits.
 */
export class DriftlineClient {
  private readonly tuning: ClientTuning;
  private readonly transport: EventTransport;
  private readonly onError: (error: ClientError) => void;
  private readonly queues: Record<EventKind, DriftlineEvent[]> = { prediction: [], groundTruth: [] };
  private inFlight: InFlight | null = null;
  private sent = 0;
  private readonly dropped = noDrops();
  private pumping: Promise<void> | null = null;
  private lingerTimer: NodeJS.Timeout | undefined;
  /** Partial batches go now: the linger passed, or a flush or close is waiting. */
  private urgent = 0;
  private closing: Promise<ClientStats> | null = null;

  constructor(options: DriftlineClientOptions) {
    this.tuning = clientTuning(options);
    this.transport = createTransport(options, this.tuning.requestTimeoutMs);
    this.onError = options.onError ?? throttledWarning();
  }

  /** Queues a prediction event (eventId and timestamp filled in when absent); false when it was dropped. */
  prediction(input: PredictionInput): boolean {
    return this.enqueue('prediction', () => buildEvent('prediction', input));
  }

  /** Queues a ground-truth event (eventId and timestamp filled in when absent); false when it was dropped. */
  groundTruth(input: GroundTruthInput): boolean {
    return this.enqueue('groundTruth', () => buildEvent('groundTruth', input));
  }

  stats(): ClientStats {
    return { sent: this.sent, dropped: { ...this.dropped }, buffered: this.held() };
  }

  /** Sends everything held now, partial batches included; resolves by `timeoutMs` whatever happened. */
  async flush(timeoutMs = this.tuning.closeTimeoutMs): Promise<ClientStats> {
    await this.drain(Date.now() + timeoutMs);
    return this.stats();
  }

  /**
   * Stops taking events, sends what is held until `timeoutMs` passes, counts what is left as
   * `close_deadline` and disconnects. Calling it again returns the same answer.
   */
  close(timeoutMs = this.tuning.closeTimeoutMs): Promise<ClientStats> {
    this.closing ??= this.shutDown(Date.now() + timeoutMs);
    return this.closing;
  }

  private async shutDown(deadline: number): Promise<ClientStats> {
    const drained = await this.drain(deadline);
    if (!drained) this.abandonHeld();
    await settledWithin(this.transport.close(), Math.max(1000, deadline - Date.now()));
    return this.stats();
  }

  private abandonHeld(): void {
    for (const kind of EVENT_KINDS) {
      const left = this.queues[kind].splice(0);
      if (left.length > 0) this.drop('close_deadline', left.length, `close() deadline passed`);
    }
    if (this.inFlight !== null && !this.inFlight.abandoned) {
      this.inFlight.abandoned = true;
      this.drop('close_deadline', this.inFlight.events.length, 'close() deadline passed while sending');
    }
  }

  private held(): number {
    const sending = this.inFlight === null || this.inFlight.abandoned ? 0 : this.inFlight.events.length;
    return this.queues.prediction.length + this.queues.groundTruth.length + sending;
  }

  private enqueue(kind: EventKind, build: () => ValidationResult<DriftlineEvent>): boolean {
    try {
      if (this.closing !== null) return this.drop('closed', 1, 'the client is closed');
      const built = build();
      if (!built.ok) return this.drop('invalid', 1, `invalid ${kind} event: ${built.errors.join('; ')}`);
      if (this.held() >= this.tuning.maxBuffered) {
        return this.drop('buffer_full', 1, `${this.tuning.maxBuffered} events are held already`);
      }
      this.queues[kind].push(built.value);
      this.schedule();
      return true;
    } catch (error) {
      return this.drop('invalid', 1, messageOf(error));
    }
  }

  private drop(reason: DropReason, count: number, message: string): false {
    this.dropped[reason] += count;
    try {
      this.onError({ reason, count, message });
    } catch {
      // the app's handler failing is no reason to fail the app
    }
    return false;
  }

  private fullKind(): EventKind | undefined {
    return EVENT_KINDS.find((k) => this.queues[k].length >= this.tuning.batchSize);
  }

  private schedule(): void {
    if (this.pumping !== null || this.held() === 0) return;
    if (this.fullKind() !== undefined || this.urgent > 0) {
      this.startPump();
    } else if (this.lingerTimer === undefined) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        this.urgent++;
        this.startPump();
        void this.pumping?.finally(() => this.urgent--);
      }, this.tuning.lingerMs).unref();
    }
  }

  private startPump(): void {
    if (this.pumping !== null) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.pumping = this.pump()
      .catch((error: unknown) => {
        // not expected (a transport answers, never throws): what was being sent is counted, not lost
        const lost = this.inFlight?.abandoned === false ? this.inFlight.events.length : 0;
        this.inFlight = null;
        this.drop('rejected', lost, `internal: ${messageOf(error)}`);
      })
      .finally(() => {
        this.pumping = null;
        this.schedule();
      });
  }

  /** One batch at a time, so a model's events leave in the order they came. */
  private async pump(): Promise<void> {
    for (;;) {
      const kind =
        this.fullKind() ?? (this.urgent > 0 ? EVENT_KINDS.find((k) => this.queues[k].length > 0) : undefined);
      if (kind === undefined) return;
      const batch: InFlight = {
        events: this.queues[kind].splice(0, this.tuning.batchSize),
        abandoned: false,
      };
      this.inFlight = batch;
      const result = await sendWithRetries(this.transport, kind, batch.events, this.tuning.retry, {
        sleep: unrefSleep,
        stop: () => batch.abandoned,
      });
      this.inFlight = null;
      if (batch.abandoned) continue;
      if (result.ok) this.sent += batch.events.length;
      else if (result.reason !== 'abandoned') {
        this.drop(result.reason, batch.events.length, `${this.transport.target}: ${result.last.message}`);
      }
    }
  }

  /** Sends until nothing is held or `deadline`; true when nothing is held. The wait keeps the process alive. */
  private async drain(deadline: number): Promise<boolean> {
    this.urgent++;
    try {
      while (this.held() > 0) {
        this.startPump();
        const pumping = this.pumping;
        if (pumping === null) continue;
        if (!(await settledWithin(pumping, deadline - Date.now()))) return false;
      }
      return true;
    } finally {
      this.urgent--;
    }
  }
}
