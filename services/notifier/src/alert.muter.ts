import { compileMatchers, type AlertEvent, type LabelMatcher, type LabelSet } from '@driftline/contracts';
import { alertLabels } from './alert.router';

/** A firing alert of this metric inhibits its model's per-feature drift alerts. */
export const INHIBITING_METRIC = 'dataset_drift';
export const INHIBITED_METRICS: readonly string[] = ['drift_statistic', 'drift_p_value', 'drifted'];

export interface SilenceWindow {
  id: string;
  matchers: readonly LabelMatcher[];
  startsAt: number;
  endsAt: number;
}

export type MuteReason = { kind: 'silenced'; by: string[] } | { kind: 'inhibited'; by: string[] };

/**
 * Alertmanager's mute stages for one point in time: inhibition (a firing dataset-drift alert mutes
 * the same model's per-feature drift alerts; an alert never inhibits itself) and silences (every
 * matcher holds, and startsAt <= now < endsAt).
 */
export class AlertMuter {
  private readonly silences: { id: string; matches: (labels: LabelSet) => boolean }[];
  /** Firing inhibiting alerts by model. */
  private readonly sources = new Map<string, string[]>();

  constructor(silences: readonly SilenceWindow[], inhibitors: readonly AlertEvent[], now: number) {
    this.silences = silences
      .filter((s) => s.startsAt <= now && now < s.endsAt)
      .map((s) => ({ id: s.id, matches: compileMatchers(s.matchers) }));
    for (const source of inhibitors) {
      if (source.status !== 'firing' || source.metric !== INHIBITING_METRIC) continue;
      this.sources.set(source.modelId, [...(this.sources.get(source.modelId) ?? []), source.alertId]);
    }
  }

  muted(alert: AlertEvent): MuteReason | null {
    if (INHIBITED_METRICS.includes(alert.metric) && alert.feature !== null) {
      const by = (this.sources.get(alert.modelId) ?? []).filter((id) => id !== alert.alertId);
      if (by.length > 0) return { kind: 'inhibited', by };
    }
    const labels = alertLabels(alert);
    const by = this.silences.filter((s) => s.matches(labels)).map((s) => s.id);
    return by.length > 0 ? { kind: 'silenced', by } : null;
  }
}
