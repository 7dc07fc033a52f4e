import type { Logger } from '@driftline/kafka';
import type { Clock } from './monitor.clock';
import type { ModelDefinitionStore, StoredDefinition } from './monitor.store';
import { heldProfile, monitoredModel, type MonitoredModel } from './monitored.model';

interface Entry {
  model: MonitoredModel | null;
  /** What the model was built from, to rebuild it only when that changed. */
  source: string | null;
  referenceId: string | null;
  profile: unknown;
  loadedAt: number;
}

export const MODEL_REFRESH_MS = 30_000;

/**
 * Monitored models by id, loaded on a miss and reloaded once older than the refresh interval, so a
 * new reference or changed settings take effect within it. A reference's profile (which can weigh
 * megabytes) is read once, and held without its samples (heldProfile): a refresh only reads settings
 * and the newest reference's id. Unknown
 * models and models without a reference are cached as null (their events are only counted).
 */
export class ModelCatalog {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly refreshMs = MODEL_REFRESH_MS,
  ) {}

  async resolve(
    modelIds: string[],
    store: ModelDefinitionStore,
  ): Promise<Map<string, MonitoredModel | null>> {
    const now = this.clock.now();
    const stale = [...new Set(modelIds)].filter((id) => {
      const entry = this.entries.get(id);
      return entry === undefined || now - entry.loadedAt >= this.refreshMs;
    });
    if (stale.length > 0) {
      const known = stale.flatMap((id) => {
        const referenceId = this.entries.get(id)?.referenceId;
        return referenceId ? [referenceId] : [];
      });
      const definitions = await store.find(stale, known);
      for (const id of stale) this.entries.set(id, this.entry(id, definitions.get(id), now));
    }
    return new Map(modelIds.map((id) => [id, this.entries.get(id)?.model ?? null]));
  }

  /** Models loaded so far, monitored ones only. */
  known(): MonitoredModel[] {
    return [...this.entries.values()].flatMap((e) => (e.model === null ? [] : [e.model]));
  }

  private entry(id: string, definition: StoredDefinition | undefined, now: number): Entry {
    const previous = this.entries.get(id);
    if (definition === undefined || definition.reference === null) {
      return { model: null, source: null, referenceId: null, profile: null, loadedAt: now };
    }
    const { spec, reference } = definition;
    const profile =
      reference.profile !== null
        ? heldProfile(reference.profile)
        : previous?.referenceId === reference.id
          ? previous.profile
          : null;
    if (profile === null)
      throw new Error(`the profile of reference ${reference.id} was neither read nor held`);
    const source = `${reference.id}\u0000${JSON.stringify(spec)}`;
    if (previous !== undefined && previous.source === source) return { ...previous, loadedAt: now };
    return {
      model: this.build(id, spec, reference.id, profile),
      source,
      referenceId: reference.id,
      profile,
      loadedAt: now,
    };
  }

  private build(
    id: string,
    spec: StoredDefinition['spec'],
    referenceId: string,
    profile: unknown,
  ): MonitoredModel | null {
    try {
      return monitoredModel({ spec, reference: { id: referenceId, profile } });
    } catch (error) {
      this.logger.error({ modelId: id, error: (error as Error).message }, 'model cannot be monitored');
      return null;
    }
  }
}
