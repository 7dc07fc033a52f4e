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
    for (const id of [...new Set(modelIds)].sort()) {
      await this.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `driftline.model:${id}`,
      ]);
    }
  }
}
