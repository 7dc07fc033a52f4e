import { Partitioners, type ICustomPartitioner, type Kafka, type Producer } from 'kafkajs';
import { SendCoalescer, type TopicMessages } from './send.coalescer';

export interface OutgoingMessage {
  key: string | null;
  value: unknown;
  /** The UTF-8 JSON of `value` when the caller holds it already (a request body's bytes): sent as is. */
  json?: Buffer;
}

/** Publishes JSON events; the only thing services need from a Kafka producer. */
export interface EventPublisher {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  isConnected(): boolean;
}

/** Keys remembered per topic; past it the memory starts again. */
const REMEMBERED_KEYS = 10_000;

/**
 * kafkajs's DefaultPartitioner (murmur2, like the Java client's) with each string key's partition
 * remembered per topic and partition count: a few model ids carry all the events, and hashing one
 * costs more than the rest of placing a message.
 */
export const rememberingPartitioner: ICustomPartitioner = () => {
  const partitionOf = Partitioners.DefaultPartitioner();
  const topics = new Map<string, { partitions: number; keys: Map<string, number> }>();
  return (args) => {
    const { topic, partitionMetadata, message } = args;
    if (typeof message.key !== 'string' || (message.partition !== undefined && message.partition !== null))
      return partitionOf(args);
    let known = topics.get(topic);
    if (
      known === undefined ||
      known.partitions !== partitionMetadata.length ||
      known.keys.size >= REMEMBERED_KEYS
    ) {
      known = { partitions: partitionMetadata.length, keys: new Map() };
      topics.set(topic, known);
    }
    let partition = known.keys.get(message.key);
    if (partition === undefined) {
      partition = partitionOf(args);
      known.keys.set(message.key, partition);
    }
    return partition;
  };
};

/**
 * Idempotent (the broker drops retried duplicates), acks from all in-sync replicas, retries without
 * limit as kafkajs requires for idempotence. kafkajs assigns sequence numbers without the reordering
 * logic Kafka needs for 5 requests in flight, so 1. The partitioner is murmur2 like the Java
 * client's, so a model's events land on the same partition whichever client produced them.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: rememberingPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
  });
}

/**
 * For producers outside the services (libs/client, the CLI): bounded retries (kafkajs's idempotence
 * needs unlimited ones), so a send to a broker that is gone ends and the caller decides; consumers
 * dedup a retried duplicate on its eventId. The same murmur2 partitioner as the services'.
 */
export function createClientProducer(kafka: Kafka, maxRetryTimeMs: number): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: rememberingPartitioner,
    retry: { retries: 3, maxRetryTime: maxRetryTimeMs },
  });
}

/**
 * What one coalesced send carries at most, in value bytes: below the broker's default
 * message.max.bytes (1 MiB a record batch) with room for record overhead, even when every message
 * goes to one partition.
 */
export const COALESCED_SEND_BYTES = 900 * 1024;

export interface PublisherOptions {
  /**
   * Publishes made while a send is in flight go out together in the next send (SendCoalescer), each
   * still settling only once the broker has acknowledged it. For callers that publish concurrently
   * (the api's requests); off, each publish is its own send.
   */
  coalesce?: boolean;
}

export class KafkaEventPublisher implements EventPublisher {
  private connected = false;
  private readonly coalescer: SendCoalescer | null;

  constructor(
    private readonly producer: Producer,
    options: PublisherOptions = {},
  ) {
    producer.on(producer.events.CONNECT, () => {
      this.connected = true;
    });
    producer.on(producer.events.DISCONNECT, () => {
      this.connected = false;
    });
    this.coalescer = options.coalesce
      ? new SendCoalescer((batch) => this.sendBatch(batch), COALESCED_SEND_BYTES)
      : null;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
    this.connected = false;
  }

  isConnected(): boolean {
    return this.connected;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const encoded = messages.map((m) => ({
      key: m.key,
      value: m.json ?? Buffer.from(JSON.stringify(m.value)),
    }));
    if (this.coalescer !== null) await this.coalescer.submit(topic, encoded);
    else await this.sendBatch([{ topic, messages: encoded }]);
  }

  private async sendBatch(topicMessages: TopicMessages[]): Promise<void> {
    await this.producer.sendBatch({ acks: -1, topicMessages });
  }
}
