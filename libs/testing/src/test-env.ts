import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase } from '../../../infra/postgres/local-postgres';

/** Names of the variables the integration global setup exports to test workers. */
export const TEST_ENV = {
  kafkaBrokers: 'DRIFTLINE_TEST_KAFKA_BROKERS',
  databaseUrl: 'DRIFTLINE_TEST_DATABASE_URL',
  pgAdminUrl: 'DRIFTLINE_TEST_PG_ADMIN_URL',
} as const;

/** DRIFTLINE_ADMIN_KEY of every api a test starts: a test value, not a secret. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';

/** The Authorization header that key goes in. */
export const TEST_AUTHORIZATION = `Bearer ${TEST_ADMIN_KEY}`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run this as an integration spec (*.int-spec.ts), whose global setup sets it`,
    );
  }
  return value;
}

/** Bootstrap servers of the broker the integration run shares, e.g. `127.0.0.1:41234`. */
export function testKafkaBrokers(): string {
  return required(TEST_ENV.kafkaBrokers);
}

/** URL of the fresh database the integration run shares. */
export function testDatabaseUrl(): string {
  return required(TEST_ENV.databaseUrl);
}

/** A database name no other run or test on this server will pick. */
export function testDatabaseName(): string {
  return `driftline_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export interface IsolatedDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for a test that must not share state; drop() it in afterAll. */
export async function createIsolatedDatabase(): Promise<IsolatedDatabase> {
  const adminUrl = required(TEST_ENV.pgAdminUrl);
  const name = testDatabaseName();
  const url = await createDatabase(adminUrl, name);
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}
