import { topicNames, type TopicNames } from '@driftline/contracts';
import { createClientProducer, createKafka, KafkaEventPublisher, silentLogger } from '@driftline/kafka';
import type { DriftlineEvent, EventKind } from './event.kinds';
import { messageOf, type EventTransport, type SendOutcome } from './send.outcome';

export interface KafkaTransportOptions {
  brokers: string[];
  /** KAFKA_TOPIC_PREFIX of the deployment ('' by default). */
  topicPrefix?: string;
  clientId?: string;
  /** One send's limit (connecting included); a send that takes longer is retried. */
  requestTimeoutMs: number;
}

/** Rejects after `ms` unless `work` settles first; the timer never outlives it. */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no acknowledgement within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Publishes on the v1 topics keyed by modelId, as the api does, so a model's events stay in order on
 * one partition. Connects on the first send and again after a failed connection.
 */
export class KafkaTransport implements EventTransport {
  readonly target: string;
  private readonly topics: TopicNames;
  private publisher: Promise<KafkaEventPublisher> | null = null;

  constructor(private readonly options: KafkaTransportOptions) {
    this.target = `kafka ${options.brokers.join(',')}`;
    this.topics = topicNames(options.topicPrefix ?? '');
  }

  private connected(): Promise<KafkaEventPublisher> {
    if (this.publisher === null) {
      const kafka = createKafka({
        brokers: this.options.brokers,
        clientId: this.options.clientId ?? 'driftline-client',
        logger: silentLogger,
      });
      const publisher = new KafkaEventPublisher(createClientProducer(kafka, this.options.requestTimeoutMs));
      this.publisher = publisher.connect().then(() => publisher);
      this.publisher.catch(() => {
        this.publisher = null;
        void publisher.disconnect().catch(() => undefined);
      });
    }
    return this.publisher;
  }

  async send(kind: EventKind, events: readonly DriftlineEvent[]): Promise<SendOutcome> {
    const topic = kind === 'prediction' ? this.topics.predictions : this.topics.groundTruth;
    try {
      await within(
        this.connected().then((p) =>
          p.publish(
            topic,
            events.map((e) => ({ key: e.modelId, value: e })),
          ),
        ),
        this.options.requestTimeoutMs,
        topic,
      );
      return { ok: true };
    } catch (error) {
      return {
        ok: false,
        retryable: true,
        retryAfterMs: null,
        message: `${this.target}: ${messageOf(error)}`,
      };
    }
  }

  async close(): Promise<void> {
    const publisher = this.publisher;
    this.publisher = null;
    if (publisher) await (await publisher.catch(() => null))?.disconnect().catch(() => undefined);
  }
}
