import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { createIsolatedDatabase, createTopics, uniqueName } from '@driftline/testing';
import { startLocalKafka } from '../infra/kafka/local-kafka';
import { clearLocalState, ensureDatabase, stateOfDatabaseUrl, type LocalState } from '../scripts/local-state';

async function topicsOf(brokers: string): Promise<string[]> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

// Starts two brokers of its own.
jest.setTimeout(120_000);

describe("npm run up's local state (scripts/local-state.ts)", () => {
  it('--fresh clears the broker data folder and the database together', async () => {
    const kafkaDataDir = await mkdtemp(join(tmpdir(), 'driftline-it-state-'));
    const database = await createIsolatedDatabase();
    const state: LocalState = { ...stateOfDatabaseUrl(database.url), kafkaDataDir };
    try {
      expect(state.database).toBe(database.name);
      const existing = await ensureDatabase(state);
      expect(existing).toEqual({ url: database.url, created: false });
      await query(
        database.url,
        'CREATE TABLE consumed (next_offset bigint); INSERT INTO consumed VALUES (3)',
      );

      const topic = uniqueName('it-state');
      const first = await startLocalKafka({ dataDir: kafkaDataDir });
      try {
        await createTopics(first.brokers, [topic]);
      } finally {
        await first.stop();
      }

      await clearLocalState(state);
      expect(existsSync(kafkaDataDir)).toBe(false);
      const left = await query<{ n: string }>(
        stateOfDatabaseUrl(database.url).adminUrl,
        `SELECT count(*) AS n FROM pg_database WHERE datname = '${database.name}'`,
      );
      expect(left).toEqual([{ n: '0' }]);

      const recreated = await ensureDatabase(state);
      expect(recreated).toEqual({ url: database.url, created: true });
      const tables = await query<{ table_name: string }>(
        recreated.url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables).toEqual([]);

      const second = await startLocalKafka({ dataDir: kafkaDataDir });
      try {
        expect(second.formatted).toBe(true);
        expect(second.clusterId).not.toBe(first.clusterId);
        expect(await topicsOf(second.brokers)).not.toContain(topic);
      } finally {
        await second.stop();
      }
    } finally {
      await database.drop();
      await rm(kafkaDataDir, { recursive: true, force: true });
    }
  });
});
