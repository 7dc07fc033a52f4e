import { startLocalKafka, type LocalKafka } from '../../../infra/kafka/local-kafka';
import {
  createDatabase,
  dropDatabase,
  resolvePostgres,
  type PostgresServer,
} from '../../../infra/postgres/local-postgres';
import { warmUpGroupCoordinator } from './kafka.helpers';
import { TEST_ENV, testDatabaseName } from './test-env';

/** What teardown must undo; global setup and teardown run in the same Jest process. */
export interface TestInfra {
  kafka?: LocalKafka;
  postgres?: PostgresServer;
  database?: { adminUrl: string; name: string };
}

export const TEST_INFRA_KEY = '__driftlineTestInfra';

/**
 * Starts one Kafka broker on free ports and creates one fresh database for the whole integration
 * run, and exports them to the test workers. DRIFTLINE_TEST_KAFKA_BROKERS or
 * DRIFTLINE_TEST_DATABASE_URL set beforehand are used as they are (nothing started or dropped).
 */
export default async function globalSetup(): Promise<void> {
  const infra: TestInfra = {};
  (globalThis as Record<string, unknown>)[TEST_INFRA_KEY] = infra;
  const kafka = process.env[TEST_ENV.kafkaBrokers] ? undefined : startLocalKafka({ numPartitions: 1 });
  // Started alongside Postgres; a failure is handled below once Postgres is settled.
  kafka?.catch(() => undefined);
  try {
    if (!process.env[TEST_ENV.databaseUrl]) {
      infra.postgres = await resolvePostgres();
      const name = testDatabaseName();
      process.env[TEST_ENV.databaseUrl] = await createDatabase(infra.postgres.adminUrl, name);
      process.env[TEST_ENV.pgAdminUrl] = infra.postgres.adminUrl;
      infra.database = { adminUrl: infra.postgres.adminUrl, name };
    }
    if (kafka) {
      infra.kafka = await kafka;
      await warmUpGroupCoordinator(infra.kafka.brokers);
      process.env[TEST_ENV.kafkaBrokers] = infra.kafka.brokers;
    }
  } catch (error) {
    await kafka?.then((k) => k.stop()).catch(() => undefined);
    await releaseTestInfra(infra);
    throw error;
  }
}

export async function releaseTestInfra(infra: TestInfra): Promise<void> {
  const results = await Promise.allSettled([
    infra.kafka?.stop(),
    (async () => {
      if (infra.database) await dropDatabase(infra.database.adminUrl, infra.database.name);
      await infra.postgres?.stop();
    })(),
  ]);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0)
    throw new Error(`test infra teardown: ${failures.map((f) => String(f.reason)).join('; ')}`);
}
