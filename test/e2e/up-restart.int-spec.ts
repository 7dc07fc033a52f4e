import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PredictionFactory } from '../factories/event.factory';
import {
  createIsolatedDatabase,
  TEST_ADMIN_KEY,
  TEST_AUTHORIZATION,
  uniqueName,
  waitFor,
  type IsolatedDatabase,
} from '@driftline/testing';
import { Client } from 'pg';
import { postEvents } from '../../scripts/demo-api.client';
import { freePort } from '../../infra/net/free-port';
import { runBuilt, type Child } from './e2e.stack';

// Needs `npm run build`: `npm run up` is `node dist/scripts/up.js` after the build.
describe('npm run up stopped and started again on the same database (real broker and Postgres)', () => {
  let database: IsolatedDatabase;
  const folders: string[] = [];
  let env: NodeJS.ProcessEnv;
  let running: Child | undefined;

  beforeAll(async () => {
    database = await createIsolatedDatabase();
    const [api, monitor, notifier, dispatcher] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    env = {
      DATABASE_URL: database.url,
      API_PORT: String(api),
      MONITOR_PORT: String(monitor),
      NOTIFIER_PORT: String(notifier),
      DISPATCHER_PORT: String(dispatcher),
      KAFKA_PARTITIONS: '3',
      LOG_LEVEL: 'warn',
      DRIFTLINE_ADMIN_KEY: TEST_ADMIN_KEY,
    };
  });

  afterAll(async () => {
    if (running !== undefined) await stop(running);
    await database?.drop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }, 120_000);

  const api = () => `http://127.0.0.1:${env.API_PORT}`;

  /** `npm run up` on a broker data folder; resolves once it says it is ready. */
  async function up(kafkaData: string): Promise<Child> {
    const child = runBuilt('scripts/up.js', [], { ...env, DRIFTLINE_KAFKA_DATA: kafkaData });
    running = child;
    await waitFor(
      () => {
        if (child.process.exitCode !== null) throw new Error(`up exited:\n${child.output()}`);
        return child.output().includes('[up] ready');
      },
      { timeoutMs: 180_000, intervalMs: 200, message: 'up ready' },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${child.output()}`);
    });
    return child;
  }

  /** Ctrl-C, as a person stops it. */
  async function stop(child: Child): Promise<void> {
    child.process.kill('SIGINT');
    await child.exited;
    running = undefined;
  }

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const counted = async (modelId: string) =>
    Number(
      (
        await query<{ n: string | null }>(
          `SELECT sum(value) AS n FROM metric_points WHERE model_id = $1 AND metric = 'prediction_count'`,
          [modelId],
        )
      )[0].n ?? 0,
    );

  /** Posts `n` predictions of a model (a new one unless named) and waits until its count reaches `total`. */
  async function postAndCount(n: number, modelId = uniqueName('up'), total = n): Promise<string> {
    const events = Array.from({ length: n }, (_, i) =>
      PredictionFactory.create({ modelId, features: { i } }),
    );
    await postEvents(api(), 'predictions', events, TEST_ADMIN_KEY);
    await waitFor(async () => (await counted(modelId)) === total, {
      timeoutMs: 120_000,
      intervalMs: 250,
      message: `${total} predictions of ${modelId} counted`,
    });
    return modelId;
  }

  it('counts every event of the second run, and of a run on a new broker, saying why its offsets moved', async () => {
    const broker = mkdtempSync(join(tmpdir(), 'driftline-up-'));
    folders.push(broker);
    let child = await up(broker);
    const first = [await postAndCount(40), await postAndCount(25)];
    await stop(child);

    // the same broker folder again: its topics and offsets are still there, nothing to reset
    child = await up(broker);
    const second = await postAndCount(30);
    expect(await query(`SELECT 1 FROM offset_resets`)).toEqual([]);
    await stop(child);

    // a new broker folder under the same database: the stored offsets are another log's
    const stored = await query<{ partition: number }>(
      `SELECT partition FROM consumer_offsets
       WHERE topic = 'driftline.predictions.v1' AND next_offset > 0 ORDER BY partition`,
    );
    const replaced = mkdtempSync(join(tmpdir(), 'driftline-up-'));
    folders.push(replaced);
    child = await up(replaced);
    // the same models again, so every partition with a stored offset sees records
    await postAndCount(20, first[0], 60);
    await postAndCount(20, first[1], 45);
    await postAndCount(20, second, 50);
    const resets = await query<{ partition: number; new_offset: string }>(
      `SELECT partition, new_offset FROM offset_resets WHERE topic = 'driftline.predictions.v1' ORDER BY partition`,
    );
    expect(resets.map((r) => [r.partition, r.new_offset])).toEqual(stored.map((r) => [r.partition, '0']));
    const listed = (await (
      await fetch(`${api()}/v1/offset-resets`, { headers: { authorization: TEST_AUTHORIZATION } })
    ).json()) as { resets: unknown[] };
    expect(listed.resets).toHaveLength(resets.length);
    await stop(child);
  }, 600_000);
});
