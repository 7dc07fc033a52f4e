import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import type { BenchDataset } from './prediction.generator';

/** acks 1 (leader only), not idempotent, uncompressed: the cheapest settings kafkajs offers. */
export const PRODUCER_ACKS = 1;
const CHUNK = 1_000;
const IN_FLIGHT = 4;

export interface ProduceResult {
  events: number;
  bytes: number;
  seconds: number;
}

export async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  await producer.connect();
  return producer;
}

function messagesOf(
  dataset: BenchDataset,
  count: number,
  timestampMs: number,
): { messages: Message[]; bytes: number } {
  const messages: Message[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const event = dataset.next(timestampMs);
    const value = JSON.stringify(event);
    bytes += value.length;
    messages.push({ key: event.modelId, value });
  }
  return { messages, bytes };
}

/**
 * Fills `topic` with `count` events as fast as kafkajs takes them: chunks of 1,000 messages, four
 * sends in flight. Event time is the wall-clock time at which a chunk is generated.
 */
export async function fillTopic(
  producer: Producer,
  topic: string,
  dataset: BenchDataset,
  count: number,
  onProgress?: (sent: number) => void,
): Promise<ProduceResult> {
  const started = process.hrtime.bigint();
  let generated = 0;
  let bytes = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (generated < count) {
    const size = Math.min(CHUNK, count - generated);
    const chunk = messagesOf(dataset, size, Date.now());
    generated += size;
    bytes += chunk.bytes;
    const send: Promise<unknown> = producer
      .send({ topic, acks: PRODUCER_ACKS, compression: CompressionTypes.None, messages: chunk.messages })
      .finally(() => inFlight.delete(send));
    inFlight.add(send);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    if (generated % 100_000 === 0) onProgress?.(generated);
  }
  await Promise.all(inFlight);
  return { events: count, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** One `producer.send` of a paced run: its wall-clock time (the events' time) and events per model. */
export interface SentBatch {
  timestampMs: number;
  perModel: Map<string, number>;
}

/**
 * Sends events at `rate` per second for `seconds`: every 5 ms, the events due so far (at most 1,000),
 * stamped with the current wall-clock time, in one awaited send (so a slow broker or a busy machine
 * shows as a lower achieved rate).
 */
export async function producePaced(
  producer: Producer,
  topic: string,
  dataset: BenchDataset,
  rate: number,
  seconds: number,
  onBatch: (batch: SentBatch) => void,
): Promise<ProduceResult> {
  const started = Date.now();
  const end = started + seconds * 1000;
  let sent = 0;
  let bytes = 0;
  for (let now = Date.now(); now < end; now = Date.now()) {
    const due = Math.floor(((now - started) / 1000) * rate) - sent;
    if (due <= 0) {
      await new Promise((done) => setTimeout(done, 5));
      continue;
    }
    // chunks keep a partition's record batch under the broker's 1 MB message.max.bytes after a stall
    const size = Math.min(due, CHUNK);
    const chunk = messagesOf(dataset, size, now);
    const perModel = new Map<string, number>();
    for (const m of chunk.messages) perModel.set(m.key as string, (perModel.get(m.key as string) ?? 0) + 1);
    await producer.send({
      topic,
      acks: PRODUCER_ACKS,
      compression: CompressionTypes.None,
      messages: chunk.messages,
    });
    onBatch({ timestampMs: now, perModel });
    sent += size;
    bytes += chunk.bytes;
  }
  return { events: sent, bytes, seconds: (Date.now() - started) / 1000 };
}
