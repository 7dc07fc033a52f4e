import type { ModelSpec } from '@driftline/contracts';
import {
  Cbpe,
  parseFinite,
  isMissing,
  PcaReconstruction,
  type CbpeState,
  type NumericRow,
  type PcaReconstructionState,
  type RawValue,
  type ReferenceProfile,
} from '@driftline/stats';
import { MODEL_SPEC_DEFAULTS } from '@driftline/contracts';

/** Column names a reference may hold beside the features. */
export const OUTPUT_COLUMNS = { prediction: 'prediction', score: 'score', target: 'target' } as const;

export type SampledRow = Readonly<Record<string, RawValue>>;

export interface ReferenceModels {
  pca: PcaReconstructionState | null;
  calibration: CbpeState | null;
  /** Why a model was not fitted, for the upload's answer. */
  skipped: { pca?: string; calibration?: string };
}

/**
 * The PCA model's axes, in profile order: the numeric features the monitor watches, which are the
 * declared ones when the spec declares features, else every feature column.
 */
export function numericFeatures(spec: ModelSpec, profile: ReferenceProfile): string[] {
  const watched = (name: string) => spec.features === undefined || name in spec.features;
  return profile.columns
    .filter((c) => c.json.role === 'feature' && c.type === 'numeric' && watched(c.name))
    .map((c) => c.name);
}

function fitPca(
  spec: ModelSpec,
  profile: ReferenceProfile,
  rows: readonly SampledRow[],
): PcaReconstructionState | string {
  const features = numericFeatures(spec, profile);
  if (features.length < 2) return `needs at least two numeric features, the reference has ${features.length}`;
  if (rows.length < 20) return `needs at least 20 rows, the reference has ${rows.length}`;
  const vectors: NumericRow[] = rows.map((row) => features.map((f) => parseFinite(row[f])));
  try {
    const model = PcaReconstruction.fit(features, vectors);
    if (!model.toJSON().explainedVarianceRatio.every(Number.isFinite))
      return 'every numeric feature is constant';
    return model.toJSON();
  } catch (error) {
    if (error instanceof RangeError) return error.message;
    throw error;
  }
}

function fitCalibration(
  spec: ModelSpec,
  profile: ReferenceProfile,
  rows: readonly SampledRow[],
): CbpeState | string {
  if (spec.task !== 'binary') return 'only for a model whose task is binary';
  const names = new Set(profile.columns.map((c) => c.name));
  if (!names.has(OUTPUT_COLUMNS.score) || !names.has(OUTPUT_COLUMNS.target))
    return 'needs the score and target columns';
  const positive = spec.positiveLabel ?? MODEL_SPEC_DEFAULTS.positiveLabel;
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (const row of rows) {
    const score = parseFinite(row[OUTPUT_COLUMNS.score]);
    const target = row[OUTPUT_COLUMNS.target];
    if (score === null || isMissing(target)) continue;
    scores.push(score);
    labels.push(String(target).trim() === positive ? 1 : 0);
  }
  if (scores.length === 0) return 'no row holds both a score and a target';
  return Cbpe.fit(scores, labels).toJSON();
}

/**
 * Fits what the monitor needs beside the profile on the same rows: the PCA reconstruction model
 * on the numeric features (missing values imputed with the mean, as the model does) and, for a
 * binary classifier with scores and targets, the CBPE isotonic calibration.
 */
export function fitReferenceModels(
  spec: ModelSpec,
  profile: ReferenceProfile,
  rows: readonly SampledRow[],
): ReferenceModels {
  const pca = fitPca(spec, profile, rows);
  const calibration = fitCalibration(spec, profile, rows);
  const skipped: ReferenceModels['skipped'] = {};
  if (typeof pca === 'string') skipped.pca = pca;
  if (typeof calibration === 'string') skipped.calibration = calibration;
  return {
    pca: typeof pca === 'string' ? null : pca,
    calibration: typeof calibration === 'string' ? null : calibration,
    skipped,
  };
}
