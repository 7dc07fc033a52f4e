import { Controller, Get, Header, Inject, type Provider } from '@nestjs/common';
import { ALERT_SEVERITIES } from '@driftline/contracts';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import { Public } from './route-access';

export const METRICS = Symbol('METRICS');

/** Window latency buckets, seconds: from well within a step to a backlog of minutes. */
const WINDOW_DELAY_BUCKETS = [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300, 1800];

/** A registry's series as `Registry.getMetricsAsJSON` gives them, e.g. sent over from a worker thread. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

export interface ServiceMetricsOptions {
  /**
   * The process and Node.js series (CPU, memory, event loop): once per process. A worker thread's
   * registry leaves them out, since its process figures are the whole process's.
   */
  defaultMetrics?: boolean;
}

/**
 * A gauge's collect that reads its figures from the database at scrape time, once a source is set.
 * If the database does not answer, the last figures stand (/readyz says why).
 */
function readAtScrape<T, G extends Gauge<string>>(
  source: () => (() => Promise<T>) | undefined,
  apply: (gauge: G, value: T) => void,
): (this: G) => Promise<void> {
  return async function (this: G) {
    const read = source();
    if (read === undefined) return;
    let value: T;
    try {
      value = await read();
    } catch {
      return;
    }
    apply(this, value);
  };
}

