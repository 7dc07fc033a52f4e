import type { ModelSpec } from '@driftline/contracts';
import type { OperatorState, OperatorStateRepository } from '@driftline/db';
import { buildReferenceProfile, Random, type RawValue } from '@driftline/stats';
import { monitoredModel, type MonitoredModel } from '../../services/monitor/src/monitored.model';

export const REFERENCE_ROWS: Record<string, RawValue>[] = (() => {
  const rng = new Random(3);
  return Array.from({ length: 200 }, (_, i) => ({
    x: Number(rng.normal(0, 1).toFixed(2)),
    plan: ['a', 'b', 'c'][i % 3],
    prediction: i % 2 === 0 ? '1' : '0',
    score: Number(rng.uniform().toFixed(2)),
    target: i % 3 === 0 ? '1' : '0',
  }));
})();

/** A binary model on x (numeric, psi) and plan (categorical, chisquare), 10-minute windows of 5-minute panes. */
export function testModel(overrides: Partial<ModelSpec> = {}, referenceId = 'ref-1'): MonitoredModel {
  const profile = buildReferenceProfile(REFERENCE_ROWS, {
    prediction: 'prediction',
    score: 'score',
    target: 'target',
    types: { plan: 'categorical', prediction: 'categorical' },
  }).toJSON();
  const model = monitoredModel({
    spec: {
      modelId: 'm1',
      task: 'binary',
      window: { size: '10m', step: '5m', allowedLateness: '0s' },
      methods: { x: 'psi', plan: 'chisquare' },
      ...overrides,
    },
    reference: { id: referenceId, profile },
  });
  if (model === null) throw new Error('fixture model has a reference');
  return model;
}

/** An in-memory window_state / pane_state table. */
export class MemoryStateTable implements OperatorStateRepository {
  readonly rows = new Map<string, OperatorState>();

  async findByModel(modelId: string): Promise<OperatorState[]> {
    return [...this.rows.values()]
      .filter((r) => r.modelId === modelId)
      .map((r) => structuredClone(r))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async findKey(modelIds: readonly string[], key: string): Promise<OperatorState[]> {
    return modelIds.flatMap((modelId) => {
      const row = this.rows.get(`${modelId}/${key}`);
      return row === undefined ? [] : [structuredClone(row)];
    });
  }

  async findAll(): Promise<OperatorState[]> {
    return [...this.rows.values()].map((r) => structuredClone(r));
  }

  async save(states: OperatorState[]): Promise<void> {
    for (const s of states) this.rows.set(`${s.modelId}/${s.key}`, structuredClone(s));
  }

  async delete(modelId: string, keys: string[]): Promise<void> {
    await this.deleteKeys(keys.map((key) => ({ modelId, key })));
  }

  async deleteKeys(rows: readonly { modelId: string; key: string }[]): Promise<void> {
    for (const { modelId, key } of rows) this.rows.delete(`${modelId}/${key}`);
  }
}

export const at = (iso: string) => Date.parse(iso);
