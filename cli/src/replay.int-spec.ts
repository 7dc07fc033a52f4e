import { appendFileSync } from 'node:fs';
import { topicNames, type GroundTruthEvent, type PredictionEvent } from '@driftline/contracts';
import {
  consumeMessages,
  createTopics,
  TEST_ADMIN_KEY,
  testKafkaBrokers,
  uniqueName,
} from '@driftline/testing';
import { GroundTruthFactory, PredictionFactory } from '../../test/factories/event.factory';
import { startApi, type RunningApi } from '../../services/api/src/models/api-app.fixture';
import { closedPort, runCli, tempDir, writeJsonl } from './cli.fixture';

/** 30 predictions of one model and a label for each of the first 10, interleaved. */
function eventsOf(modelId: string): { predictions: PredictionEvent[]; labels: GroundTruthEvent[] } {
  const predictions = Array.from({ length: 30 }, (_, i) =>
    PredictionFactory.create({ modelId, features: { age: 20 + i, plan: i % 2 ? 'pro' : 'basic' } }),
  );
  const labels = predictions
    .slice(0, 10)
    .map((p, i) => GroundTruthFactory.create({ modelId, predictionId: p.predictionId, label: i % 2 }));
  return { predictions, labels };
}

/** What landed on the topics, with its key, in the order of each topic. */
async function landed(prefix: string, predictions: number, labels: number) {
  const topics = topicNames(prefix);
  const read = async (topic: string, count: number) =>
    (await consumeMessages(testKafkaBrokers(), topic, count)).map((m) => [m.key, JSON.parse(m.value ?? '')]);
  return {
    predictions: await read(topics.predictions, predictions),
    labels: await read(topics.groundTruth, labels),
  };
}

describe('driftline replay against the real API and Kafka', () => {
  let api: RunningApi;
  const prefix = `${uniqueName('replay-http')}.`;
  const dir = tempDir();
  beforeAll(async () => {
    // topics of its own, which the api creates at boot
    api = await startApi({ env: { KAFKA_TOPIC_PREFIX: prefix } });
  });
  afterAll(() => api.close());

  it('sends every event of the file over HTTP, and the api publishes each keyed by its model', async () => {
    const modelId = uniqueName('replay');
    const { predictions, labels } = eventsOf(modelId);
    const file = writeJsonl(dir, 'http.jsonl', [
      ...predictions.slice(0, 15),
      ...labels,
      ...predictions.slice(15),
    ]);
    const run = await runCli([
      'replay',
      '--file',
      file,
      '--rate',
      '200',
      '--batch',
      '7',
      '--api',
      api.url,
      '--key',
      TEST_ADMIN_KEY,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      new RegExp(
        `^replayed ${file} over http to ${api.url}: 40 sent, 0 failed of 40 events \\(30 predictions, 10 ground truth\\) in \\d+\\.\\d s, [\\d.]+ events/s\\n$`,
      ),
    );
    expect(await landed(prefix, 30, 10)).toEqual({
      predictions: predictions.map((e) => [modelId, e]),
      labels: labels.map((e) => [modelId, e]),
    });
  });

  it('sends them straight to Kafka, keyed by model as the api does', async () => {
    const kafkaPrefix = `${uniqueName('replay-kafka')}.`;
    const topics = topicNames(kafkaPrefix);
    await createTopics(testKafkaBrokers(), [topics.predictions, topics.groundTruth]);
    const modelId = uniqueName('replay');
    const { predictions, labels } = eventsOf(modelId);
    const file = writeJsonl(dir, 'kafka.jsonl', [...labels, ...predictions]);
    const run = await runCli([
      'replay',
      '--file',
      file,
      '--rate',
      '500',
      '--to',
      'kafka',
      '--brokers',
      testKafkaBrokers(),
      '--topic-prefix',
      kafkaPrefix,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`over kafka to ${testKafkaBrokers()}: 40 sent, 0 failed of 40 events`);
    expect(await landed(kafkaPrefix, 30, 10)).toEqual({
      predictions: predictions.map((e) => [modelId, e]),
      labels: labels.map((e) => [modelId, e]),
    });
  });

  it('stops at the first invalid line before sending anything (exit 2, one line)', async () => {
    const good = PredictionFactory.create();
    const file = writeJsonl(dir, 'bad.jsonl', [good, { ...good, eventId: 'e-2', features: 'none' }, good]);
    // an API nobody answers: had the replay sent anything, it would have failed with exit 3
    const nobody = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(['replay', '--file', file, '--rate', '10', '--api', nobody]);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `driftline: ${file} line 2: invalid prediction event: /features must be of type object\n`,
    });
    const notJson = writeJsonl(dir, 'text.jsonl', [good]);
    appendFileSync(notJson, 'hello\n');
    const text = await runCli(['replay', '--file', notJson, '--rate', '10', '--api', nobody]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(new RegExp(`^driftline: ${notJson} line 2: not JSON \\(.*\\)\\n$`));
  });

  it('exits 3 with one line when the API cannot be reached, after its retries', async () => {
    const file = writeJsonl(dir, 'one.jsonl', [PredictionFactory.create()]);
    const nobody = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(['replay', '--file', file, '--rate', '10', '--api', nobody]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/: 0 sent, 1 failed of 1 events/);
    expect(run.stderr).toBe(`driftline: 1 of 1 events not sent: cannot reach ${nobody}: ECONNREFUSED\n`);
  });
});
