import { Partitioners, type Kafka, type Producer } from 'kafkajs';

export interface OutgoingMessage {
  key: string | null;
  value: unknown;
}

/** Publishes JSON events; the only thing services need from a Kafka producer. */
export interface EventPublisher {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  isConnected(): boolean;
}

/**
 * Idempotent (the broker drops retried duplicates), acks from all in-sync replicas, retries without
 * limit as kafkajs requires for idempotence. kafkajs assigns sequence numbers without the reordering
 * logic Kafka needs for 5 requests in flight, so 1. The default partitioner is murmur2 like the Java
 * client's, so a model's events land on the same partition whichever client produced them.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
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
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 3, maxRetryTime: maxRetryTimeMs },
  });
}

export class KafkaEventPublisher implements EventPublisher {
  private connected = false;

  constructor(private readonly producer: Producer) {
    producer.on(producer.events.CONNECT, () => {
      this.connected = true;
    });
    producer.on(producer.events.DISCONNECT, () => {
      this.connected = false;
    });
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
    await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value) })),
    });
  }
}
