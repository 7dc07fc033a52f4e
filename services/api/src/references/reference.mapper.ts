import type { ColumnProfileJSON, ReferenceProfile } from '@driftline/stats';
import type { ReferenceModels } from './reference-models.fit';

export interface ColumnSummary {
  type: 'numeric' | 'categorical';
  /** False when the type was inferred from the reference. */
  declared: boolean;
  missingShare: number;
  /** Numeric: interior bin edges; categorical: the categories (shares follow the same order). */
  edges?: number[];
  categories?: string[];
  shares: number[];
  mean?: number;
}

/** The answer to a reference upload or pin. */
export interface ReferenceSummary {
  referenceId: string;
  modelId: string;
  name: string;
  rows: number;
  features: Record<string, ColumnSummary>;
  outputs: Partial<Record<'prediction' | 'score' | 'target', ColumnSummary>>;
  multivariate: { features: string[]; components: number; band: { lower: number; upper: number } } | null;
  calibration: { threshold: number } | null;
  skipped: ReferenceModels['skipped'];
}

function summarise(column: ColumnProfileJSON): ColumnSummary {
  const summary = column.numeric ?? column.categorical;
  const missing = summary?.missing ?? 0;
  const base = {
    type: column.type,
    declared: column.declared,
    missingShare: column.rows > 0 ? missing / column.rows : 0,
  };
  if (column.type === 'categorical') return { ...base, categories: column.categories, shares: column.shares };
  return { ...base, edges: column.edges, shares: column.shares, mean: column.numeric?.mean };
}

export function mapReference(
  referenceId: string,
  modelId: string,
  name: string,
  profile: ReferenceProfile,
  models: ReferenceModels,
): ReferenceSummary {
  const features: Record<string, ColumnSummary> = {};
  const outputs: ReferenceSummary['outputs'] = {};
  for (const { json } of profile.columns) {
    if (json.role === 'feature') features[json.name] = summarise(json);
    else outputs[json.role] = summarise(json);
  }
  return {
    referenceId,
    modelId,
    name,
    rows: profile.json.rows,
    features,
    outputs,
    multivariate:
      models.pca === null
        ? null
        : {
            features: models.pca.features,
            components: models.pca.components.length,
            band: { lower: models.pca.band.lower, upper: models.pca.band.upper },
          },
    calibration: models.calibration === null ? null : { threshold: models.calibration.threshold },
    skipped: models.skipped,
  };
}
