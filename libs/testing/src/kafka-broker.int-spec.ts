import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { consumeMessages, createTopics, testKafkaBrokers, uniqueName } from './index';

// The project-level testTimeout in jest.config.js does not reach jest-circus (global option only).
jest.setTimeout(60_000);

describe('the integration run broker', () => {
  const brokers = () => testKafkaBrokers();

  it('delivers what is produced, keyed messages in order within their partition', async () => {
    const topic = uniqueName('it-broker');
    await createTopics(brokers(), [topic], 3);
    const kafka = new Kafka({ clientId: 'it-broker', brokers: [brokers()], logLevel: logLevel.ERROR });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent = Array.from({ length: 60 }, (_, i) => ({ key: `model-${i % 4}`, value: `${i}` }));
    await producer.send({ topic, messages: sent.map((m) => ({ ...m, headers: { source: 'it' } })) });
    await producer.disconnect();

    const received = await consumeMessages(brokers(), topic, sent.length);
    expect(received.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
    for (const key of ['model-0', 'model-1', 'model-2', 'model-3']) {
      const ofKey = received.filter((m) => m.key === key);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      expect(ofKey.map((m) => Number(m.value))).toEqual(
        sent.filter((m) => m.key === key).map((m) => Number(m.value)),
      );
    }
    expect(received[0].headers).toEqual({ source: 'it' });
  });

  it('does not create topics on first use', async () => {
    const kafka = new Kafka({ clientId: 'it-broker', brokers: [brokers()], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const missing = uniqueName('it-missing');
      await expect(admin.fetchTopicMetadata({ topics: [missing] })).rejects.toThrow(
        /does not host this topic-partition/,
      );
      expect(await admin.listTopics()).not.toContain(missing);
    } finally {
      await admin.disconnect();
    }
  });

  it('creates the partition count asked for', async () => {
    const topic = uniqueName('it-partitions');
    await createTopics(brokers(), [topic], 4);
    const admin = new Kafka({
      clientId: 'it-broker',
      brokers: [brokers()],
      logLevel: logLevel.ERROR,
    }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0].partitions).toHaveLength(4);
    } finally {
      await admin.disconnect();
    }
  });
});
