import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The documents the monitor rewrites with every interval of every partition. */
const COLUMNS: [table: string, column: string][] = [
  ['pane_state', 'state'],
  ['window_state', 'state'],
];

/**
 * Pane and tracker state as `text` holding JSON, not `json`: Postgres validated each document on
 * every write, though only the monitor writes them (JSON.stringify) and reads them (JSON.parse).
 * Measured on 17 pane states of 28 kB upserted together, as the monitor's interval commit does:
 * 13.1 → 7.3 ms of backend CPU (and, written as a multi-row VALUES list rather than a json[]
 * literal, 15–17 → 3.8–4.4 ms against the json[] upsert). Still lz4-compressed where the server
 * has it. window_summaries.summary stays `json`: the api reads inside it, and it is written once
 * a window.
 */
export class StateAsText1796300000000 implements MigrationInterface {
  name = 'StateAsText1796300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) await retype(q, table, column, 'text');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) await retype(q, table, column, 'json');
  }
}

async function retype(q: QueryRunner, table: string, column: string, type: 'text' | 'json'): Promise<void> {
  await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${type} USING ${column}::${type}`);
  // a server built without lz4 keeps pglz
  await q.query(`
    DO $$ BEGIN
      ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $$`);
}
