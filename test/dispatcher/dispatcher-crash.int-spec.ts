import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { topicNames } from '@driftline/contracts';
import { openDatabase, type Database, type StoredRetrainDelivery } from '@driftline/db';
import {
  createIsolatedDatabase,
  createTopics,
  startWebhookReceiver,
  testKafkaBrokers,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
  type WebhookReceiver,
} from '@driftline/testing';
import type { Producer } from 'kafkajs';
import { freePort } from '../../infra/net/free-port';
import { REPO_ROOT, runBuilt, type Child } from '../e2e/e2e.stack';
import { RetrainTriggerFactory } from '../factories/retrain.factory';
import { SERVICE_HOOK_TIMEOUT_MS, serviceEnv, testPrefix } from '../helpers/driftline.harness';
import { connectedProducer, signedWith } from './retrain.fixtures';

const DISPATCHER_MAIN = 'services/dispatcher/src/main.js';
const SECRET = 'crash-test-secret-0123456789';
const SEND_TIMEOUT_MS = 3_000;

describe('dispatcher process killed with SIGKILL', () => {
  let database: IsolatedDatabase;
  let db: Database;
  let producer: Producer;
  let hook: WebhookReceiver;
  const children: Child[] = [];
  const prefix = testPrefix('it-dispatch-crash');
  const topics = topicNames(prefix);
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', DISPATCHER_MAIN)))
      throw new Error(`dist/${DISPATCHER_MAIN} is missing: run npm run build first`);
    database = await createIsolatedDatabase();
    db = await openDatabase({ url: database.url, poolSize: 2, applicationName: 'dispatcher-crash-test' });
    await createTopics(testKafkaBrokers(), Object.values(topics), 3);
    producer = await connectedProducer();
    // the first request is held past the kill; the resend is answered at once
    hook = await startWebhookReceiver({ responses: [{ status: 200, delayMs: SEND_TIMEOUT_MS + 1_000 }] });
    env = serviceEnv(prefix, database.url, {
      DISPATCHER_PORT: String(await freePort()),
      DISPATCH_POLL_INTERVAL: '100ms',
      DISPATCH_SEND_TIMEOUT: `${SEND_TIMEOUT_MS}ms`,
      LOG_LEVEL: 'warn',
    });
  }, SERVICE_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await stopAll();
    await producer?.disconnect();
    await hook?.close();
    await db?.close();
    await database?.drop();
  }, SERVICE_HOOK_TIMEOUT_MS);

  const start = () => {
    const child = runBuilt(DISPATCHER_MAIN, [], env);
    children.push(child);
    return child;
  };
  const stopAll = async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGTERM');
        await child.exited;
      }
    }
  };
  const logOf = async (triggerId: string): Promise<StoredRetrainDelivery[]> =>
    db.retrainDeliveries.findPage({ triggerId, limit: 10 });

  it('between sending a webhook and marking it: re-sends it once after a restart, with the same body and Idempotency-Key', async () => {
    const modelId = uniqueName('bikes');
    await db.pipelines.create({
      id: uniqueName('pipeline'),
      url: `${hook.url}/retrain`,
      secret: SECRET,
      matchers: [{ name: 'modelId', op: '=', value: modelId }],
      cooldownMs: 0,
    });
    const trigger = RetrainTriggerFactory.create({ modelId });

    const first = start();
    await producer.send({
      topic: topics.retrainTriggers,
      messages: [{ key: modelId, value: JSON.stringify(trigger) }],
    });
    await waitFor(() => hook.requests.length === 1, {
      timeoutMs: 60_000,
      intervalMs: 5,
      message: 'the first request at the receiver',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${first.output()}`);
    });
    first.process.kill('SIGKILL');
    await first.exited;

    // recorded, sent, not marked: the attempt has no outcome
    const [atKill] = await logOf(trigger.triggerId);
    expect(atKill).toMatchObject({ status: 'pending', attempts: [{ attempt: 1, outcome: null }] });

    const second = start();
    const [delivered] = await waitFor(
      async () => {
        const log = await logOf(trigger.triggerId);
        return log[0]?.status === 'delivered' ? log : null;
      },
      { timeoutMs: 60_000, message: 'the delivery marked delivered after the restart' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${second.output()}`);
    });

    // the receiver records a request before answering it, so nothing can come after the mark
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      trigger.triggerId,
      trigger.triggerId,
    ]);
    expect(hook.requests[1].text).toBe(hook.requests[0].text);
    expect(JSON.parse(hook.requests[1].text)).toEqual(trigger);
    expect(hook.requests.every((r) => signedWith(SECRET, r))).toBe(true);
    expect(delivered.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, null],
      [2, 'delivered'],
    ]);
    // the trigger was consumed once: one delivery row
    expect(await logOf(trigger.triggerId)).toHaveLength(1);
  }, 180_000);

  it('after recording a delivery the receiver never got: delivers it once after the restart', async () => {
    await stopAll();
    const modelId = uniqueName('bikes');
    const pipeline = {
      id: uniqueName('pipeline'),
      // nobody listens there yet: every attempt of the first process fails to connect
      url: `http://127.0.0.1:${await freePort()}/retrain`,
      secret: SECRET,
      matchers: [{ name: 'modelId', op: '=' as const, value: modelId }],
      cooldownMs: 0,
    };
    await db.pipelines.create(pipeline);
    const trigger = RetrainTriggerFactory.create({ modelId });

    const first = start();
    await producer.send({
      topic: topics.retrainTriggers,
      messages: [{ key: modelId, value: JSON.stringify(trigger) }],
    });
    await waitFor(
      async () => (await logOf(trigger.triggerId))[0]?.attempts.some((a) => a.outcome === 'retry'),
      {
        timeoutMs: 60_000,
        intervalMs: 5,
        message: 'the delivery recorded and its first attempt failed',
      },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${first.output()}`);
    });
    first.process.kill('SIGKILL');
    await first.exited;

    // the trigger's offset is committed: what is left of it is the row in Postgres
    const late = await startWebhookReceiver();
    try {
      await db.pipelines.replace({ ...pipeline, url: `${late.url}/retrain`, secret: null });
      const second = start();
      const [delivered] = await waitFor(
        async () => {
          const log = await logOf(trigger.triggerId);
          return log[0]?.status === 'delivered' ? log : null;
        },
        { timeoutMs: 60_000, message: 'the delivery marked delivered after the restart' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${second.output()}`);
      });
      expect(late.requests).toHaveLength(1);
      expect(late.requests[0].headers['idempotency-key']).toBe(trigger.triggerId);
      expect(signedWith(SECRET, late.requests[0])).toBe(true);
      expect(JSON.parse(late.requests[0].text)).toEqual(trigger);
      const outcomes = delivered.attempts.map((a) => a.outcome);
      expect(outcomes.at(-1)).toBe('delivered');
      // before it: refused connections, and at most one attempt the kill cut short
      expect(outcomes.slice(0, -1).every((o) => o === 'retry' || o === null)).toBe(true);
      expect(delivered.attempts.find((a) => a.outcome === 'retry')?.error).toMatch(/ECONNREFUSED/);
    } finally {
      await late.close();
    }
  }, 180_000);
});
