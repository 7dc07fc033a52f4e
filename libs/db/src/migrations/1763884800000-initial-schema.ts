import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763884800000 implements MigrationInterface {
  name = 'InitialSchema1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE models (
        id text PRIMARY KEY,
        description text,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE reference_profiles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id text NOT NULL,
        name text NOT NULL,
        row_count integer NOT NULL,
        profile jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reference_profiles_model_idx ON reference_profiles (model_id, created_at)`);
    await q.query(`
      CREATE TABLE metric_points (
        id bigserial PRIMARY KEY,
        model_id text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        feature text NOT NULL DEFAULT '',
        metric text NOT NULL,
        value double precision NOT NULL,
        detail jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX metric_points_key ON metric_points (model_id, window_start, window_end, feature, metric)`,
    );
    await q.query(`
      CREATE TABLE alerts (
        id text PRIMARY KEY,
        fingerprint text NOT NULL,
        status text NOT NULL,
        severity text NOT NULL,
        model_id text NOT NULL,
        monitor_id text NOT NULL,
        metric text NOT NULL,
        feature text,
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        summary text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alerts_fingerprint_idx ON alerts (fingerprint, starts_at)`);
    await q.query(`CREATE INDEX alerts_model_idx ON alerts (model_id, starts_at)`);
    await q.query(`
      CREATE TABLE consumer_offsets (
        group_id text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition)
      )`);
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        key text,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL`);
    for (const table of ['window_state', 'pane_state']) {
      await q.query(`
        CREATE TABLE ${table} (
          model_id text NOT NULL,
          key text NOT NULL,
          state jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (model_id, key)
        )`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'pane_state',
      'window_state',
      'outbox',
      'consumer_offsets',
      'alerts',
      'metric_points',
      'reference_profiles',
      'models',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
