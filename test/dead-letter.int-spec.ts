import { validateDeadLetterRecord, type DeadLetterRecord } from '@driftline/contracts';
import {
  consumeMessages,
  createIsolatedDatabase,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { MonitorModule } from '../services/monitor/src/monitor.module';
import { PredictionFactory } from './factories/event.factory';
import {
  SERVICE_HOOK_TIMEOUT_MS,
  serviceEnv,
  startService,
  sumMetric,
  testPrefix,
  type RunningService,
} from './helpers/driftline.harness';

describe('monitor: invalid records go to the dead-letter topic and the consumer carries on', () => {
  let monitor: RunningService;
  let database: IsolatedDatabase;
  let producer: Producer;

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    monitor = await startService(
      'monitor',
      (c) => MonitorModule.forRoot(c),
      serviceEnv(testPrefix('it-dlq'), database.url),
    );
    const kafka = new Kafka({
      clientId: uniqueName('dlq-test'),
      brokers: [testKafkaBrokers()],
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await producer?.disconnect();
    await monitor?.close();
    await database?.drop();
  }, SERVICE_HOOK_TIMEOUT_MS);

  it('dead-letters a malformed and a schema-invalid record with their reasons, then counts a valid one', async () => {
    const { topics } = monitor.config.kafka;
    const modelId = uniqueName('model');
    const invalid = PredictionFactory.create({
      modelId,
      timestamp: 'not a time',
      prediction: true as unknown as number,
    });
    const valid = PredictionFactory.create({ modelId });
    // one key, so one partition and this order
    await producer.send({
      topic: topics.predictions,
      messages: [
        { key: modelId, value: '{"eventId": "e1", ' },
        { key: modelId, value: JSON.stringify(invalid) },
        { key: modelId, value: JSON.stringify(valid) },
      ],
    });

    await waitFor(async () => (await sumMetric(database.url, [modelId], 'prediction_count')) === 1, {
      timeoutMs: 60_000,
      message: 'the valid record counted',
    });

    const letters = (await consumeMessages(testKafkaBrokers(), topics.deadLetter, 2, 30_000)).map((m) => {
      const parsed = JSON.parse(m.value ?? 'null') as unknown;
      const checked = validateDeadLetterRecord(parsed);
      if (!checked.ok) throw new Error(checked.errors.join('; '));
      return { key: m.key, record: checked.value };
    });
    const [malformed, schema] = letters
      .map((l) => l.record)
      .sort((a, b) => Number(a.sourceOffset) - Number(b.sourceOffset));

    expect(letters.map((l) => l.key)).toEqual([modelId, modelId]);
    const common: Partial<DeadLetterRecord> = {
      sourceTopic: topics.predictions,
      consumerGroup: monitor.config.kafka.groups.monitor,
      key: modelId,
    };
    expect(malformed).toMatchObject(common);
    expect(Buffer.from(malformed.valueBase64 ?? '', 'base64').toString('utf8')).toBe('{"eventId": "e1", ');
    expect(malformed.reasons).toHaveLength(1);
    expect(malformed.reasons[0]).toMatch(/^value is not valid JSON/);

    expect(schema).toMatchObject({ ...common, sourcePartition: malformed.sourcePartition });
    expect(BigInt(schema.sourceOffset)).toBe(BigInt(malformed.sourceOffset) + 1n);
    expect(JSON.parse(Buffer.from(schema.valueBase64 ?? '', 'base64').toString('utf8'))).toEqual(invalid);
    expect(schema.reasons.sort()).toEqual([
      '/prediction must be of type number or string',
      '/timestamp must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z',
    ]);
  }, 120_000);
});
