import type { EntityManager } from 'typeorm';

/**
 * Per-model transaction locks: every transaction that reads and rewrites a model's monitor state
 * (panes, performance panes, window results) takes them first, in id order so two never deadlock.
 */
export interface ModelLockRepository {
  /** Locks the models until the transaction ends. */
  lock(modelIds: string[]): Promise<void>;
}

export class TypeOrmModelLockRepository implements ModelLockRepository {
  constructor(private readonly manager: EntityManager) {}

  async lock(modelIds: string[]): Promise<void> {
    const keys = [...new Set(modelIds)].sort().map((id) => `driftline.model:${id}`);
    if (keys.length === 0) return;
    // one statement: unnest yields the keys in array order, so they are locked in id order
    await this.manager.query(
      `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
       FROM unnest($1::text[]) AS k`,
      [keys],
    );
  }
}
