import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';

/** The two v1 events a producer sends; each has its own endpoint and topic. */
export type EventKind = 'prediction' | 'groundTruth';

export interface EventOfKind {
  prediction: PredictionEvent;
  groundTruth: GroundTruthEvent;
}

export type DriftlineEvent = PredictionEvent | GroundTruthEvent;

export const EVENT_KINDS: readonly EventKind[] = ['prediction', 'groundTruth'];

/** What to fill in when the caller leaves it out: an event id and the event time. */
interface Defaults {
  eventId?: string;
  timestamp?: string | Date;
}

export type PredictionInput = Omit<PredictionEvent, 'eventId' | 'timestamp'> & Defaults;
export type GroundTruthInput = Omit<GroundTruthEvent, 'eventId' | 'timestamp'> & Defaults;

/** A line of a replay file or any JSON: a prediction when it has `prediction` or `features`, else a label. */
export function kindOf(value: unknown): EventKind {
  const object = typeof value === 'object' && value !== null ? value : {};
  return 'prediction' in object || 'features' in object ? 'prediction' : 'groundTruth';
}
