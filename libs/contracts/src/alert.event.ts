import { identifier, isoTimestamp, modelIdentifier } from './schema.parts';

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** A drifted column behind an alert, strongest first. */
export interface AlertFeatureEvidence {
  feature: string;
  method: string;
  statistic: number | null;
  pValue: number | null;
  threshold: number;
}

export interface AlertEvent {
  alertId: string;
  /** Stable per model + monitor + feature: groups the firing and resolved events of one alert. */
  fingerprint: string;
  status: AlertStatus;
  severity: AlertSeverity;
  modelId: string;
  monitorId: string;
  metric: string;
  /** Null for model-level metrics. */
  feature: string | null;
  value: number;
  threshold: number;
  windowStart: string;
  windowEnd: string;
  startsAt: string;
  /** Null while firing. */
  endsAt: string | null;
  summary: string;
  /** Link to the evidence in the dashboard. */
  url: string;
  /** The monitor's labels, for routes and silences to match on. */
  labels?: Record<string, string>;
  /** The window's most drifted features (at most 5). */
  topFeatures?: AlertFeatureEvidence[];
}

export const alertEventSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/alert-event.v1.json',
  title: 'AlertEvent',
  type: 'object',
  additionalProperties: false,
  required: [
    'alertId',
    'fingerprint',
    'status',
    'severity',
    'modelId',
    'monitorId',
    'metric',
    'feature',
    'value',
    'threshold',
    'windowStart',
    'windowEnd',
    'startsAt',
    'endsAt',
    'summary',
    'url',
  ],
  properties: {
    alertId: identifier,
    fingerprint: identifier,
    status: { enum: ALERT_STATUSES },
    severity: { enum: ALERT_SEVERITIES },
    modelId: modelIdentifier,
    monitorId: identifier,
    metric: identifier,
    feature: { anyOf: [identifier, { type: 'null' }] },
    value: { type: 'number' },
    threshold: { type: 'number' },
    windowStart: isoTimestamp,
    windowEnd: isoTimestamp,
    startsAt: isoTimestamp,
    endsAt: { anyOf: [isoTimestamp, { type: 'null' }] },
    summary: { type: 'string', maxLength: 2000 },
    url: { type: 'string', format: 'uri' },
    labels: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 100 },
      additionalProperties: { type: 'string', maxLength: 500 },
    },
    topFeatures: {
      type: 'array',
      maxItems: 5,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['feature', 'method', 'statistic', 'pValue', 'threshold'],
        properties: {
          feature: identifier,
          method: identifier,
          statistic: { type: ['number', 'null'] },
          pValue: { type: ['number', 'null'] },
          threshold: { type: 'number' },
        },
      },
    },
  },
} as const;
