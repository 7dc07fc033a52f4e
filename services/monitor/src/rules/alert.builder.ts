import { createHash } from 'node:crypto';
import type { AlertEvent, MonitorSpec, RetrainTriggerEvent } from '@driftline/contracts';
import type { AlertRecord } from '@driftline/db';
import type { ColumnDriftResult as ColumnDrift } from '@driftline/contracts';
import type { Verdict } from './rule.state';

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex');

/** As a UUID (version nibble 8: derived, RFC 9562), so ids read like the other ids of the API. */
function derivedId(...parts: string[]): string {
  const h = hash(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Stable per model + monitor + feature ('' for none): every episode of one alert shares it. */
export const alertFingerprint = (modelId: string, monitorId: string, feature: string) =>
  hash('fingerprint', modelId, monitorId, feature).slice(0, 32);

/** The id of a fingerprint's n-th firing episode: a replay of the same windows gives the same id. */
export const episodeAlertId = (fingerprint: string, episode: number) =>
  derivedId('alert', fingerprint, String(episode));

export const retrainTriggerId = (alertId: string) => derivedId('retrain', alertId);

export interface AlertContext {
  monitor: MonitorSpec;
  threshold: number;
  feature: string | null;
  fingerprint: string;
  alertId: string;
  /** Event time the episode started (the window end that fired it). */
  startsAt: number;
  topFeatures: ColumnDrift[];
  publicUrl: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (x: number) => Number(x.toPrecision(4));

function summary(c: AlertContext, verdict: Verdict, resolved: boolean): string {
  const { monitor } = c;
  const subject = `${monitor.metric}${c.feature === null ? '' : ` of ${c.feature}`}`;
  const window = `window ${iso(verdict.windowStart)} to ${iso(verdict.windowEnd)}`;
  return resolved
    ? `${monitor.modelId}: ${subject} is back to ${round(verdict.value)} (threshold ${monitor.op} ${round(c.threshold)}) in the ${window}`
    : `${monitor.modelId}: ${subject} is ${round(verdict.value)}, ${monitor.op} ${round(c.threshold)}, for ${monitor.for} window${monitor.for === 1 ? '' : 's'} (${window})`;
}

const evidenceOf = (c: AlertContext) =>
  c.topFeatures.map((f) => ({
    feature: f.column,
    method: f.method,
    statistic: f.statistic,
    pValue: f.pValue,
    threshold: f.threshold,
  }));

/** What an AlertEvent repeats of the alerts row as it is. */
function eventFields(r: AlertRecord) {
  const { alertId, fingerprint, status, monitorId, modelId, metric, feature, value, threshold, summary } = r;
  return {
    alertId,
    fingerprint,
    status,
    severity: r.severity as AlertEvent['severity'],
    modelId,
    monitorId,
    metric,
    feature,
    value,
    threshold,
    summary,
  };
}

/** The alerts row and the AlertEvent of a transition (endsAt set when resolved). */
export function buildAlert(
  c: AlertContext,
  verdict: Verdict,
  status: 'firing' | 'resolved',
  retrainTrigger: string | null,
): { record: AlertRecord; event: AlertEvent } {
  const { monitor } = c;
  const endsAt = status === 'resolved' ? verdict.windowEnd : null;
  const text = summary(c, verdict, status === 'resolved');
  const topFeatures = evidenceOf(c);
  const labels = monitor.labels ?? {};
  const url = `${c.publicUrl.replace(/\/+$/, '')}/alerts/${c.alertId}`;
  const record: AlertRecord = {
    alertId: c.alertId,
    fingerprint: c.fingerprint,
    status,
    severity: monitor.severity,
    modelId: monitor.modelId,
    monitorId: monitor.monitorId,
    metric: monitor.metric,
    feature: c.feature,
    value: verdict.value,
    threshold: c.threshold,
    windowStart: new Date(verdict.windowStart),
    windowEnd: new Date(verdict.windowEnd),
    startsAt: new Date(c.startsAt),
    endsAt: endsAt === null ? null : new Date(endsAt),
    summary: text,
    evidence: { topFeatures, labels, op: monitor.op, retrainTriggerId: retrainTrigger, url },
  };
  const event: AlertEvent = {
    ...eventFields(record),
    windowStart: iso(verdict.windowStart),
    windowEnd: iso(verdict.windowEnd),
    startsAt: iso(c.startsAt),
    endsAt: endsAt === null ? null : iso(endsAt),
    url,
    labels,
    topFeatures,
  };
  return { record, event };
}

/** The retraining trigger of a firing episode of a monitor with `retrain: true`. */
export function buildRetrainTrigger(
  c: AlertContext,
  verdict: Verdict,
  modelVersion: string,
  now: number,
): RetrainTriggerEvent {
  return {
    triggerId: retrainTriggerId(c.alertId),
    modelId: c.monitor.modelId,
    modelVersion,
    reason: summary(c, verdict, false),
    alertIds: [c.alertId],
    windowStart: iso(verdict.windowStart),
    windowEnd: iso(verdict.windowEnd),
    createdAt: iso(now),
  };
}
