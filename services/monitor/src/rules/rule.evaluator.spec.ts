import {
  checkMonitorSpec,
  topicNames,
  validateAlertEvent,
  validateRetrainTriggerEvent,
  type MonitorSpec,
} from '@driftline/contracts';
import type { AlertRecord, MonitorRecord, OutboxMessage, RuleStateRecord } from '@driftline/db';
import type { ColumnDrift } from '@driftline/stats';
import { logger, TestClock } from '../../../../test/monitor/monitor.mocks';
import type { WindowResult, WindowResultRow } from '../window.result';
import { RuleEvaluator, type RuleTx, type WindowOutcome } from './rule.evaluator';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const column = (name: string, statistic: number, drifted: boolean): ColumnDrift => ({
  column: name,
  type: 'numeric',
  method: 'wasserstein',
  statistic,
  pValue: null,
  threshold: 0.1,
  drifted,
  missingShare: 0,
});

function row(window: number, driftShare: number, extra: Partial<WindowResult> = {}): WindowResultRow {
  const windowStart = new Date(T0 + (window - 1) * HOUR);
  const windowEnd = new Date(T0 + window * HOUR);
  const columns = [column('temp', driftShare * 2, driftShare >= 0.5), column('hum', 0.01, false)];
  return {
    modelId: 'bikes',
    windowStart,
    windowEnd,
    eventCount: 100,
    result: {
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
      eventCount: 100,
      lateEvents: 0,
      duplicateEvents: 0,
      drift: { columns, driftShare, datasetDrift: driftShare >= 0.5 },
      ...extra,
    },
  };
}

