import cluster from 'node:cluster';
import { isClusterMessage, type ClusterMessage } from './cluster.messages';
import { ClusterMetricsGathering, METRICS_ASK_TIMEOUT_MS, WorkerMetricsChannel } from './cluster.metrics';
import { ignoreClosedChannel, nodeClusterHost, type ClusterHost, type ForkedWorker } from './cluster.host';
import type { Logger } from './logger';
import type { ServiceMetrics } from './service.metrics';

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
/**
 * How long the primary waits for its workers to stop before it kills those left (SIGKILL) and exits
 * 1: within Kubernetes' default 30 s grace period, so the primary, not the kubelet, says what hung.
 */
export const CLUSTER_STOP_TIMEOUT_MS = 25_000;

/** Whether this process is a worker of a service cluster (forked by runClusterPrimary). */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** This worker's number in its cluster (1, 2, ...), for its log lines; undefined outside one. */
export function clusterWorkerId(): number | undefined {
  return cluster.worker?.id;
}

/**
 * The primary process of a service run as `count` workers sharing its port (node:cluster). It
 * serves nothing itself: it forks the workers, relays /metrics between them, forwards SIGTERM and
 * SIGINT to them and exits 0 once all exited (1 if one failed on the way out, or had to be killed
 * after `stopTimeoutMs`). It restarts nothing:
 * a worker that exits on its own is fatal, the others are stopped and the process exits 1 for its
 * orchestrator to restart it, as after any crash.
 */
export function runClusterPrimary(
  name: string,
  count: number,
  logger: Logger,
  host: ClusterHost = nodeClusterHost,
  stopTimeoutMs = CLUSTER_STOP_TIMEOUT_MS,
): void {
  const live = new Set<ForkedWorker>();
  const metrics = new ClusterMetricsGathering(
    () => [...live],
    METRICS_ASK_TIMEOUT_MS,
    (workers) =>
      logger.warn(
        { workers },
        `a /metrics scrape went without the series of workers that did not answer in time`,
      ),
  );
  let stopping: NodeJS.Signals | undefined;
  let failed = false;

  let deadline: NodeJS.Timeout | undefined;

  const stop = (signal: NodeJS.Signals): void => {
    stopping ??= signal;
    for (const worker of live) worker.kill(signal);
    deadline ??= setTimeout(() => {
      failed = true;
      logger.error(
        { workers: [...live].map((w) => ({ worker: w.id, pid: w.pid })), timeoutMs: stopTimeoutMs },
        `${name} workers did not stop in time: killed`,
      );
      for (const worker of live) worker.kill('SIGKILL');
    }, stopTimeoutMs);
    deadline.unref();
  };

  host.onMessage((worker, message) => {
    if (!isClusterMessage(message)) return;
    if (message.type === 'driftline:metrics-request') void metrics.request(worker, message);
    else if (message.type === 'driftline:metrics-answer') metrics.answered(worker.id, message);
  });
  host.onExit((worker, code, signal) => {
    live.delete(worker);
    metrics.left(worker.id);
    const exit = { worker: worker.id, pid: worker.pid, code, signal };
    if (stopping === undefined) {
      failed = true;
      logger.fatal(
        exit,
        `a ${name} worker exited: the others stop and the process exits for its orchestrator to restart it`,
      );
      stop('SIGTERM');
    } else if (code !== 0 && signal !== stopping) {
      failed = true;
      logger.error(exit, `a ${name} worker failed while stopping`);
    }
    if (live.size === 0) {
      clearTimeout(deadline);
      host.exit(failed ? 1 : 0);
    }
  });
  for (const signal of SHUTDOWN_SIGNALS) {
    host.onSignal(signal, () => {
      if (stopping !== undefined) return;
      logger.info({ signal }, `${name} stopping its workers`);
      stop(signal);
    });
  }

  for (let i = 0; i < count; i++) live.add(host.fork());
  logger.info({ workers: [...live].map((w) => w.pid) }, `${name} started ${count} workers`);
}

/**
 * Joins this worker's metrics to the cluster's: its /metrics adds the other workers' series (asked
 * through the primary), and it answers the primary's asks with its own.
 */
export function joinClusterMetrics(metrics: ServiceMetrics, logger: Logger): void {
  const send = (message: ClusterMessage): void => void process.send?.(message, ignoreClosedChannel);
  const channel = new WorkerMetricsChannel(
    send,
    () => metrics.registry.getMetricsAsJSON(),
    undefined,
    (why) =>
      logger.warn(why, "/metrics served without every worker's series (driftline_metrics_incomplete 1)"),
    { service: metrics.service },
  );
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.type === 'driftline:metrics-ask') {
      channel.asked(message).catch((error: unknown) => logger.warn({ err: error }, 'metrics ask failed'));
    } else if (message.type === 'driftline:metrics-reply') channel.replied(message);
  });
  metrics.addSource(() => channel.othersSeries());
}
