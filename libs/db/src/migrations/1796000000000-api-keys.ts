import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys, written by the api only. The secret itself is never stored: `secret_hash` is its scrypt
 * hash with a salt of its own (`scrypt$N$r$p$salt$hash`, base64url). A revoked key keeps its row
 * (`revoked_at`) so the list shows who had access; `last_used_at` is written in batches, at most once
 * per cache refresh. `created_at` is kept to the millisecond: list cursors carry it as ISO text.
 */
export class ApiKeys1796000000000 implements MigrationInterface {
  name = 'ApiKeys1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        key_id text PRIMARY KEY,
        name text NOT NULL,
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['ingest', 'read', 'admin']),
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_created ON api_keys (created_at, key_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS api_keys`);
  }
}
