jest.setTimeout(300_000);

import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import { freePort } from '../../infra/net/free-port';
import { silentLogger } from '@driftline/kafka';
import { AppModule } from '../../services/api/src/app.module';
import { systemClock } from '../../services/monitor/src/monitor.clock';
import { RetentionService } from '../../services/monitor/src/retention.service';
import { serviceEnv, startService, withAdminKey, type RunningService } from '../helpers/driftline.harness';
import { MonitorEnvironment, type MonitorProcess } from './monitor.harness';
import { differences } from './rows.compare';
import { syntheticModel, syntheticStream } from './synthetic.events';

const MODEL = 'resent';
const T = Date.UTC(2026, 4, 1, 12, 0, 0);
const MINUTE = 60_000;
// A lateness of 10m: no window closes before the resends are in, so each window counts all of its own.
const model = syntheticModel(MODEL, 31, { size: '10m', step: '5m', allowedLateness: '10m' });
// 360 predictions, one every 5 s from T (12 a minute), none late; labels for the first 60.
const predictions: PredictionEvent[] = syntheticStream(MODEL, 32, T, 360).predictions.map((p, i) => ({
  ...p,
  timestamp: new Date(T + i * 5_000).toISOString(),
}));
const labels: GroundTruthEvent[] = predictions.slice(0, 60).map((p, i) => ({
  eventId: `${MODEL}-g${i}`,
  modelId: MODEL,
  predictionId: p.predictionId,
  timestamp: new Date(Date.parse(p.timestamp) + 3_600_000).toISOString(),
  label: i % 3 === 0 ? '0' : '1',
}));

const byHttp = predictions.slice(0, 60);
const byKafka = predictions.slice(60, 120);
// repeated within one send: duplicates inside one batch
const twiceInOneSend = predictions.slice(120, 180).flatMap((p, i) => (i < 10 ? [p, p] : [p]));
const closing = predictions.slice(180);
const resentPredictions = [...byHttp, ...byKafka, ...predictions.slice(120, 130)];
const resentLabels = labels.slice(0, 40);

const rowsOf = (rows: unknown[]) => rows as Record<string, unknown>[];
const inWindow = (events: PredictionEvent[], start: Date, end: Date) =>
  events.filter((e) => Date.parse(e.timestamp) >= start.getTime() && Date.parse(e.timestamp) < end.getTime())
    .length;

/** Sums of a metric per minute of event time, as [minutes after T, value]. */
async function perMinute(env: MonitorEnvironment, metric: string): Promise<[number, number][]> {
  const rows = rowsOf(
    await env.query(
      `SELECT window_start, value FROM metric_points WHERE model_id = $1 AND metric = $2 ORDER BY window_start`,
      [MODEL, metric],
    ),
  );
  return rows.map((r) => [((r.window_start as Date).getTime() - T) / MINUTE, r.value as number]);
}

/** What an operator sees of a window and its metric rows, without the duplicate figures. */
function withoutDuplicates(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .filter(
      (r) =>
        !['duplicate_events', 'duplicate_prediction_count', 'duplicate_label_count'].includes(
          r.metric as string,
        ),
    )
    .map((r) => {
      if (!('result' in r)) return r;
      const { duplicateEvents: _dropped, ...result } = r.result as Record<string, unknown>;
      return { ...r, result };
    });
}

/** Waits for the monitor to consume both topics; a timeout says what the monitor printed. */
async function consumedBy(env: MonitorEnvironment, monitor: MonitorProcess): Promise<void> {
  await env.waitUntilConsumed().catch((error: Error) => {
    throw new Error(`${error.message}\n${monitor.output().slice(-4_000)}`);
  });
}

async function prepare(): Promise<MonitorEnvironment> {
  const env = await MonitorEnvironment.create(3);
  await env.registerModel(model.spec, model.profile, model.rows);
  return env;
}

