import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { createDatabase, databaseUrl, dropDatabase } from '../infra/postgres/local-postgres';

/** The Quick start's query in README.md, which `npm run up` prints too (a test holds the two equal). */
export const ARRIVALS_QUERY =
  'SELECT model_id, metric, feature, sum(value) AS total FROM metric_points ' +
  "WHERE metric IN ('prediction_count', 'label_count', 'missing_count') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";

/**
 * What `npm run up` keeps from one run to the next and `--fresh` clears together: the broker's data
 * folder (topics, records) and the database (among the rest, the consumed offsets into those topics).
 * Kept or cleared as one, the offsets in the database always refer to the broker's log.
 */
export interface LocalState {
  /** The broker's data folder; absent when the broker is not ours (KAFKA_BROKERS) or lasts one run. */
  kafkaDataDir?: string;
  /** A URL of the server whose user may create and drop databases. */
  adminUrl: string;
  database: string;
}

/** The database name and its server's admin URL (database `postgres`) of a database URL. */
export function stateOfDatabaseUrl(url: string): Pick<LocalState, 'adminUrl' | 'database'> {
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database');
  return { adminUrl: databaseUrl(url, 'postgres'), database };
}

/** Removes the broker's data folder and drops the database, so the next start begins with neither. */
export async function clearLocalState(state: LocalState): Promise<void> {
  if (state.kafkaDataDir) await rm(state.kafkaDataDir, { recursive: true, force: true });
  await dropDatabase(state.adminUrl, state.database);
}

/** Creates the database unless it exists; `created` says which. */
export async function ensureDatabase(
  state: Pick<LocalState, 'adminUrl' | 'database'>,
): Promise<{ url: string; created: boolean }> {
  const client = new Client({ connectionString: state.adminUrl });
  await client.connect();
  let exists: boolean;
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [state.database]);
    exists = (found.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
  if (exists) return { url: databaseUrl(state.adminUrl, state.database), created: false };
  return { url: await createDatabase(state.adminUrl, state.database), created: true };
}
