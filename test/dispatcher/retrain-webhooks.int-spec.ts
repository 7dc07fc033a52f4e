import { topicNames, type RetrainTriggerEvent } from '@driftline/contracts';
import {
  createIsolatedDatabase,
  startWebhookReceiver,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
  type ScriptedResponse,
  type WebhookReceiver,
} from '@driftline/testing';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { AppModule } from '../../services/api/src/app.module';
import type { RetrainDeliveryView } from '../../services/api/src/pipelines/pipeline.mapper';
import type { RetrainDeliveryList } from '../../services/api/src/pipelines/pipelines.controller';
import { DispatcherModule } from '../../services/dispatcher/src/dispatcher.module';
import { PipelineSpecFactory, RetrainTriggerFactory } from '../factories/retrain.factory';
import {
  SERVICE_HOOK_TIMEOUT_MS,
  serviceEnv,
  startService,
  testPrefix,
  type RunningService,
  withAdminKey,
} from '../helpers/driftline.harness';
import { connectedProducer, signedWith } from './retrain.fixtures';

const HOUR = 3_600_000;
const WAIT = { timeoutMs: 60_000, intervalMs: 50 };

describe('dispatcher: retrain triggers on Kafka to signed webhooks', () => {
  let database: IsolatedDatabase;
  let api: RunningService;
  let dispatcher: RunningService;
  let producer: Producer;
  const receivers: WebhookReceiver[] = [];
  const prefix = testPrefix('it-retrain');
  const topics = topicNames(prefix);

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    const env = serviceEnv(prefix, database.url, {
      DISPATCH_POLL_INTERVAL: '100ms',
      DISPATCH_RETRY_BACKOFF: '100ms',
      DISPATCH_RETRY_MAX_BACKOFF: '200ms',
      DISPATCH_SEND_TIMEOUT: '5s',
    });
    // the api first: it creates the topics the dispatcher subscribes to
    api = await startService('api', (context) => AppModule.forRoot(context), env);
    dispatcher = await startService('dispatcher', (context) => DispatcherModule.forRoot(context), env);
    producer = await connectedProducer();
    await waitFor(async () => (await request(dispatcher.app.getHttpServer()).get('/readyz')).status === 200, {
      ...WAIT,
      message: 'the dispatcher ready (in its consumer group)',
    });
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await producer?.disconnect();
    await dispatcher?.close();
    await api?.close();
    await Promise.all(receivers.map((r) => r.close()));
    await database?.drop();
  }, SERVICE_HOOK_TIMEOUT_MS);

  async function receiver(...responses: ScriptedResponse[]): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver({ responses });
    receivers.push(started);
    return started;
  }

  /** A pipeline for one model only, so the tests do not see each other's triggers. */
  async function pipelineFor(modelId: string, url: string, cooldown = '6h') {
    const spec = PipelineSpecFactory.create({
      pipelineId: uniqueName('pipeline'),
      url: `${url}/retrain`,
      matchers: [{ name: 'modelId', op: '=', value: modelId }],
      cooldown,
    });
    const created = await withAdminKey(api).post('/v1/pipelines').send(spec);
    expect(created.status).toBe(201);
    return spec as typeof spec & { secret: string };
  }

  const produce = (...triggers: RetrainTriggerEvent[]) =>
    producer.send({
      topic: topics.retrainTriggers,
      messages: triggers.map((t) => ({ key: t.modelId, value: JSON.stringify(t) })),
    });

  async function deliveryLog(pipelineId: string): Promise<RetrainDeliveryView[]> {
    const response = await withAdminKey(api).get(`/v1/pipelines/${pipelineId}/deliveries`);
    expect(response.status).toBe(200);
    return (response.body as RetrainDeliveryList).deliveries;
  }

  /** The pipeline's log once it holds `count` deliveries, none of them pending. */
  const finishedLog = (pipelineId: string, count: number) =>
    waitFor(
      async () => {
        const log = await deliveryLog(pipelineId);
        return log.length === count && log.every((d) => d.status !== 'pending') ? log : null;
      },
      { ...WAIT, message: `${count} finished deliveries in the log of ${pipelineId}` },
    );

  async function counted(status: string): Promise<number> {
    const text = (await request(dispatcher.app.getHttpServer()).get('/metrics')).text;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('driftline_retrain_deliveries_total{') && l.includes(`status="${status}"`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  it('POSTs a trigger from Kafka to the pipeline, signed, with the trigger id as Idempotency-Key', async () => {
    const modelId = uniqueName('bikes');
    const hook = await receiver();
    const pipeline = await pipelineFor(modelId, hook.url);
    const trigger = RetrainTriggerFactory.create({ modelId });
    await produce(trigger);

    const log = await finishedLog(pipeline.pipelineId, 1);
    expect(hook.requests).toHaveLength(1);
    const [received] = hook.requests;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/retrain');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['idempotency-key']).toBe(trigger.triggerId);
    expect(signedWith(pipeline.secret, received)).toBe(true);
    expect(signedWith('some-other-secret-value', received)).toBe(false);
    expect(JSON.parse(received.text)).toEqual(trigger);

    expect(log[0]).toMatchObject({
      triggerId: trigger.triggerId,
      modelId,
      status: 'delivered',
      trigger,
      attempts: [{ attempt: 1, httpStatus: 200, outcome: 'delivered' }],
    });
  });

  it('retries a 500 and delivers on the next attempt; both attempts are in the log', async () => {
    const modelId = uniqueName('bikes');
    const hook = await receiver({ status: 500, body: 'database is down' }, 200);
    const pipeline = await pipelineFor(modelId, hook.url);
    const trigger = RetrainTriggerFactory.create({ modelId });
    await produce(trigger);

    const [delivery] = await finishedLog(pipeline.pipelineId, 1);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ attempt: 1, httpStatus: 500, outcome: 'retry', error: 'database is down' }),
      expect.objectContaining({ attempt: 2, httpStatus: 200, outcome: 'delivered', error: null }),
    ]);
    expect(hook.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(hook.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      trigger.triggerId,
      trigger.triggerId,
    ]);
    expect(hook.requests.every((r) => signedWith(pipeline.secret, r))).toBe(true);
    // the same bytes each time
    expect(hook.requests[1].text).toBe(hook.requests[0].text);
  });

  it('sends one webhook for two triggers of a model within the cooldown, and logs the other as skipped', async () => {
    const modelId = uniqueName('bikes');
    const hook = await receiver();
    const pipeline = await pipelineFor(modelId, hook.url, '6h');
    const skippedBefore = await counted('skipped');
    const first = RetrainTriggerFactory.create({
      modelId,
      createdAt: new Date(Date.now() - 2 * HOUR).toISOString(),
    });
    const second = RetrainTriggerFactory.create({ modelId, createdAt: new Date().toISOString() });
    await produce(first);
    await produce(second);

    const log = await finishedLog(pipeline.pipelineId, 2);
    const byTrigger = new Map(log.map((d) => [d.triggerId, d]));
    expect(byTrigger.get(first.triggerId)).toMatchObject({ status: 'delivered' });
    expect(byTrigger.get(second.triggerId)).toMatchObject({
      status: 'skipped',
      reason: `cooldown: within 6h of trigger ${first.triggerId}`,
      attempts: [],
    });
    expect(hook.requests.map((r) => r.headers['idempotency-key'])).toEqual([first.triggerId]);
    expect(await counted('skipped')).toBe(skippedBefore + 1);
  });

  it('changes nothing when a trigger is published twice', async () => {
    const modelId = uniqueName('bikes');
    const hook = await receiver();
    const pipeline = await pipelineFor(modelId, hook.url, '0s');
    const twice = RetrainTriggerFactory.create({ modelId });
    // same key, same partition: the marker is consumed after both copies
    const marker = RetrainTriggerFactory.create({ modelId });
    await produce(twice, twice);
    await produce(marker);

    const log = await finishedLog(pipeline.pipelineId, 2);
    expect(log.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(hook.requests.map((r) => r.headers['idempotency-key']).sort()).toEqual(
      [twice.triggerId, marker.triggerId].sort(),
    );
  });

  it('fails a delivery the receiver rejects with a 4xx at once, and counts it', async () => {
    const modelId = uniqueName('bikes');
    const hook = await receiver({ status: 401, body: 'bad signature' });
    const pipeline = await pipelineFor(modelId, hook.url);
    const failedBefore = await counted('failed');
    await produce(RetrainTriggerFactory.create({ modelId }));

    const [delivery] = await finishedLog(pipeline.pipelineId, 1);
    expect(delivery).toMatchObject({
      status: 'failed',
      reason: 'HTTP 401: bad signature (not retried)',
      attempts: [{ attempt: 1, httpStatus: 401, outcome: 'failed' }],
    });
    expect(hook.requests).toHaveLength(1);
    expect(await counted('failed')).toBe(failedBefore + 1);
  });

  it('delivers a trigger requested with POST /v1/models/:id/retrain', async () => {
    const modelId = uniqueName('bikes');
    const registered = await withAdminKey(api)
      .post('/v1/models')
      .send({ modelId, window: { size: '1h', step: '5m', allowedLateness: '10m' } });
    expect(registered.status).toBe(201);
    const hook = await receiver();
    const pipeline = await pipelineFor(modelId, hook.url);

    const response = await withAdminKey(api)
      .post(`/v1/models/${modelId}/retrain`)
      .send({ reason: 'new labelled data for May' });
    expect(response.status).toBe(202);
    const { triggerId } = response.body as { triggerId: string };
    expect(typeof triggerId).toBe('string');

    await waitFor(() => hook.requests.length === 1, { ...WAIT, message: 'the receiver got the trigger' });
    const [received] = hook.requests;
    expect(received.headers['idempotency-key']).toBe(triggerId);
    expect(signedWith(pipeline.secret, received)).toBe(true);
    const body = JSON.parse(received.text) as RetrainTriggerEvent;
    expect(body).toMatchObject({
      triggerId,
      modelId,
      modelVersion: 'unknown',
      reason: 'new labelled data for May',
      alertIds: [],
    });
    // no window evaluated yet: the window is the moment of the request
    expect(body.windowStart).toBe(body.createdAt);

    const byTrigger = await withAdminKey(api).get(`/v1/retrain-deliveries?triggerId=${triggerId}`);
    expect((byTrigger.body as RetrainDeliveryList).deliveries.map((d) => d.pipelineId)).toEqual([
      pipeline.pipelineId,
    ]);
  });
});