describe('monitor: resent predictions and labels count once, and as duplicates', () => {
  const envs: MonitorEnvironment[] = [];
  let api: RunningService | undefined;
  let env: MonitorEnvironment;
  let second: MonitorProcess;

  afterAll(async () => {
    await api?.close();
    for (const env of envs) await env.close();
  });

  it('over HTTP and Kafka, within one batch and across a SIGKILL: rows as if each was sent once', async () => {
    // the same events sent once each
    const once = await prepare();
    envs.push(once);
    const alone = await once.startMonitor();
    await once.produce('predictions', predictions);
    await once.produce('groundTruth', labels);
    await consumedBy(once, alone);
    await alone.kill('SIGTERM');

    env = await prepare();
    envs.push(env);
    api = await startService(
      'api',
      (c) => AppModule.forRoot(c),
      serviceEnv(env.prefix, env.database.url, { KAFKA_PARTITIONS: String(env.partitions) }),
    );
    const http = withAdminKey(api);
    const post = async (path: string, events: unknown[]) => {
      const response = await http.post(path).send(events);
      expect([response.status, response.body]).toEqual([202, { accepted: events.length }]);
    };

    const first = await env.startMonitor();
    await post('/v1/predictions', byHttp);
    await env.produce('predictions', byKafka);
    await post('/v1/ground-truth', resentLabels);
    await consumedBy(env, first);
    expect(await env.windowRows()).toEqual([]);
    await first.kill('SIGKILL');

    // while the monitor is down: a client retrying its POSTs, a producer resending, then new events
    await post('/v1/predictions', byHttp);
    await env.produce('predictions', byKafka);
    await env.produce('predictions', twiceInOneSend);
    await post('/v1/ground-truth', labels);
    await env.produce('predictions', closing);
    const port = await freePort();
    second = await env.startMonitor({ MONITOR_PORT: String(port), LOG_LEVEL: 'info' });
    await consumedBy(env, second);

    // counted once: per minute, 12 predictions; the labels' minutes hold 12, 12, 12, 12, 12
    expect(await perMinute(env, 'prediction_count')).toEqual(Array.from({ length: 30 }, (_, m) => [m, 12]));
    expect((await perMinute(env, 'label_count')).map(([, n]) => n)).toEqual([12, 12, 12, 12, 12]);
    // the resends, in the minute of their event time
    expect(await perMinute(env, 'duplicate_prediction_count')).toEqual([
      ...Array.from({ length: 10 }, (_, m): [number, number] => [m, 12]),
      [10, 10],
    ]);
    expect((await perMinute(env, 'duplicate_label_count')).map(([, n]) => n)).toEqual([12, 12, 12, 4]);

    const windows = await env.windowRows();
    expect(windows.map((w) => ((w.window_end as Date).getTime() - T) / MINUTE)).toEqual([5, 10, 15]);
    for (const w of windows) {
      const [start, end] = [w.window_start as Date, w.window_end as Date];
      const result = w.result as { eventCount: number; duplicateEvents: number };
      expect([Number(w.event_count), result.eventCount, result.duplicateEvents]).toEqual([
        inWindow(predictions, start, end),
        inWindow(predictions, start, end),
        inWindow(resentPredictions, start, end),
      ]);
    }
    const duplicatePoints = rowsOf(
      await env.query(
        `SELECT value FROM metric_points WHERE metric = 'duplicate_events' ORDER BY window_start`,
      ),
    ).map((r) => r.value);
    expect(duplicatePoints).toEqual([60, 120, 70]);

    // every other figure (drift, estimates, performance, counts) is that of the run without resends
    expect(differences(withoutDuplicates(windows), withoutDuplicates(await once.windowRows()))).toEqual([]);
    expect(
      differences(withoutDuplicates(await env.metricRows()), withoutDuplicates(await once.metricRows())),
    ).toEqual([]);
    expect(
      await env.query(`SELECT kind, count(*)::int AS n FROM seen_events GROUP BY kind ORDER BY kind`),
    ).toEqual([
      { kind: 'g', n: labels.length },
      { kind: 'p', n: predictions.length },
    ]);

    // all the resends reached the restarted monitor: its counter has them all, and its log says so
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/driftline_duplicate_events_total\{kind="prediction",service="monitor"\} 130\b/);
    expect(metrics).toMatch(/driftline_duplicate_events_total\{kind="ground_truth",service="monitor"\} 40\b/);
    expect(second.output()).toContain('duplicate events dropped');
  });

  it('counts a resend again once retention has forgotten its id, past the horizon', async () => {
    // the model's newest event is a label at T + 1h04m55s: a 30m horizon keeps no prediction's id
    const retention = new RetentionService(env.db, systemClock, silentLogger, 30 * MINUTE);
    expect((await retention.run()).forgottenEventIds).toBe(predictions.length);
    await env.produce('predictions', predictions.slice(0, 12));
    await env.produce('groundTruth', labels.slice(0, 12));
    await consumedBy(env, second);
    expect((await perMinute(env, 'prediction_count'))[0]).toEqual([0, 24]);
    expect((await perMinute(env, 'duplicate_label_count'))[0]).toEqual([60, 24]);
  });
});
