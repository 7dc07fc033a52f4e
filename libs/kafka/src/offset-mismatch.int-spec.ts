import { topicNames, validatePredictionEvent, type PredictionEvent } from '@driftline/contracts';
import { openDatabase, type Database, type UnitOfWork } from '@driftline/db';
import {
  createIsolatedDatabase,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { startLocalKafka } from '../../../infra/kafka/local-kafka';
import { PredictionFactory } from '../../../test/factories/event.factory';
import { BatchConsumer, topicRoute, type ValidBatch } from './batch.consumer';
import { KafkaDeadLetterSink } from './dead-letter.sink';
import { createIdempotentProducer, KafkaEventPublisher } from './event.publisher';
import { silentLogger } from './logger';
import type { OffsetMismatchPolicy, OffsetResetEntry } from './offset.mismatch';
import { ensureTopics } from './topic.admin';

const WINDOW = { windowStart: new Date('2024-05-01T00:00:00Z'), windowEnd: new Date('2024-05-02T00:00:00Z') };

/** Counts records per model and run (features.run), so a test sees which broker's records it got. */
async function count(batch: ValidBatch<PredictionEvent>, tx: UnitOfWork): Promise<void> {
  await tx.metrics.increment(
    batch.records.map((r) => ({
      modelId: r.value.modelId,
      ...WINDOW,
      feature: String(r.value.features.run),
      metric: 'n',
      value: 1,
    })),
  );
}

const kafkaClient = (brokers: string) =>
  new Kafka({ clientId: uniqueName('om'), brokers: [brokers], logLevel: logLevel.NOTHING });

describe('stored offsets that disagree with the broker (real broker and Postgres)', () => {
  let isolated: IsolatedDatabase;
  let db: Database;

  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    db = await openDatabase({ url: isolated.url, poolSize: 6, applicationName: 'offset-mismatch-spec' });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  }, 60_000);

  /** One namespace of topics and one consumer group, on whichever broker a step names. */
  function scenario(partitions: number) {
    const topics = topicNames(`${uniqueName('om')}.`);
    const groupId = uniqueName('om-group');
    const modelId = uniqueName('model');
    const reported: OffsetResetEntry[] = [];
    const prepare = async (kafka: Kafka) => {
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, [topics.predictions, topics.deadLetter], {
        partitions,
        replicationFactor: 1,
      });
      await admin.disconnect();
    };
    /** Produces `n` events of run `run` to one partition. */
    const produce = async (kafka: Kafka, partition: number, run: string, n: number) => {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: topics.predictions,
        messages: Array.from({ length: n }, (_, i) => ({
          partition,
          key: modelId,
          value: JSON.stringify(PredictionFactory.create({ modelId, features: { run, i } })),
        })),
      });
      await producer.disconnect();
    };
    const consumer = (kafka: Kafka, publisher: KafkaEventPublisher, policy: OffsetMismatchPolicy) =>
      new BatchConsumer<UnitOfWork>({
        kafka,
        groupId,
        store: db,
        deadLetters: new KafkaDeadLetterSink(publisher, topics.deadLetter),
        logger: silentLogger,
        retries: 2,
        retryBackoffMs: 10,
        sessionTimeoutMs: 10_000,
        offsetMismatch: policy,
        onOffsetReset: (reset) => reported.push(reset),
        routes: [topicRoute(topics.predictions, validatePredictionEvent, count)],
      });
    const counted = async (run: string) =>
      (await db.metrics.find({ modelId, metric: 'n', feature: run })).reduce((sum, p) => sum + p.value, 0);
    const stored = async () =>
      Object.fromEntries(
        (await db.offsets.findAll(groupId, topics.predictions)).map((o) => [o.partition, o.nextOffset]),
      );
    const resets = async () =>
      (await db.offsets.findResets({ groupId, limit: 100 }))
        .map((r) => ({
          partition: r.partition,
          reason: r.reason,
          oldOffset: r.oldOffset,
          newOffset: r.newOffset,
        }))
        .sort((a, b) => a.partition - b.partition);
    return { topics, groupId, prepare, produce, consumer, counted, stored, resets, reported };
  }

  async function withPublisher<T>(kafka: Kafka, work: (p: KafkaEventPublisher) => Promise<T>): Promise<T> {
    const publisher = new KafkaEventPublisher(createIdempotentProducer(kafka));
    await publisher.connect();
    try {
      return await work(publisher);
    } finally {
      await publisher.disconnect();
    }
  }

  /** Runs a consumer on `kafka` until `until` holds, then stops it. */
  async function consumeUntil(
    s: ReturnType<typeof scenario>,
    kafka: Kafka,
    until: () => Promise<boolean>,
    message: string,
  ): Promise<void> {
    await withPublisher(kafka, async (publisher) => {
      const c = s.consumer(kafka, publisher, 'reset');
      await c.start();
      try {
        await waitFor(until, { timeoutMs: 90_000, message });
      } finally {
        await c.stop();
      }
    });
  }

  it('(a) counts every event of a replaced broker and records why the offsets moved', async () => {
    const s = scenario(2);
    const first = kafkaClient(testKafkaBrokers());
    await s.prepare(first);
    await s.produce(first, 0, 'old', 30);
    await s.produce(first, 1, 'old', 30);
    await consumeUntil(
      s,
      first,
      async () => (await s.stored())[0] === '30' && (await s.stored())[1] === '30',
      'the first broker consumed',
    );

    // a new broker, a new data folder, the same database: partition 0 ends before the stored
    // offset, partition 1 already holds more records than were consumed on the old broker
    const replacement = await startLocalKafka({ numPartitions: 1 });
    try {
      const second = kafkaClient(replacement.brokers);
      await s.prepare(second);
      await s.produce(second, 0, 'new', 10);
      await s.produce(second, 1, 'new', 50);
      await consumeUntil(
        s,
        second,
        async () => (await s.stored())[0] === '10' && (await s.stored())[1] === '50',
        'the replacement consumed',
      );
      expect(await s.counted('new')).toBe(60);
      expect(await s.counted('old')).toBe(60);
      expect(await s.resets()).toEqual([
        { partition: 0, reason: 'beyond_end', oldOffset: '30', newOffset: '0' },
        { partition: 1, reason: 'topic_changed', oldOffset: '30', newOffset: '0' },
      ]);
      expect(s.reported.map((r) => r.reason).sort()).toEqual(['beyond_end', 'topic_changed']);
    } finally {
      await replacement.stop();
    }
  }, 240_000);

  it.each([
    ['fewer records than were consumed', 5, 'beyond_end'],
    ['more records than were consumed', 50, 'topic_changed'],
  ])(
    '(b) counts a topic deleted and re-created while the consumer runs, holding %s',
    async (_, recreated, reason) => {
      const s = scenario(1);
      const kafka = kafkaClient(testKafkaBrokers());
      await s.prepare(kafka);
      await s.produce(kafka, 0, 'old', 20);
      await withPublisher(kafka, async (publisher) => {
        const c = s.consumer(kafka, publisher, 'reset');
        await c.start();
        try {
          await waitFor(async () => (await s.stored())[0] === '20', {
            timeoutMs: 60_000,
            message: '20 stored',
          });
          const admin = kafka.admin();
          await admin.connect();
          try {
            await admin.deleteTopics({ topics: [s.topics.predictions], timeout: 30_000 });
            await waitFor(async () => !(await admin.listTopics()).includes(s.topics.predictions), {
              timeoutMs: 30_000,
              message: 'topic deleted',
            });
          } finally {
            await admin.disconnect();
          }
          await s.prepare(kafka);
          await s.produce(kafka, 0, 'new', recreated);
          await waitFor(async () => (await s.stored())[0] === String(recreated), {
            timeoutMs: 90_000,
            message: `${recreated} stored`,
          });
        } finally {
          await c.stop();
        }
      });
      expect(await s.counted('new')).toBe(recreated);
      expect(await s.counted('old')).toBe(20);
      expect(await s.resets()).toEqual([{ partition: 0, reason, oldOffset: '20', newOffset: '0' }]);
    },
    240_000,
  );

  it('(c) policy fail keeps the consumer not ready, says what to do, and consumes nothing', async () => {
    const s = scenario(1);
    const kafka = kafkaClient(testKafkaBrokers());
    await s.prepare(kafka);
    await s.produce(kafka, 0, 'new', 5);
    // offsets left by another broker's topic: past this partition's end
    await db.offsets.save(s.groupId, s.topics.predictions, 0, '400', null);
    await withPublisher(kafka, async (publisher) => {
      const c = s.consumer(kafka, publisher, 'fail');
      await c.start();
      try {
        const problems = await waitFor(() => (c.problems().length > 0 ? c.problems() : null), {
          timeoutMs: 60_000,
          message: 'a problem reported',
        });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(`${s.topics.predictions} partition 0`);
        expect(problems[0]).toContain('stored offset 400 is past the partition');
        expect(problems[0]).toContain('CONSUMER_OFFSET_MISMATCH=reset');
        expect(c.isReady()).toBe(false);
        // still paused after more records arrive
        await s.produce(kafka, 0, 'new', 5);
        expect(c.isReady()).toBe(false);
      } finally {
        await c.stop();
      }
    });
    expect(await s.counted('new')).toBe(0);
    expect(await s.stored()).toEqual({ 0: '400' });
    expect(await s.resets()).toEqual([]);
  }, 120_000);

  it('(d) counts records deleted before they were consumed as lost, and consumes the rest', async () => {
    const s = scenario(1);
    const kafka = kafkaClient(testKafkaBrokers());
    await s.prepare(kafka);
    await s.produce(kafka, 0, 'early', 10);
    await consumeUntil(s, kafka, async () => (await s.stored())[0] === '10', '10 stored');
    await s.produce(kafka, 0, 'late', 30);
    // what retention does to a log nobody consumed: its start moves past the stored offset
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.fetchTopicMetadata({ topics: [s.topics.predictions] });
      await admin.deleteTopicRecords({
        topic: s.topics.predictions,
        partitions: [{ partition: 0, offset: '25' }],
      });
    } finally {
      await admin.disconnect();
    }
    await consumeUntil(s, kafka, async () => (await s.stored())[0] === '40', '40 stored');
    expect(await s.counted('late')).toBe(15);
    const [lost] = await db.offsets.findResets({ groupId: s.groupId, limit: 10 });
    expect(lost).toMatchObject({
      reason: 'records_lost',
      oldOffset: '10',
      newOffset: '25',
      recordsLost: '15',
    });
    expect(s.reported).toHaveLength(1);
  }, 120_000);
});
