import { decodeEvent, validatePredictionEvent } from '@driftline/contracts';
import { consumerConfig, type FetchSettings } from '@driftline/kafka';
import type { Kafka } from 'kafkajs';

export interface BareConsumerResult {
  messages: number;
  /** From the first batch handed to eachBatch to the last message (group join excluded). */
  seconds: number;
  /** Records that decoded to a valid PredictionEvent, and the others. */
  valid: number;
  invalid: number;
  batches: number;
  /** Sum of the numeric predictions of valid events: what was parsed is used, so no work can be skipped. */
  predictionSum: number;
  /** The fetch settings it ran with: the monitor's (config.consumer of the same environment). */
  fetch: FetchSettings;
}

/**
 * A kafkajs consumer fetching as the monitor's BatchConsumer does (consumerConfig of the monitor's
 * settings, one partition at a time, eachBatch) whose only work is what the monitor's route does
 * before its handler: decodeEvent with validatePredictionEvent of each value, the batch's results
 * held together, then read. What the client, decoding and validation alone cost.
 */
export async function runBareConsumer(
  kafka: Kafka,
  topic: string,
  expected: number,
  fetch: FetchSettings,
  timeoutMs: number,
): Promise<BareConsumerResult> {
  const consumer = kafka.consumer(consumerConfig(`bench-bare-${process.pid}-${Date.now()}`, fetch));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const result: BareConsumerResult = {
      messages: 0,
      seconds: 0,
      valid: 0,
      invalid: 0,
      batches: 0,
      predictionSum: 0,
      fetch,
    };
    let first: bigint | null = null;
    let last = 0n;
    let finish!: () => void;
    const finished = new Promise<void>((done) => (finish = done));
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch }) => {
        first ??= process.hrtime.bigint();
        const decoded = batch.messages.map((message) => decodeEvent(message.value, validatePredictionEvent));
        for (const record of decoded) {
          if (!record.ok) result.invalid++;
          else {
            result.valid++;
            if (typeof record.value.prediction === 'number') result.predictionSum += record.value.prediction;
          }
        }
        result.messages += decoded.length;
        result.batches++;
        last = process.hrtime.bigint();
        if (result.messages >= expected) finish();
      },
    });
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((done) => setTimeout(() => done(true), timeoutMs).unref()),
    ]);
    if (timedOut)
      throw new Error(`bare consumer read ${result.messages} of ${expected} messages in ${timeoutMs} ms`);
    return { ...result, seconds: Number(last - (first ?? last)) / 1e9 };
  } finally {
    await consumer.disconnect();
  }
}
