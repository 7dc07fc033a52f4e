import type { EntityManager } from 'typeorm';

export interface OperatorState {
  modelId: string;
  key: string;
  state: unknown;
}

/** Keyed JSON state of the monitor (window_state or pane_state), written in the batch transaction. */
export interface OperatorStateRepository {
  findByModel(modelId: string): Promise<OperatorState[]>;
  /** The row `key` of each model among `modelIds` that has one. */
  findKey(modelIds: readonly string[], key: string): Promise<OperatorState[]>;
  findAll(): Promise<OperatorState[]>;
  save(states: OperatorState[]): Promise<void>;
  delete(modelId: string, keys: string[]): Promise<void>;
  /** Deletes the rows of the given models and keys, in one statement. */
  deleteKeys(rows: readonly { modelId: string; key: string }[]): Promise<void>;
}

export type OperatorStateTable = 'window_state' | 'pane_state';

export class TypeOrmOperatorStateRepository implements OperatorStateRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly table: OperatorStateTable,
  ) {}

  async findByModel(modelId: string): Promise<OperatorState[]> {
    const rows: { model_id: string; key: string; state: unknown }[] = await this.manager.query(
      `SELECT model_id, key, state FROM ${this.table} WHERE model_id = $1 ORDER BY key`,
      [modelId],
    );
    return rows.map((r) => ({ modelId: r.model_id, key: r.key, state: r.state }));
  }

  async findKey(modelIds: readonly string[], key: string): Promise<OperatorState[]> {
    if (modelIds.length === 0) return [];
    const rows: { model_id: string; key: string; state: unknown }[] = await this.manager.query(
      `SELECT model_id, key, state FROM ${this.table} WHERE model_id = ANY($1::text[]) AND key = $2`,
      [modelIds, key],
    );
    return rows.map((r) => ({ modelId: r.model_id, key: r.key, state: r.state }));
  }

  async findAll(): Promise<OperatorState[]> {
    const rows: { model_id: string; key: string; state: unknown }[] = await this.manager.query(
      `SELECT model_id, key, state FROM ${this.table} ORDER BY model_id, key`,
    );
    return rows.map((r) => ({ modelId: r.model_id, key: r.key, state: r.state }));
  }

  /*
   * A json[] parameter (pg escapes each state for the array literal) costs Postgres the least: for
   * 20 states of 45 kB, 13-14 ms of backend CPU and 10.5 ms of ours an upsert, against 27-31 + 8 ms
   * for one document through json_to_recordset and 21 + 8 ms through json_array_elements.
   */
  async save(states: OperatorState[]): Promise<void> {
    if (states.length === 0) return;
    await this.manager.query(
      `INSERT INTO ${this.table} (model_id, key, state)
       SELECT * FROM unnest($1::text[], $2::text[], $3::json[])
       ON CONFLICT (model_id, key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
      [states.map((s) => s.modelId), states.map((s) => s.key), states.map((s) => JSON.stringify(s.state))],
    );
  }

  async delete(modelId: string, keys: string[]): Promise<void> {
    await this.deleteKeys(keys.map((key) => ({ modelId, key })));
  }

  async deleteKeys(rows: readonly { modelId: string; key: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.manager.query(
      `DELETE FROM ${this.table} t USING unnest($1::text[], $2::text[]) AS d(model_id, key)
       WHERE t.model_id = d.model_id AND t.key = d.key`,
      [rows.map((r) => r.modelId), rows.map((r) => r.key)],
    );
  }
}
