import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from './polling';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  timestamp: string;
}

function client(brokers: string, level = logLevel.ERROR): Kafka {
  return new Kafka({ clientId: uniqueName('driftline-test'), brokers: brokers.split(','), logLevel: level });
}

/**
 * Makes the broker create __consumer_offsets and elect its coordinator now, so the first consumer
 * group of a run neither waits for it nor logs "group coordinator is not available".
 */
export async function warmUpGroupCoordinator(brokers: string): Promise<void> {
  const admin = client(brokers, logLevel.NOTHING).admin();
  await admin.connect();
  try {
    await admin.describeGroups([uniqueName('driftline-warm-up')]);
  } finally {
    await admin.disconnect();
  }
}

/** Creates the topics (skipping ones that exist) and waits until their partitions have leaders. */
export async function createTopics(brokers: string, topics: string[], partitions = 1): Promise<void> {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads `topic` from the beginning with a fresh consumer group until `count` messages have
 * arrived (more may exist; the first `count` received are returned), or rejects after `timeoutMs`.
 */
export async function consumeMessages(
  brokers: string,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ConsumedMessage[]> {
  const consumer = client(brokers).consumer({ groupId: uniqueName('driftline-test-reader') });
  const received: ConsumedMessage[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `consumeMessages: ${received.length} of ${count} messages from ${topic} within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      if (count <= 0) resolve();
      consumer
        .run({
          eachMessage: async ({ topic: from, partition, message }) => {
            if (received.length >= count) return;
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {})) {
              if (value !== undefined)
                headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
            }
            received.push({
              topic: from,
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              value: message.value?.toString('utf8') ?? null,
              headers,
              timestamp: message.timestamp,
            });
            if (received.length >= count) resolve();
          },
        })
        .catch(reject);
    });
    return received.slice(0, count);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}
