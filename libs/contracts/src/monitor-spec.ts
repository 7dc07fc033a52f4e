import { ALERT_SEVERITIES, type AlertSeverity } from './alert.event';
import { compile } from './event.validator';
import { EACH_FEATURE, findMetric } from './metric.catalogue';
import { identifier, modelIdentifier } from './schema.parts';

export const MONITOR_OPS = ['>', '>=', '<', '<='] as const;
export type MonitorOp = (typeof MONITOR_OPS)[number];

/**
 * A rule on one metric of one model, evaluated on every final window outcome. It fires after `for`
 * consecutive breaching windows and resolves after `resolveAfter` consecutive clear ones.
 */
export interface MonitorSpec {
  monitorId: string;
  modelId: string;
  /** A catalogue name (or alias) of libs/contracts METRIC_CATALOGUE. */
  metric: string;
  /** For per-feature metrics: a feature, or "*" for each feature (one alert per feature). */
  feature?: string;
  op: MonitorOp;
  /** "auto": mean ± 3 sd of the metric over the reference's own chunks (the side `op` points to). */
  threshold: number | 'auto';
  for: number;
  resolveAfter: number;
  /** Performance rules: a window counts only once it has this many labels. */
  minSamples?: number;
  severity: AlertSeverity;
  retrain: boolean;
  labels?: Record<string, string>;
}

export const monitorSpecSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/monitor-spec.v1.json',
  title: 'MonitorSpec',
  type: 'object',
  additionalProperties: false,
  required: ['monitorId', 'modelId', 'metric', 'op', 'threshold'],
  properties: {
    monitorId: modelIdentifier,
    modelId: modelIdentifier,
    metric: identifier,
    feature: identifier,
    op: { enum: MONITOR_OPS },
    threshold: { anyOf: [{ type: 'number' }, { const: 'auto' }] },
    for: { type: 'integer', minimum: 1, maximum: 1000 },
    resolveAfter: { type: 'integer', minimum: 1, maximum: 1000 },
    minSamples: { type: 'integer', minimum: 1 },
    severity: { enum: ALERT_SEVERITIES },
    retrain: { type: 'boolean' },
    labels: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 100 },
      additionalProperties: { type: 'string', maxLength: 500 },
    },
  },
} as const;

const validateShape = compile<
  Omit<MonitorSpec, 'for' | 'resolveAfter' | 'severity' | 'retrain'> &
    Partial<Pick<MonitorSpec, 'for' | 'resolveAfter' | 'severity' | 'retrain'>>
>(monitorSpecSchema);

export type MonitorCheck = { ok: true; value: MonitorSpec } | { ok: false; errors: string[] };

/**
 * The shape, then what a schema cannot say: a metric of the catalogue (stored by its catalogue
 * name), a feature exactly for per-feature metrics, a finite threshold. Defaults: for 1,
 * resolveAfter 1, severity warning, retrain false.
 */
export function checkMonitorSpec(input: unknown): MonitorCheck {
  const shape = validateShape(input);
  if (!shape.ok) return shape;
  const spec = shape.value;
  const errors: string[] = [];
  const metric = findMetric(spec.metric);
  if (metric === undefined) errors.push(`/metric '${spec.metric}' is not a Driftline metric`);
  if (metric?.scope === 'feature' && spec.feature === undefined) {
    errors.push(`/feature is required for ${metric.name}: a feature, or "${EACH_FEATURE}" for each`);
  }
  if (metric?.scope === 'model' && spec.feature !== undefined) {
    errors.push(`/feature must be left out: ${metric.name} is a model-level metric`);
  }
  if (typeof spec.threshold === 'number' && !Number.isFinite(spec.threshold)) {
    errors.push('/threshold must be finite');
  }
  if (spec.minSamples !== undefined && metric !== undefined && metric.family !== 'performance') {
    errors.push('/minSamples applies to performance metrics only');
  }
  if (errors.length > 0 || metric === undefined) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...spec,
      metric: metric.name,
      for: spec.for ?? 1,
      resolveAfter: spec.resolveAfter ?? 1,
      severity: spec.severity ?? 'warning',
      retrain: spec.retrain ?? false,
    },
  };
}
