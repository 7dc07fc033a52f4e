import { topicNames } from '@driftline/contracts';
import {
  consumeMessages,
  createTopics,
  TEST_ADMIN_KEY,
  testKafkaBrokers,
  uniqueName,
  waitFor,
} from '@driftline/testing';
import { closedPort } from '../../../cli/src/cli.fixture';
import { startApi, type RunningApi } from '../../../services/api/src/models/api-app.fixture';
import type { ClientStats } from './client.stats';
import { DriftlineClient } from './driftline.client';

/** 50 predictions of `modelId` and a label for each fifth, through the client; their ids. */
function sendSome(client: DriftlineClient, modelId: string): { predictions: string[]; labels: string[] } {
  const predictions: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < 50; i++) {
    const eventId = `${modelId}-p${i}`;
    predictions.push(eventId);
    client.prediction({
      eventId,
      modelId,
      modelVersion: '1',
      predictionId: `p${i}`,
      features: { x: i },
      prediction: i % 2,
    });
    if (i % 5 === 0) {
      labels.push(`${modelId}-g${i}`);
      client.groundTruth({ eventId: `${modelId}-g${i}`, modelId, predictionId: `p${i}`, label: i % 2 });
    }
  }
  return { predictions, labels };
}

async function onTopics(prefix: string, predictions: number, labels: number) {
  const topics = topicNames(prefix);
  const read = async (topic: string, count: number) =>
    (await consumeMessages(testKafkaBrokers(), topic, count)).map((m) => {
      const value = JSON.parse(m.value ?? '') as { eventId: string; modelId: string; timestamp: string };
      expect(value.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      return [m.key, value.eventId];
    });
  return {
    predictions: await read(topics.predictions, predictions),
    labels: await read(topics.groundTruth, labels),
  };
}

const keyed = (modelId: string, ids: string[]) => ids.map((id) => [modelId, id]);

describe('DriftlineClient against the real API and Kafka', () => {
  let api: RunningApi;
  const prefix = `${uniqueName('client-http')}.`;
  beforeAll(async () => {
    api = await startApi({ env: { KAFKA_TOPIC_PREFIX: prefix } });
  });
  afterAll(() => api.close());

  it('over HTTP: every event lands on its topic, keyed by model, and close() tells what was sent', async () => {
    const modelId = uniqueName('client');
    const client = new DriftlineClient({
      transport: 'http',
      url: api.url,
      key: TEST_ADMIN_KEY,
      batchSize: 20,
    });
    const { predictions, labels } = sendSome(client, modelId);
    const stats = await client.close();
    expect(stats).toEqual({ sent: 60, buffered: 0, dropped: expect.objectContaining({ buffer_full: 0 }) });
    expect(Object.values(stats.dropped).every((n) => n === 0)).toBe(true);
    expect(await onTopics(prefix, 50, 10)).toEqual({
      predictions: keyed(modelId, predictions),
      labels: keyed(modelId, labels),
    });
  });

  it('with a key the API refuses: each batch dropped at once as rejected, not retried', async () => {
    const errors: string[] = [];
    const client = new DriftlineClient({
      transport: 'http',
      url: api.url,
      key: 'not-a-key',
      batchSize: 20,
      onError: (e) => errors.push(e.message),
    });
    sendSome(client, uniqueName('refused'));
    expect(await client.close()).toMatchObject({
      sent: 0,
      buffered: 0,
      dropped: { rejected: 60, retries_exhausted: 0 },
    });
    expect(errors[0]).toMatch(new RegExp(`^${api.url}: HTTP 401 unauthenticated: `));
  });

  it('over Kafka: every event lands on its topic, keyed by model', async () => {
    const kafkaPrefix = `${uniqueName('client-kafka')}.`;
    const topics = topicNames(kafkaPrefix);
    await createTopics(testKafkaBrokers(), [topics.predictions, topics.groundTruth]);
    const modelId = uniqueName('client');
    const client = new DriftlineClient({
      transport: 'kafka',
      brokers: testKafkaBrokers().split(','),
      topicPrefix: kafkaPrefix,
    });
    const { predictions, labels } = sendSome(client, modelId);
    expect(await client.close()).toMatchObject({ sent: 60, buffered: 0 });
    expect(await onTopics(kafkaPrefix, 50, 10)).toEqual({
      predictions: keyed(modelId, predictions),
      labels: keyed(modelId, labels),
    });
  });

  it('with the API unreachable: the app goes on, never more than maxBuffered are held, every drop is counted', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const errors: string[] = [];
    const client = new DriftlineClient({
      transport: 'http',
      url,
      batchSize: 10,
      maxBuffered: 100,
      lingerMs: 5,
      retry: { maxAttempts: 2, baseMs: 5, maxMs: 20 },
      onError: (e) => errors.push(e.reason),
    });
    const held: number[] = [];
    let accepted = 0;
    // the app goes on producing while nothing gets through: a few rounds, each a burst of 2,000
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 2000; i++) {
        if (
          client.prediction({
            modelId: 'm',
            modelVersion: '1',
            predictionId: `p${round}-${i}`,
            features: { x: i },
            prediction: 0,
          })
        )
          accepted++;
        held.push(client.stats().buffered);
      }
      const dropped = client.stats().dropped.retries_exhausted;
      await waitFor(() => client.stats().dropped.retries_exhausted > dropped, {
        message: 'a batch given up on',
      });
    }
    expect(Math.max(...held)).toBe(100);
    const stats: ClientStats = await client.close(2000);
    const { dropped } = stats;
    expect(stats.sent).toBe(0);
    expect(stats.buffered).toBe(0);
    expect(dropped.buffer_full + dropped.retries_exhausted + dropped.close_deadline).toBe(10_000);
    expect(dropped.buffer_full).toBe(10_000 - accepted);
    expect(dropped.retries_exhausted).toBeGreaterThan(0);
    expect(errors).toContain('retries_exhausted');
  });
});
