import type { Kafka } from 'kafkajs';

export interface BareConsumerResult {
  messages: number;
  /** From the first batch handed to eachBatch to the last message (group join excluded). */
  seconds: number;
}

/**
 * A kafkajs consumer with the monitor's fetch settings (kafkajs defaults, one partition at a time,
 * eachBatch) whose only work is JSON.parse of each value: what the client and parsing alone cost.
 */
export async function runBareConsumer(
  kafka: Kafka,
  topic: string,
  expected: number,
  timeoutMs: number,
): Promise<BareConsumerResult> {
  const consumer = kafka.consumer({ groupId: `bench-bare-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let count = 0;
    let first: bigint | null = null;
    let last = 0n;
    let finish!: () => void;
    const finished = new Promise<void>((done) => (finish = done));
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch }) => {
        first ??= process.hrtime.bigint();
        for (const message of batch.messages) {
          if (message.value !== null) JSON.parse(message.value.toString('utf8'));
          count++;
        }
        last = process.hrtime.bigint();
        if (count >= expected) finish();
      },
    });
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((done) => setTimeout(() => done(true), timeoutMs).unref()),
    ]);
    if (timedOut) throw new Error(`bare consumer read ${count} of ${expected} messages in ${timeoutMs} ms`);
    return { messages: count, seconds: Number(last - (first ?? last)) / 1e9 };
  } finally {
    await consumer.disconnect();
  }
}
