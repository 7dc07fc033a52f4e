import { compile } from './event.validator';
import { modelIdentifier } from './schema.parts';

export type ModelTask = 'binary' | 'multiclass' | 'regression';
export type FeatureType = 'numeric' | 'categorical';
export type MultipleTestingCorrection = 'none' | 'bonferroni' | 'bh';

/** Drift method names as libs/stats spells them (STATS.md); a test keeps the two lists equal. */
export const DRIFT_METHOD_NAMES = [
  'ks',
  'wasserstein',
  'psi',
  'jensenshannon',
  'hellinger',
  'kl',
  'cvm',
  'mannwhitney',
  'ttest',
  'energy',
  'chisquare',
  'gtest',
  'ztest',
  'fisher',
  'linf',
] as const;
export type DriftMethodName = (typeof DRIFT_METHOD_NAMES)[number];

/** Sliding window over event time; durations as parseDuration reads them ("5m", "1h30m"). */
export interface ModelWindowSettings {
  size: string;
  step: string;
  allowedLateness: string;
  idleTimeout?: string;
}

/** A monitored model as registered through POST /v1/models; stored in `models.settings`. */
export interface ModelSpec {
  modelId: string;
  description?: string;
  task?: ModelTask;
  /** Binary task: the label counted as positive (default "1"). */
  positiveLabel?: string;
  /** Declared feature types; the others are inferred from the reference at upload. */
  features?: Record<string, FeatureType>;
  window: ModelWindowSettings;
  /** How long a prediction waits for its ground truth (default "7d"). */
  labelHorizon?: string;
  methods?: Record<string, DriftMethodName>;
  /** Per feature, or '*' for every feature without its own. */
  thresholds?: Record<string, number>;
  bins?: number;
  /** Share of drifted features from which the data set drifts (default 0.5). */
  driftShare?: number;
  correction?: MultipleTestingCorrection;
}

/** The values a missing optional setting stands for (STATS.md defaults). */
export const MODEL_SPEC_DEFAULTS = {
  positiveLabel: '1',
  labelHorizon: '7d',
  bins: 10,
  driftShare: 0.5,
  correction: 'none',
} as const satisfies Partial<ModelSpec>;

export type ResolvedModelSpec = ModelSpec & Required<Pick<ModelSpec, keyof typeof MODEL_SPEC_DEFAULTS>>;

/** The spec with every defaulted setting written out. */
export function resolveModelSpec(spec: ModelSpec): ResolvedModelSpec {
  return { ...MODEL_SPEC_DEFAULTS, ...spec };
}

// The grammar is parseDuration's (libs/windowing); the API checks it with a message naming the field.
const duration = { type: 'string', minLength: 1, maxLength: 40 } as const;
const featureName = { minLength: 1, maxLength: 200 } as const;

export const modelSpecSchema = {
  $id: 'https://driftline.dev/schemas/model-spec.v1.json',
  title: 'ModelSpec',
  type: 'object',
  additionalProperties: false,
  required: ['modelId', 'window'],
  properties: {
    modelId: modelIdentifier,
    description: { type: 'string', maxLength: 2000 },
    task: { enum: ['binary', 'multiclass', 'regression'] },
    positiveLabel: { type: 'string', minLength: 1, maxLength: 200 },
    features: {
      type: 'object',
      maxProperties: 1000,
      propertyNames: featureName,
      additionalProperties: { enum: ['numeric', 'categorical'] },
    },
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['size', 'step', 'allowedLateness'],
      properties: { size: duration, step: duration, allowedLateness: duration, idleTimeout: duration },
    },
    labelHorizon: duration,
    methods: {
      type: 'object',
      propertyNames: featureName,
      additionalProperties: { enum: DRIFT_METHOD_NAMES },
    },
    thresholds: {
      type: 'object',
      propertyNames: featureName,
      additionalProperties: { type: 'number', minimum: 0 },
    },
    bins: { type: 'integer', minimum: 2, maximum: 100 },
    driftShare: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    correction: { enum: ['none', 'bonferroni', 'bh'] },
  },
} as const;

/** Checks the shape of a model spec, reporting every reason with its path (durations are checked by parseDuration). */
export const validateModelSpec = compile<ModelSpec>(modelSpecSchema);
