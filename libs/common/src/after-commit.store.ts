import type { Database, UnitOfWork } from '@driftline/db';
import type { OffsetStore } from '@driftline/kafka';

/** A batch transaction that can also hold effects for after its commit (metrics, logs, waking a task). */
export interface AfterCommitUnitOfWork extends UnitOfWork {
  /** Runs `effect` once the transaction has committed; never if it rolls back (a retry starts afresh). */
  afterCommit(effect: () => void): void;
}

/** The database as a batch consumer's store, its transactions able to run effects after commit. */
export function afterCommitStore(database: Database): OffsetStore<AfterCommitUnitOfWork> {
  return {
    offsets: database.offsets,
    async transaction(work) {
      const effects: (() => void)[] = [];
      const result = await database.transaction((tx) =>
        work({ ...tx, afterCommit: (effect) => effects.push(effect) }),
      );
      for (const effect of effects) effect();
      return result;
    },
  };
}
