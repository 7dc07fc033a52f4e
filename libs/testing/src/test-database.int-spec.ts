import { Client } from 'pg';
import { createIsolatedDatabase, TEST_ENV, testDatabaseUrl } from './index';

// The project-level testTimeout in jest.config.js does not reach jest-circus (global option only).
jest.setTimeout(60_000);

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the integration run database', () => {
  it('is a database of its own on the admin server, named driftline_test_<time>_<random>', async () => {
    const url = new URL(testDatabaseUrl());
    const admin = new URL(process.env[TEST_ENV.pgAdminUrl]!);
    expect(url.host).toBe(admin.host);
    const [row] = await query<{ db: string }>(testDatabaseUrl(), 'SELECT current_database() AS db');
    expect(row.db).toMatch(/^driftline_test_[a-z0-9]+_[0-9a-f]{8}$/);
    expect(row.db).not.toBe(admin.pathname.slice(1));
  });

  it('createIsolatedDatabase gives a separate database and drop() removes it', async () => {
    const isolated = await createIsolatedDatabase();
    await query(isolated.url, 'CREATE TABLE marker (id int)');
    const [row] = await query<{ db: string }>(isolated.url, 'SELECT current_database() AS db');
    expect(row.db).toBe(isolated.name);
    expect(isolated.name).not.toBe(new URL(testDatabaseUrl()).pathname.slice(1));

    await isolated.drop();
    const remaining = await query(testDatabaseUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [
      isolated.name,
    ]);
    expect(remaining).toHaveLength(0);
  });
});