/**
 * The Prometheus series of one service process, on a registry of its own (several apps may share a
 * test process). Every series is named `driftline_*`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  /** Stored offsets that disagreed with the broker, by what was found (see OffsetMismatch). */
  readonly offsetMismatches = new Counter({
    name: 'driftline_offset_mismatches_total',
    help: 'Stored consumer offsets found inconsistent with the broker, by topic, partition and reason',
    labelNames: ['topic', 'partition', 'reason'] as const,
    registers: [this.registry],
  });

  /** Records the broker no longer had when they were due (deleted by retention before consumption). */
  readonly recordsLost = new Counter({
    name: 'driftline_records_lost_total',
    help: 'Records deleted from the broker before they were consumed, by topic and partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  /** Records a consumer has fetched into a commit interval that Postgres does not hold yet. */
  readonly uncommittedRecords = new Gauge({
    name: 'driftline_consumer_uncommitted_records',
    help: 'Records gathered into open commit intervals, not yet committed to Postgres, by topic and partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  /** Events dropped because their eventId was already counted within the dedup horizon. */
  readonly duplicateEvents = new Counter({
    name: 'driftline_duplicate_events_total',
    help: 'Events whose eventId was already seen for their model within the dedup horizon, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** Retrain triggers the dispatcher consumed (each Kafka record once). */
  readonly retrainTriggers = new Counter({
    name: 'driftline_retrain_triggers_total',
    help: 'Retrain triggers consumed by the dispatcher',
    registers: [this.registry],
  });

  /** Retrain webhooks by how they ended: delivered, failed, or skipped in a cooldown. */
  readonly retrainDeliveries = new Counter({
    name: 'driftline_retrain_deliveries_total',
    help: 'Retrain webhook deliveries by final status (delivered, failed, skipped)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** Alert state changes the notifier recorded: new alerts and resolutions, redeliveries left out. */
  readonly alertsReceived = new Counter({
    name: 'driftline_alerts_received_total',
    help: 'Alert state changes recorded by the notifier, by status (firing, resolved)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** Alerts no route matched while ALERT_DEFAULT_CHANNELS is empty: logged, never sent. */
  readonly alertsUnrouted = new Counter({
    name: 'driftline_alerts_unrouted_total',
    help: 'Alerts that matched no route with no default channels, so nobody was notified',
    registers: [this.registry],
  });

  /** Notifications the receiver accepted, by channel type. */
  readonly notifications = new Counter({
    name: 'driftline_notifications_total',
    help: 'Notifications delivered, by channel type (slack, email, webhook)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  /** Attempts that failed and will be tried again, by channel type. */
  readonly notificationRetries = new Counter({
    name: 'driftline_notification_retries_total',
    help: 'Failed notification attempts scheduled for a retry, by channel type',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  /** Notifications given up (a permanent error, the delivery deadline, a missing channel), by channel type. */
  readonly notificationFailures = new Counter({
    name: 'driftline_notification_failures_total',
    help: 'Notifications marked failed, by channel type (unknown when the channel does not exist)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  /** Valid records a batch transaction handled and committed, by topic and partition. */
  readonly eventsConsumed = new Counter({
    name: 'driftline_events_consumed_total',
    help: 'Valid records handled and committed by the consumer, by topic and partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  /** Records behind the consumer: the batch's high watermark minus the next offset it stored. */
  readonly consumerLag = new Gauge({
    name: 'driftline_consumer_lag',
    help: 'Records on the partition not consumed yet, as of the last committed batch, by topic and partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  /** Handler and transaction of one committed batch. */
  readonly batchDuration = new Histogram({
    name: 'driftline_batch_duration_seconds',
    help: 'Time of a committed batch transaction (handler, dead letters and offsets), by topic',
    labelNames: ['topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Records sent to the dead-letter topic, by source topic and kind of rejection (DeadLetterReason). */
  readonly deadLetters = new Counter({
    name: 'driftline_dead_letters_total',
    help: 'Records sent to the dead-letter topic, by source topic and reason (tombstone, malformed_json, invalid_event, handler_failed)',
    labelNames: ['topic', 'reason'] as const,
    registers: [this.registry],
  });

  /** Windows the monitor evaluated once they closed. */
  readonly windowsEvaluated = new Counter({
    name: 'driftline_windows_evaluated_total',
    help: 'Windows evaluated by the monitor once they closed, by whether data drift was detected',
    labelNames: ['drifted'] as const,
    registers: [this.registry],
  });

  /**
   * Where a window row's latency goes, in two parts: from the window's end (event time) until a
   * batch closed it and queued it (the consumer's part: the first event past the end arrived), then
   * until its evaluation committed the row (the evaluation loop's part). Observed for each row written.
   */
  readonly windowCloseDelay = new Histogram({
    name: 'driftline_window_close_delay_seconds',
    help: "From a window's end (event time) to the batch that closed it and queued it for evaluation, for each window evaluated",
    buckets: WINDOW_DELAY_BUCKETS,
    registers: [this.registry],
  });

  readonly windowEvaluationDelay = new Histogram({
    name: 'driftline_window_evaluation_delay_seconds',
    help: 'From the batch that closed a window to the commit of its evaluated row, for each window evaluated',
    buckets: WINDOW_DELAY_BUCKETS,
    registers: [this.registry],
  });

  /** Closed windows whose evaluation threw or could not run: logged and skipped, no row written. */
  readonly windowEvaluationFailures = new Counter({
    name: 'driftline_window_evaluation_failures_total',
    help: 'Closed windows the monitor could not evaluate (logged, skipped: no window row)',
    registers: [this.registry],
  });

  /** Closed windows queued for the evaluation loop, read at scrape time (see countPendingEvaluations). */
  readonly windowsPendingEvaluation: Gauge;

  /** Predictions whose window had already closed: counted, never evaluated. */
  readonly lateEvents = new Counter({
    name: 'driftline_late_events_total',
    help: 'Predictions that arrived after their window closed (counted in no window)',
    registers: [this.registry],
  });

  /** Firing alerts as stored, read at scrape time from what `countFiringAlerts` returns. */
  readonly alertsFiring: Gauge<'severity'>;

  /** HTTP requests answered, by method, route pattern (never the raw path) and status. */
  readonly httpRequests = new Counter({
    name: 'driftline_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'driftline_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private firingSource: (() => Promise<FiringAlertCount[]>) | undefined;
  private pendingSource: (() => Promise<number>) | undefined;
  private readonly sources: (() => Promise<MetricsSnapshot[]>)[] = [];

  constructor(
    readonly service: string,
    { defaultMetrics = true }: ServiceMetricsOptions = {},
  ) {
    this.windowsPendingEvaluation = new Gauge({
      name: 'driftline_windows_pending_evaluation',
      help: 'Closed windows stored and waiting for their evaluation (served by the monitor)',
      registers: [this.registry],
      collect: readAtScrape(
        () => this.pendingSource,
        (gauge, count) => gauge.set(count),
      ),
    });
    this.alertsFiring = new Gauge({
      name: 'driftline_alerts_firing',
      help: 'Alerts firing now, by severity (served by the monitor, the writer of alerts)',
      labelNames: ['severity'] as const,
      registers: [this.registry],
      collect: readAtScrape(
        () => this.firingSource,
        (gauge, counts) => {
          for (const severity of ALERT_SEVERITIES) gauge.set({ severity }, 0);
          for (const { severity, count } of counts) gauge.set({ severity }, count);
        },
      ),
    });
    this.registry.setDefaultLabels({ service });
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'driftline_' });
  }

  /**
   * Adds the series of other registries of the process (the monitor's worker threads) to what
   * `exposition` serves: a series of the same name and labels is summed over them (prom-client's
   * AggregatorRegistry, the way its cluster mode adds up processes).
   */
  addSource(read: () => Promise<MetricsSnapshot[]>): void {
    this.sources.push(read);
  }

  /** The Prometheus text of this registry, with the series of every source added. */
  async exposition(): Promise<string> {
    if (this.sources.length === 0) return this.registry.metrics();
    const own = await this.registry.getMetricsAsJSON();
    const others = await Promise.all(this.sources.map((read) => read()));
    return AggregatorRegistry.aggregate([own, ...others.flat()]).metrics();
  }

  /** Where the alerts-firing gauge reads its figures at each scrape (the service writing alerts). */
  countFiringAlerts(read: () => Promise<FiringAlertCount[]>): void {
    this.firingSource = read;
  }

  /** Where the pending-evaluation gauge reads its figure at each scrape (the monitor). */
  countPendingEvaluations(read: () => Promise<number>): void {
    this.pendingSource = read;
  }
}

export interface FiringAlertCount {
  severity: string;
  count: number;
}

@Controller()
@Public()
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: ServiceMetrics) {}

  /** Prometheus text exposition; needs no key. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): Promise<string> {
    return this.metrics.exposition();
  }
}

export function metricsProviders(service: string): Provider[] {
  return [{ provide: METRICS, useValue: new ServiceMetrics(service) }];
}
