import type { OperatorState } from '@driftline/db';
import { WindowTracker, type PaneSnapshot, type WindowTrackerState } from '@driftline/windowing';
import { randomUUID } from 'node:crypto';
import { modelPaneFactory, type ModelPane } from './model.pane';
import type { MonitoredModel } from './monitored.model';
import type { MonitorUnitOfWork } from './monitor.store';

/** A model's window state in memory, equal to the committed state while `token` is the stored one. */
export interface ModelRuntime {
  model: MonitoredModel;
  tracker: WindowTracker<ModelPane>;
  /** Written with every save; null before the first. */
  token: string | null;
  /** Newest wall-clock arrival of an event, epoch ms (for the idle timer). */
  lastSeenAt: number;
}

/** window_state row `tracker` of a model. */
export interface StoredTracker {
  token: string;
  stateKey: string;
  tracker: WindowTrackerState;
}

export const TRACKER_KEY = 'tracker';

/** The newest wall-clock arrival of a stored tracker's events, epoch ms (-Infinity for none). */
export const storedLastSeenAt = (state: StoredTracker): number =>
  Math.max(-Infinity, ...state.tracker.partitions.map((p) => p.lastSeenAt));
export const paneKey = (start: number) => `pane:${start}`;

type Tx = Pick<MonitorUnitOfWork, 'windowState' | 'paneState'>;

/**
 * The window trackers of the models this process has touched. Before a model is used in a
 * transaction (with the model's lock held), its stored token is compared with the one in memory:
 * a different token means another transaction wrote since (this process's failed one, or another
 * instance after a rebalance), and the model is reloaded from Postgres. So a crash, a rolled back
 * batch or a partition moving between instances never leaves memory ahead of or behind Postgres.
 */
export class ModelRuntimes {
  private readonly runtimes = new Map<string, ModelRuntime>();

  constructor(private readonly newToken: () => string = randomUUID) {}

  async acquire(tx: Tx, model: MonitoredModel): Promise<ModelRuntime> {
    const [runtime] = await this.acquireAll(tx, [model]);
    return runtime;
  }

  /** acquire for several models, their stored tokens read in one query. */
  async acquireAll(tx: Tx, models: readonly MonitoredModel[]): Promise<ModelRuntime[]> {
    const stored = new Map(
      (
        await tx.windowState.findKey(
          models.map((m) => m.modelId),
          TRACKER_KEY,
        )
      ).map((s) => [s.modelId, s.state as StoredTracker]),
    );
    const acquired: ModelRuntime[] = [];
    for (const model of models) {
      const state = stored.get(model.modelId);
      const held = this.runtimes.get(model.modelId);
      if (held && state && held.token === state.token && held.model.stateKey === model.stateKey) {
        held.model = model;
        acquired.push(held);
        continue;
      }
      const runtime =
        state && state.stateKey === model.stateKey
          ? await this.restore(tx, model, state)
          : await this.fresh(tx, model, state);
      this.runtimes.set(model.modelId, runtime);
      acquired.push(runtime);
    }
    return acquired;
  }

  /** Writes what changed since the last save, with a new token. */
  persist(tx: Tx, runtime: ModelRuntime): Promise<void> {
    return this.persistAll(tx, [runtime]);
  }

  /** persist for several models: their trackers, panes and evicted panes in one statement each. */
  async persistAll(tx: Tx, runtimes: readonly ModelRuntime[]): Promise<void> {
    const trackers: OperatorState[] = [];
    const panes: OperatorState[] = [];
    const evicted: { modelId: string; key: string }[] = [];
    const tokens: string[] = [];
    for (const runtime of runtimes) {
      const { modelId, stateKey } = runtime.model;
      const changes = runtime.tracker.drainChanges();
      const token = this.newToken();
      tokens.push(token);
      const tracker: StoredTracker = { token, stateKey, tracker: changes.state };
      trackers.push({ modelId, key: TRACKER_KEY, state: tracker });
      for (const pane of changes.upserted) panes.push({ modelId, key: paneKey(pane.start), state: pane });
      for (const start of changes.evicted) evicted.push({ modelId, key: paneKey(start) });
    }
    await tx.windowState.save(trackers);
    await tx.paneState.save(panes);
    await tx.paneState.deleteKeys(evicted);
    runtimes.forEach((runtime, i) => (runtime.token = tokens[i]));
  }

  /**
   * Drops the models without an event since `before` that the idle timer does not need (no idle
   * timeout, or no pane left): e.g. models of partitions now consumed by another instance.
   */
  evictUnusedSince(before: number): string[] {
    const evicted = this.all()
      .filter((r) => r.lastSeenAt < before)
      .filter((r) => r.model.window.idleTimeout === undefined || r.tracker.livePanes === 0)
      .map((r) => r.model.modelId);
    this.forget(evicted);
    return evicted;
  }

  forget(modelIds: Iterable<string>): void {
    for (const id of modelIds) this.runtimes.delete(id);
  }

  all(): ModelRuntime[] {
    return [...this.runtimes.values()];
  }

  private async restore(tx: Tx, model: MonitoredModel, state: StoredTracker): Promise<ModelRuntime> {
    const panes = (await tx.paneState.findByModel(model.modelId))
      .filter((p) => p.key.startsWith('pane:'))
      .map((p) => p.state as PaneSnapshot);
    const tracker = WindowTracker.restore({ ...state.tracker, panes }, model.window, modelPaneFactory(model));
    return { model, tracker, token: state.token, lastSeenAt: storedLastSeenAt(state) };
  }

  /** A new tracker; panes stored for another profile or window are deleted (they cannot merge). */
  private async fresh(
    tx: Tx,
    model: MonitoredModel,
    previous: StoredTracker | undefined,
  ): Promise<ModelRuntime> {
    if (previous !== undefined) {
      const old: OperatorState[] = await tx.paneState.findByModel(model.modelId);
      await tx.paneState.delete(
        model.modelId,
        old.map((p) => p.key),
      );
    }
    const tracker = new WindowTracker(model.modelId, model.window, modelPaneFactory(model));
    return { model, tracker, token: previous?.token ?? null, lastSeenAt: -Infinity };
  }
}
