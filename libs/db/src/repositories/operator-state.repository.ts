import type { EntityManager } from 'typeorm';

export interface OperatorState {
  modelId: string;
  key: string;
  state: unknown;
}

/** Keyed JSON state of the monitor (window_state or pane_state), written in the batch transaction. */
export interface OperatorStateRepository {
  findByModel(modelId: string): Promise<OperatorState[]>;
  findAll(): Promise<OperatorState[]>;
  save(states: OperatorState[]): Promise<void>;
  delete(modelId: string, keys: string[]): Promise<void>;
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

  async findAll(): Promise<OperatorState[]> {
    const rows: { model_id: string; key: string; state: unknown }[] = await this.manager.query(
      `SELECT model_id, key, state FROM ${this.table} ORDER BY model_id, key`,
    );
    return rows.map((r) => ({ modelId: r.model_id, key: r.key, state: r.state }));
  }

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
    if (keys.length === 0) return;
    await this.manager.query(`DELETE FROM ${this.table} WHERE model_id = $1 AND key = ANY($2::text[])`, [
      modelId,
      keys,
    ]);
  }
}
