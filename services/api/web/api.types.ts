/** What the dashboard reads of the /v1 answers (the OpenAPI document at /docs has them all). */
import type {
  AlertEvent,
  AlertFeatureEvidence as AlertFeature,
} from '../../../libs/contracts/src/alert.event';

export type { AlertFeature };
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

/** An alert as GET /v1/alerts/:id returns it: the AlertEvent's fields, its evidence as stored. */
export type Alert = Omit<AlertEvent, 'url' | 'labels' | 'topFeatures'> & {
  evidence: { topFeatures?: AlertFeature[]; op?: string; url?: string; labels?: Record<string, string> };
};
