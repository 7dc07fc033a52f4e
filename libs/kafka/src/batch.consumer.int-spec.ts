import {
  topicNames,
  validateDeadLetterRecord,
  validatePredictionEvent,
  type PredictionEvent,
} from '@driftline/contracts';
import { openDatabase, type Database, type UnitOfWork } from '@driftline/db';
import {
  consumeMessages,
  createIsolatedDatabase,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { PredictionFactory } from '../../../test/factories/event.factory';
import { BatchConsumer, topicRoute, type BatchConsumerOptions, type ValidBatch } from './batch.consumer';
import { KafkaDeadLetterSink } from './dead-letter.sink';
import { createIdempotentProducer, KafkaEventPublisher } from './event.publisher';
import { silentLogger } from './logger';
import { ensureTopics } from './topic.admin';

const WINDOW = { windowStart: new Date('2024-05-01T00:00:00Z'), windowEnd: new Date('2024-05-02T00:00:00Z') };

/** Counts records per model; throws for a batch holding a record marked poison. */
async function countOrThrow(batch: ValidBatch<PredictionEvent>, tx: UnitOfWork): Promise<void> {
  if (batch.records.some((r) => r.value.features.poison === true)) throw new Error('poison record');
  await tx.metrics.increment(
    batch.records.map((r) => ({ modelId: r.value.modelId, ...WINDOW, feature: '', metric: 'n', value: 1 })),
  );
}

// 0: one transaction per fetch; 300: the fetches of each partition gathered into commit intervals
describe.each([0, 300])(
  'BatchConsumer on a real broker and Postgres, commit interval %i ms',
  (commitIntervalMs) => {
    let isolated: IsolatedDatabase;
    let db: Database;
    let kafka: Kafka;
    let publisher: KafkaEventPublisher;

    beforeAll(async () => {
      isolated = await createIsolatedDatabase();
      db = await openDatabase({ url: isolated.url, poolSize: 6, applicationName: 'batch-consumer-spec' });
      kafka = new Kafka({
        clientId: uniqueName('bc'),
        brokers: [testKafkaBrokers()],
        logLevel: logLevel.NOTHING,
      });
      publisher = new KafkaEventPublisher(createIdempotentProducer(kafka));
      await publisher.connect();
    }, 60_000);

    afterAll(async () => {
      await publisher?.disconnect();
      await db?.close();
      await isolated?.drop();
    }, 60_000);

    async function setup(partitions: number) {
      const topics = topicNames(`${uniqueName('bc')}.`);
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, [topics.predictions, topics.deadLetter], {
        partitions,
        replicationFactor: 1,
      });
      await admin.disconnect();
      const groupId = uniqueName('bc-group');
      const consumer = (overrides: Partial<BatchConsumerOptions<UnitOfWork>> = {}) =>
        new BatchConsumer<UnitOfWork>({
          kafka,
          groupId,
          store: db,
          deadLetters: new KafkaDeadLetterSink(publisher, topics.deadLetter),
          logger: silentLogger,
          retries: 2,
          retryBackoffMs: 10,
          sessionTimeoutMs: 10_000,
          routes: [topicRoute(topics.predictions, validatePredictionEvent, countOrThrow)],
          commitIntervalMs,
          ...overrides,
        });
      const counted = async (models: string[]) =>
        (await Promise.all(models.map((modelId) => db.metrics.find({ modelId, metric: 'n' }))))
          .flat()
          .reduce((sum, p) => sum + p.value, 0);
      return { topics, groupId, consumer, counted };
    }

    it('dead-letters only the record its handler fails on, and counts the rest once', async () => {
      const { topics, groupId, consumer, counted } = await setup(1);
      const modelId = uniqueName('model');
      const events = Array.from({ length: 20 }, (_, i) =>
        PredictionFactory.create({ modelId, features: { i, poison: i === 7 } }),
      );
      await publisher.publish(
        topics.predictions,
        events.map((value) => ({ key: modelId, value })),
      );
      const c = consumer();
      await c.start();
      try {
        await waitFor(async () => (await counted([modelId])) === 19, {
          timeoutMs: 60_000,
          message: '19 counted',
        });
        const [letter] = await consumeMessages(testKafkaBrokers(), topics.deadLetter, 1, 30_000);
        const record = validateDeadLetterRecord(JSON.parse(letter.value ?? 'null'));
        if (!record.ok) throw new Error(record.errors.join('; '));
        expect(record.value.reasons).toEqual(['handler failed: poison record']);
        expect(record.value.sourceOffset).toBe('7');
        expect(JSON.parse(Buffer.from(record.value.valueBase64 ?? '', 'base64').toString())).toEqual(
          events[7],
        );
        await waitFor(() => c.stats().processed === 19, { message: 'stats' });
        expect(c.stats()).toMatchObject({ processed: 19, deadLettered: 1 });
        expect(await db.offsets.findAll(groupId, topics.predictions)).toEqual([
          { partition: 0, nextOffset: '20' },
        ]);
      } finally {
        await c.stop();
      }
    }, 120_000);

    it('resumes from the offsets stored in Postgres, whether Kafka committed offsets are ahead or behind', async () => {
      const { topics, groupId, consumer, counted } = await setup(2);
      const modelId = uniqueName('resume');
      const producer = kafka.producer();
      await producer.connect();
      for (const partition of [0, 1]) {
        await producer.send({
          topic: topics.predictions,
          messages: Array.from({ length: 20 }, (_, i) => ({
            partition,
            value: JSON.stringify(PredictionFactory.create({ modelId, features: { partition, i } })),
          })),
        });
      }
      await producer.disconnect();
      // Postgres says: partition 0 done up to 5, partition 1 up to 15; Kafka says the opposite
      await db.offsets.save(groupId, topics.predictions, 0, '5');
      await db.offsets.save(groupId, topics.predictions, 1, '15');
      const admin = kafka.admin();
      await admin.connect();
      await admin.setOffsets({
        groupId,
        topic: topics.predictions,
        partitions: [
          { partition: 0, offset: '15' },
          { partition: 1, offset: '5' },
        ],
      });
      await admin.disconnect();

      const c = consumer();
      await c.start();
      try {
        await waitFor(async () => (await counted([modelId])) === 15 + 5, {
          timeoutMs: 60_000,
          message: '20 counted',
        });
        await new Promise((r) => setTimeout(r, 1_500));
        expect(await counted([modelId])).toBe(20);
        expect(await db.offsets.findAll(groupId, topics.predictions)).toEqual([
          { partition: 0, nextOffset: '20' },
          { partition: 1, nextOffset: '20' },
        ]);
      } finally {
        await c.stop();
      }
    }, 120_000);

    it('reads again what Postgres lost after it committed (asynchronous commit, then a crash): nothing lost, nothing counted twice', async () => {
      const { topics, groupId, consumer, counted } = await setup(1);
      const modelId = uniqueName('lost');
      const publish = (from: number, count: number) =>
        publisher.publish(
          topics.predictions,
          Array.from({ length: count }, (_, i) => ({
            key: modelId,
            value: PredictionFactory.create({ modelId, features: { i: from + i } }),
          })),
        );
      const storedNext = async () => (await db.offsets.findAll(groupId, topics.predictions))[0]?.nextOffset;
      await publish(0, 20);
      const c = consumer();
      await c.start();
      try {
        await waitFor(async () => (await storedNext()) === '20', { timeoutMs: 60_000, message: '20 stored' });
        // Postgres comes back without the transactions that consumed offsets 10-19: their counts and
        // their offsets went together, while the consumer, still running, holds position 20
        await db.transaction(async (tx) => {
          await tx.offsets.save(groupId, topics.predictions, 0, '10', null);
          await tx.metrics.upsert([{ modelId, ...WINDOW, feature: '', metric: 'n', value: 10 }]);
        });
        await publish(20, 5);
        await waitFor(async () => (await storedNext()) === '25', { timeoutMs: 60_000, message: '25 stored' });
        expect(await counted([modelId])).toBe(25);
      } finally {
        await c.stop();
      }
    }, 120_000);

    (commitIntervalMs > 0 ? it : it.skip)(
      'commits an interval once its record values reach commitIntervalMaxBytes, before its time',
      async () => {
        const { topics, groupId, consumer, counted } = await setup(1);
        const modelId = uniqueName('model');
        const events = Array.from({ length: 50 }, (_, i) =>
          PredictionFactory.create({ modelId, features: { i } }),
        );
        await publisher.publish(
          topics.predictions,
          events.map((value) => ({ key: modelId, value })),
        );
        const bytes = Math.max(...events.map((e) => Buffer.byteLength(JSON.stringify(e))));
        // an interval of 10 minutes: only the byte bound commits within the wait below
        const c = consumer({ commitIntervalMs: 600_000, commitIntervalMaxBytes: 4 * bytes });
        await c.start();
        try {
          await waitFor(async () => (await counted([modelId])) >= 45, {
            timeoutMs: 60_000,
            message: 'intervals committed at their byte bound',
          });
          const [stored] = await db.offsets.findAll(groupId, topics.predictions);
          expect(Number(stored.nextOffset)).toBe(await counted([modelId]));
        } finally {
          await c.stop();
        }
        // a graceful stop commits the rest
        expect(await counted([modelId])).toBe(50);
      },
      120_000,
    );

    (commitIntervalMs > 0 ? it : it.skip)(
      'gathers the next interval while an earlier one commits, then commits both in offset order',
      async () => {
        const { topics, groupId, consumer, counted } = await setup(1);
        const modelId = uniqueName('model');
        const publish = (from: number, to: number) =>
          publisher.publish(
            topics.predictions,
            Array.from({ length: to - from }, (_, i) => {
              const value = PredictionFactory.create({ modelId, features: { i: from + i } });
              return { key: modelId, value };
            }),
          );
        let release = (): void => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let entered = (): void => undefined;
        const firstCommit = new Promise<void>((resolve) => (entered = resolve));
        const handled: number[] = [];
        const handle = async (batch: ValidBatch<PredictionEvent>, tx: UnitOfWork) => {
          entered();
          await gate;
          handled.push(...batch.records.map((r) => Number(r.offset)));
          await countOrThrow(batch, tx);
        };
        let uncommitted = 0;
        const c = consumer({
          routes: [topicRoute(topics.predictions, validatePredictionEvent, handle)],
          onUncommitted: (_topic, _partition, records) => (uncommitted = records),
        });
        await publish(0, 10);
        await c.start();
        try {
          await firstCommit;
          await publish(10, 20);
          // the first interval's 10 records are held by its commit, the next 10 are gathered meanwhile
          await waitFor(() => uncommitted === 20, { timeoutMs: 30_000, message: 'next interval gathered' });
          expect(await counted([modelId])).toBe(0);
          release();
          await waitFor(async () => (await counted([modelId])) === 20, {
            timeoutMs: 60_000,
            message: '20 counted',
          });
          expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => i));
          expect(await db.offsets.findAll(groupId, topics.predictions)).toEqual([
            { partition: 0, nextOffset: '20' },
          ]);
        } finally {
          release();
          await c.stop();
        }
      },
      120_000,
    );

    it('counts every record once while members join and leave the group mid-stream', async () => {
      const { topics, groupId, consumer, counted } = await setup(4);
      const models = Array.from({ length: 8 }, (_, i) => uniqueName(`rb-${i}`));
      const send = async (from: number, to: number) => {
        for (let start = from; start < to; start += 200) {
          const batch = Array.from({ length: Math.min(200, to - start) }, (_, i) => {
            const modelId = models[(start + i) % models.length];
            return { key: modelId, value: PredictionFactory.create({ modelId, features: { i: start + i } }) };
          });
          await publisher.publish(topics.predictions, batch);
        }
      };
      const a = consumer();
      const b = consumer();
      await send(0, 2_000);
      await a.start();
      await waitFor(async () => (await counted(models)) > 0, { timeoutMs: 60_000, message: 'a counting' });
      await b.start();
      await send(2_000, 4_000);
      await waitFor(async () => (await counted(models)) >= 3_000, {
        timeoutMs: 60_000,
        message: '3000 counted',
      });
      await a.stop();
      await send(4_000, 6_000);
      try {
        await waitFor(async () => (await counted(models)) === 6_000, {
          timeoutMs: 90_000,
          message: '6000 counted',
        });
        await new Promise((r) => setTimeout(r, 2_000));
        expect(await counted(models)).toBe(6_000);
        const offsets = await db.offsets.findAll(groupId, topics.predictions);
        expect(offsets.reduce((sum, o) => sum + Number(o.nextOffset), 0)).toBe(6_000);
      } finally {
        await b.stop();
      }
    }, 240_000);
  },
);
