/** What the dashboard reads of the /v1 answers (the OpenAPI document at /docs has them all). */
export type { ColumnDriftResult, WindowResult } from '../../../libs/contracts/src/window-result';
export type {
  ColumnDistribution,
  WindowDistributions,
} from '../../../libs/contracts/src/window-distributions';

export interface Model {
  modelId: string;
  description?: string;
  task?: 'binary' | 'multiclass' | 'regression';
  features: Record<string, 'numeric' | 'categorical'>;
  window: { size: string; step?: string; allowedLateness?: string };
  driftShare?: number;
}

export interface Monitor {
  monitorId: string;
  modelId: string;
  metric: string;
  feature?: string;
  op: string;
  effectiveThreshold: number;
  severity: string;
}

export interface AlertFeature {
  feature: string;
  method: string;
  statistic: number | null;
  pValue: number | null;
  threshold: number;
}

export interface Alert {
  alertId: string;
  status: 'firing' | 'resolved';
  severity: string;
  modelId: string;
  monitorId: string;
  metric: string;
  feature: string | null;
  value: number;
  threshold: number;
  windowStart: string;
  windowEnd: string;
  startsAt: string;
  endsAt: string | null;
  summary: string;
  evidence: { topFeatures?: AlertFeature[]; op?: string; url?: string; labels?: Record<string, string> };
}
