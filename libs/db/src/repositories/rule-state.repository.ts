import type { EntityManager } from 'typeorm';

export interface RuleStateKey {
  monitorId: string;
  /** '' for a model-level metric. */
  feature: string;
}

export interface RuleStateRecord extends RuleStateKey {
  modelId: string;
  /** The rule engine's document (verdicts of recent windows, the firing alert); opaque here. */
  state: Record<string, unknown>;
}

/** The monitor is the only writer, in the batch transaction with the model's lock held. */
export interface RuleStateRepository {
  load(keys: RuleStateKey[]): Promise<RuleStateRecord[]>;
  save(states: RuleStateRecord[]): Promise<void>;
}

export class TypeOrmRuleStateRepository implements RuleStateRepository {
  constructor(private readonly manager: EntityManager) {}

  async load(keys: RuleStateKey[]): Promise<RuleStateRecord[]> {
    if (keys.length === 0) return [];
    const rows: { monitor_id: string; feature: string; model_id: string; state: Record<string, unknown> }[] =
      await this.manager.query(
        `SELECT s.monitor_id, s.feature, s.model_id, s.state
         FROM rule_states s JOIN unnest($1::text[], $2::text[]) AS k(monitor_id, feature)
           ON s.monitor_id = k.monitor_id AND s.feature = k.feature`,
        [keys.map((k) => k.monitorId), keys.map((k) => k.feature)],
      );
    return rows.map((r) => ({
      monitorId: r.monitor_id,
      feature: r.feature,
      modelId: r.model_id,
      state: r.state,
    }));
  }

  async save(states: RuleStateRecord[]): Promise<void> {
    if (states.length === 0) return;
    await this.manager.query(
      `INSERT INTO rule_states (monitor_id, feature, model_id, state)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
       ON CONFLICT (monitor_id, feature) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
      [
        states.map((s) => s.monitorId),
        states.map((s) => s.feature),
        states.map((s) => s.modelId),
        states.map((s) => JSON.stringify(s.state)),
      ],
    );
  }
}
