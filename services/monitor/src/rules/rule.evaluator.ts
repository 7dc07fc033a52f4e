import { featureKey, findMetric, type MonitorSpec, type TopicNames } from '@driftline/contracts';
import type { AlertRecord, MonitorRecord, OutboxMessage, RuleStateRecord } from '@driftline/db';
import type { Logger } from '@driftline/kafka';
import type { Clock } from '../monitor.clock';
import type { MonitorUnitOfWork } from '../monitor.store';
import type { WindowResultRow } from '../window.result';
import {
  alertFingerprint,
  buildAlert,
  buildRetrainTrigger,
  episodeAlertId,
  type AlertContext,
} from './alert.builder';
import { measure, topDriftedFeatures } from './metric.reader';
import { breaches, emptyRuleState, judge, withFiring, type RuleState } from './rule.state';

/** A window whose figures became final: newly closed, or its performance rewritten by late labels. */
export interface WindowOutcome {
  kind: 'closed' | 'relabelled';
  row: WindowResultRow;
}

export type RuleTx = Pick<MonitorUnitOfWork, 'monitors' | 'ruleStates' | 'alerts' | 'outbox'>;

/** What the monitor does when a model's version is unknown to it (events carry it, windows do not). */
export const UNKNOWN_MODEL_VERSION = 'unknown';

interface Judged {
  monitor: MonitorSpec;
  threshold: number;
  feature: string | null;
  row: WindowResultRow;
  value: number;
}

const stateKey = (monitorId: string, feature: string) => `${monitorId}\u0000${feature}`;

function thresholdOf(record: MonitorRecord): number | null {
  const spec = record.spec as unknown as MonitorSpec;
  if (spec.threshold !== 'auto') return spec.threshold;
  return record.autoThreshold;
}

/**
 * Monitors (rules) on window outcomes, inside the batch transaction with the models' locks held:
 * each outcome's figure is judged against each monitor of its model, rule states move (fire after
 * `for` breaching windows, resolve after `resolveAfter` clear ones), and every transition is written
 * to alerts and, as an AlertEvent (and a RetrainTriggerEvent for `retrain` monitors, once per
 * episode), to the outbox. A relabelled window is judged by performance monitors only.
 */
export class RuleEvaluator {
  constructor(
    private readonly topics: Pick<TopicNames, 'alerts' | 'retrainTriggers'>,
    private readonly publicUrl: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Judges the outcomes (of one model or several) against their models' monitors. */
  async evaluate(tx: RuleTx, outcomes: WindowOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const modelIds = [...new Set(outcomes.map((o) => o.row.modelId))].sort();
    const monitors = await tx.monitors.forModels(modelIds);
    if (monitors.length === 0) return;
    const judged: Judged[] = [];
    const ordered = [...outcomes].sort((a, b) => a.row.windowEnd.getTime() - b.row.windowEnd.getTime());
    for (const record of monitors) {
      const monitor = record.spec as unknown as MonitorSpec;
      const threshold = thresholdOf(record);
      const family = findMetric(monitor.metric)?.family;
      if (threshold === null || family === undefined) {
        this.logger.warn(
          { monitorId: monitor.monitorId },
          'monitor without a usable threshold or metric: skipped',
        );
        continue;
      }
      for (const outcome of ordered) {
        if (outcome.row.modelId !== record.modelId) continue;
        if (outcome.kind === 'relabelled' && family !== 'performance') continue;
        for (const m of measure(outcome.row.result, monitor)) {
          if (m.value === null || !Number.isFinite(m.value)) continue;
          if (monitor.minSamples !== undefined && (m.labelled ?? 0) < monitor.minSamples) continue;
          judged.push({ monitor, threshold, feature: m.feature, row: outcome.row, value: m.value });
        }
      }
    }
    if (judged.length === 0) return;

    const keys = [
      ...new Map(judged.map((j) => [stateKey(j.monitor.monitorId, featureKey(j.feature)), j])).values(),
    ];
    const stored = await tx.ruleStates.load(
      keys.map((j) => ({ monitorId: j.monitor.monitorId, feature: featureKey(j.feature) })),
    );
    const states = new Map<string, RuleState>(
      stored.map((s) => [stateKey(s.monitorId, s.feature), s.state as unknown as RuleState]),
    );
    const alerts: AlertRecord[] = [];
    const outbox: OutboxMessage[] = [];
    for (const j of judged) {
      const { modelId } = j.row;
      const key = stateKey(j.monitor.monitorId, featureKey(j.feature));
      const verdict = {
        windowStart: j.row.windowStart.getTime(),
        windowEnd: j.row.windowEnd.getTime(),
        value: j.value,
        breach: breaches(j.value, j.monitor.op, j.threshold),
      };
      const { state, transition } = judge(states.get(key) ?? emptyRuleState(), verdict, j.monitor);
      let next = state;
      if (transition.kind !== 'none') {
        const fingerprint = alertFingerprint(modelId, j.monitor.monitorId, featureKey(j.feature));
        const alertId =
          transition.kind === 'fire'
            ? episodeAlertId(fingerprint, transition.episode)
            : transition.alert.alertId;
        const context: AlertContext = {
          monitor: j.monitor,
          threshold: j.threshold,
          feature: j.feature,
          fingerprint,
          alertId,
          startsAt: transition.kind === 'fire' ? verdict.windowEnd : transition.alert.startsAt,
          topFeatures: j.row.result.drift === undefined ? [] : topDriftedFeatures(j.row.result),
          publicUrl: this.publicUrl,
        };
        const trigger =
          transition.kind === 'fire' && j.monitor.retrain
            ? buildRetrainTrigger(context, verdict, UNKNOWN_MODEL_VERSION, this.clock.now())
            : null;
        const { record, event } = buildAlert(
          context,
          verdict,
          transition.kind === 'resolve' ? 'resolved' : 'firing',
          trigger?.triggerId ?? null,
        );
        alerts.push(record);
        if (transition.kind !== 'update')
          outbox.push({ topic: this.topics.alerts, key: modelId, payload: event });
        if (trigger !== null)
          outbox.push({ topic: this.topics.retrainTriggers, key: modelId, payload: trigger });
        if (transition.kind === 'fire') next = withFiring(state, { alertId, startsAt: verdict.windowEnd });
        this.logger.info(
          {
            modelId,
            monitorId: j.monitor.monitorId,
            feature: j.feature,
            alertId,
            transition: transition.kind,
          },
          `alert ${transition.kind}`,
        );
      }
      states.set(key, next);
    }
    const records: RuleStateRecord[] = keys.map((j) => {
      const feature = featureKey(j.feature);
      const state = states.get(stateKey(j.monitor.monitorId, feature)) as RuleState;
      return {
        monitorId: j.monitor.monitorId,
        feature,
        modelId: j.row.modelId,
        state: state as unknown as Record<string, unknown>,
      };
    });
    await tx.ruleStates.save(records);
    // the last write of an alert wins: one row per alert, its newest state
    await tx.alerts.save([...new Map(alerts.map((a) => [a.alertId, a])).values()]);
    await tx.outbox.add(outbox);
  }
}
