import type { EntityManager } from 'typeorm';

/** A model's stored settings with its newest reference profile, as the monitor reads them. */
export interface ModelDefinitionRecord {
  modelId: string;
  settings: Record<string, unknown>;
  /** The newest reference; its profile is null when the caller said it holds that reference already. */
  reference: { id: string; profile: Record<string, unknown> | null } | null;
}

export interface ModelDefinitionRepository {
  /**
   * The models among `modelIds` that exist, each with its newest reference (null if none). Profiles
   * can weigh megabytes: those of `knownReferenceIds` are not read.
   */
  find(modelIds: string[], knownReferenceIds?: readonly string[]): Promise<ModelDefinitionRecord[]>;
}

interface DefinitionRow {
  id: string;
  settings: Record<string, unknown>;
  reference_id: string | null;
  profile: Record<string, unknown> | null;
}

export class TypeOrmModelDefinitionRepository implements ModelDefinitionRepository {
  constructor(private readonly manager: EntityManager) {}

  async find(
    modelIds: string[],
    knownReferenceIds: readonly string[] = [],
  ): Promise<ModelDefinitionRecord[]> {
    if (modelIds.length === 0) return [];
    const rows: DefinitionRow[] = await this.manager.query(
      `SELECT m.id, m.settings, r.id AS reference_id,
              CASE WHEN r.id::text = ANY($2::text[]) THEN NULL ELSE r.profile END AS profile
       FROM models m
       LEFT JOIN LATERAL (
         SELECT id, profile FROM reference_profiles WHERE model_id = m.id ORDER BY created_at DESC LIMIT 1
       ) r ON true
       WHERE m.id = ANY($1::text[])
       ORDER BY m.id`,
      [[...new Set(modelIds)], [...knownReferenceIds]],
    );
    return rows.map((r) => ({
      modelId: r.id,
      settings: r.settings,
      reference: r.reference_id === null ? null : { id: r.reference_id, profile: r.profile },
    }));
  }
}