function monitor(spec: Record<string, unknown>, modelId = 'bikes'): MonitorRecord {
  const checked = checkMonitorSpec({ modelId, op: '>=', ...spec });
  if (!checked.ok) throw new Error(checked.errors.join('; '));
  return {
    monitorId: checked.value.monitorId,
    modelId,
    spec: { ...checked.value },
    autoThreshold: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

/** A transaction over in-memory rule states that records the alerts and outbox rows written. */
function memoryTx(monitors: MonitorRecord[]) {
  const states = new Map<string, RuleStateRecord>();
  const alerts = new Map<string, AlertRecord>();
  const outbox: OutboxMessage[] = [];
  const tx: RuleTx = {
    monitors: { forModels: async () => monitors },
    ruleStates: {
      load: async (keys) => keys.flatMap((k) => states.get(`${k.monitorId}/${k.feature}`) ?? []),
      save: async (saved) => saved.forEach((s) => states.set(`${s.monitorId}/${s.feature}`, s)),
    },
    alerts: { save: async (saved) => saved.forEach((a) => alerts.set(a.alertId, a)) },
    outbox: { add: async (added) => void outbox.push(...added) },
  };
  return { tx, alerts, outbox };
}

const topics = topicNames('');
const evaluator = () => new RuleEvaluator(topics, 'https://driftline.example/', new TestClock(T0), logger);
const closed = (...rows: WindowResultRow[]): WindowOutcome[] => rows.map((r) => ({ kind: 'closed', row: r }));
const eventsOn = (outbox: OutboxMessage[], topic: string) =>
  outbox.filter((m) => m.topic === topic).map((m) => m.payload as Record<string, unknown>);

describe('RuleEvaluator', () => {
  it('fires after `for` breaching windows, once, with a valid AlertEvent and one retrain trigger, then resolves', async () => {
    const m = monitor({
      monitorId: 'share',
      metric: 'drift_share',
      threshold: 0.5,
      for: 2,
      resolveAfter: 1,
      retrain: true,
      labels: { team: 'ml' },
    });
    const { tx, alerts, outbox } = memoryTx([m]);
    const rules = evaluator();
    await rules.evaluate(tx, closed(row(1, 0.5)));
    expect(outbox).toEqual([]);
    await rules.evaluate(tx, closed(row(2, 0.6), row(3, 0.7)));
    const fired = eventsOn(outbox, topics.alerts);
    expect(fired.map((e) => [e.status, e.value, e.windowEnd])).toEqual([
      ['firing', 0.6, new Date(T0 + 2 * HOUR).toISOString()],
    ]);
    for (const e of fired) expect(validateAlertEvent(e)).toMatchObject({ ok: true });
    expect(fired[0]).toMatchObject({
      labels: { team: 'ml' },
      url: `https://driftline.example/alerts/${String(fired[0].alertId)}`,
    });
    expect((fired[0].topFeatures as { feature: string }[]).map((f) => f.feature)).toEqual(['temp']);
    const triggers = eventsOn(outbox, topics.retrainTriggers);
    expect(triggers).toHaveLength(1);
    expect(validateRetrainTriggerEvent(triggers[0])).toMatchObject({ ok: true });
    expect(triggers[0].alertIds).toEqual([fired[0].alertId]);
    // window 3 kept it firing with a newer value, in the row only
    expect([...alerts.values()].map((a) => [a.status, a.value])).toEqual([['firing', 0.7]]);

    await rules.evaluate(tx, closed(row(4, 0.1)));
    const all = eventsOn(outbox, topics.alerts);
    expect(all.map((e) => e.status)).toEqual(['firing', 'resolved']);
    expect(all[1]).toMatchObject({
      alertId: fired[0].alertId,
      endsAt: new Date(T0 + 4 * HOUR).toISOString(),
      startsAt: fired[0].startsAt,
    });
    expect(eventsOn(outbox, topics.retrainTriggers)).toHaveLength(1);
  });

  it('gives each feature of "*" an alert of its own, with its own fingerprint', async () => {
    const m = monitor({ monitorId: 'each', metric: 'drifted', feature: '*', threshold: 1 });
    const { tx, outbox } = memoryTx([m]);
    const both = row(1, 0.6);
    both.result.drift.columns[1] = column('hum', 0.5, true);
    await evaluator().evaluate(tx, closed(both));
    const fired = eventsOn(outbox, topics.alerts);
    expect(fired.map((e) => e.feature).sort()).toEqual(['hum', 'temp']);
    expect(new Set(fired.map((e) => e.fingerprint)).size).toBe(2);
  });

  it('waits for minSamples labels, and judges relabelled windows by performance monitors only', async () => {
    const accuracy = monitor({
      monitorId: 'acc',
      metric: 'accuracy',
      op: '<',
      threshold: 0.8,
      minSamples: 30,
    });
    const share = monitor({ monitorId: 'share', metric: 'drift_share', threshold: 0.5 });
    const { tx, outbox } = memoryTx([accuracy, share]);
    const rules = evaluator();
    const performance = (labelledShare: number, value: number) => ({
      labelledShare,
      metrics: { accuracy: value } as never,
    });
    // 20 labels of 100: too few to judge
    await rules.evaluate(tx, closed(row(1, 0.1, { performance: performance(0.2, 0.5) })));
    expect(outbox).toEqual([]);
    // the same window relabelled: 40 labels, accuracy 0.6; its drift (0.9 here) is not judged again
    const relabelled = row(1, 0.9, { performance: performance(0.4, 0.6) });
    await rules.evaluate(tx, [{ kind: 'relabelled', row: relabelled }]);
    expect(eventsOn(outbox, topics.alerts).map((e) => [e.monitorId, e.status, e.value])).toEqual([
      ['acc', 'firing', 0.6],
    ]);
    // accuracy recovers with more labels: resolved
    await rules.evaluate(tx, [
      { kind: 'relabelled', row: row(1, 0.1, { performance: performance(0.9, 0.85) }) },
    ]);
    expect(eventsOn(outbox, topics.alerts).map((e) => e.status)).toEqual(['firing', 'resolved']);
  });

  it('gives the same alert ids when the same windows are judged again from scratch (a replay)', async () => {
    const m = monitor({
      monitorId: 'share',
      metric: 'drift_share',
      threshold: 0.5,
    } satisfies Partial<MonitorSpec>);
    const ids = async () => {
      const { tx, outbox } = memoryTx([m]);
      await evaluator().evaluate(tx, closed(row(1, 0.6), row(2, 0.1), row(3, 0.6)));
      return eventsOn(outbox, topics.alerts).map((e) => `${String(e.status)}:${String(e.alertId)}`);
    };
    const first = await ids();
    expect(first).toHaveLength(3);
    expect(new Set(first.map((id) => id.split(':')[1])).size).toBe(2);
    expect(await ids()).toEqual(first);
  });

  it("judges the windows of several models (an evaluation pass) each by its own model's monitors", async () => {
    const spec = { metric: 'drift_share', threshold: 0.5 } satisfies Partial<MonitorSpec>;
    const { tx, alerts, outbox } = memoryTx([
      monitor({ ...spec, monitorId: 'bikes-share' }),
      monitor({ ...spec, monitorId: 'taxis-share' }, 'taxis'),
    ]);
    const taxis = (r: WindowResultRow): WindowResultRow => ({ ...r, modelId: 'taxis' });
    // bikes breaches in window 1, taxis in window 2: one alert each, keyed by its own model
    await evaluator().evaluate(tx, closed(row(1, 0.6), taxis(row(1, 0.1)), row(2, 0.1), taxis(row(2, 0.7))));
    expect(
      eventsOn(outbox, topics.alerts).map((e) => [e.monitorId, e.modelId, e.status, e.windowEnd]),
    ).toEqual([
      ['bikes-share', 'bikes', 'firing', new Date(T0 + HOUR).toISOString()],
      ['bikes-share', 'bikes', 'resolved', new Date(T0 + 2 * HOUR).toISOString()],
      ['taxis-share', 'taxis', 'firing', new Date(T0 + 2 * HOUR).toISOString()],
    ]);
    expect(outbox.filter((m) => m.topic === topics.alerts).map((m) => m.key)).toEqual([
      'bikes',
      'bikes',
      'taxis',
    ]);
    expect([...alerts.values()].map((a) => a.modelId).sort()).toEqual(['bikes', 'taxis']);
  });
});
