import { Gauge, Registry } from 'prom-client';
import type { MetricsAnswer, MetricsAsk, MetricsReply, MetricsRequest } from './cluster.messages';
import type { MetricsSnapshot } from './service.metrics';

/** How long the primary waits for a worker's series; one that does not answer in time is left out. */
export const METRICS_ASK_TIMEOUT_MS = 2_000;

/** A worker as the primary sees it: an id and a way to send it a message. */
export interface ClusterPeer {
  id: number;
  send(message: MetricsAsk | MetricsReply): void;
}

interface Gathering {
  waiting: Set<number>;
  series: MetricsSnapshot[];
  finish: () => void;
}

/** What the primary gathered for one request: the series in, and the workers that did not answer. */
interface Gathered {
  series: MetricsSnapshot[];
  missing: number[];
}

/** The series a worker's /metrics adds: 1 when the scrape lacks another worker's series, else 0. */
export const INCOMPLETE_METRICS_SERIES = 'driftline_metrics_incomplete';

/**
 * The primary's side of /metrics in a cluster: a worker's request is forwarded as an ask to every
 * other worker, and the reply carries the series of those that answered within the timeout.
 */
export class ClusterMetricsGathering {
  private lastId = 0;
  private readonly gatherings = new Map<number, Gathering>();

  constructor(
    private readonly peers: () => ClusterPeer[],
    private readonly timeoutMs = METRICS_ASK_TIMEOUT_MS,
    /** Told the workers a reply goes without (the primary logs them). */
    private readonly onMissing: (workers: number[]) => void = () => undefined,
  ) {}

  /** Answers the request of worker `from` with the other workers' series. */
  async request(from: ClusterPeer, request: MetricsRequest): Promise<void> {
    const { series, missing } = await this.gather(from.id);
    if (missing.length > 0) this.onMissing(missing);
    from.send({ type: 'driftline:metrics-reply', id: request.id, series, missing });
  }

  /** A worker's answer to an ask; answers to nothing pending (late ones) are dropped. */
  answered(from: number, answer: MetricsAnswer): void {
    const gathering = this.gatherings.get(answer.id);
    if (gathering === undefined || !gathering.waiting.delete(from)) return;
    gathering.series.push(answer.series);
    if (gathering.waiting.size === 0) gathering.finish();
  }

  /** A worker that exited answers nothing: no gathering waits for it. */
  left(id: number): void {
    for (const gathering of [...this.gatherings.values()]) {
      if (gathering.waiting.delete(id) && gathering.waiting.size === 0) gathering.finish();
    }
  }

  /** The series of every worker but `from`, and those that did not answer in time. */
  private gather(from: number): Promise<Gathered> {
    const others = this.peers().filter((peer) => peer.id !== from);
    const id = ++this.lastId;
    return new Promise((resolve) => {
      const gathering: Gathering = {
        waiting: new Set(others.map((peer) => peer.id)),
        series: [],
        finish: () => {
          clearTimeout(timer);
          this.gatherings.delete(id);
          resolve({ series: gathering.series, missing: [...gathering.waiting] });
        },
      };
      const timer = setTimeout(gathering.finish, this.timeoutMs);
      this.gatherings.set(id, gathering);
      for (const peer of others) {
        try {
          peer.send({ type: 'driftline:metrics-ask', id });
        } catch {
          // its channel closed: it is on its way out
          gathering.waiting.delete(peer.id);
        }
      }
      if (gathering.waiting.size === 0) gathering.finish();
    });
  }
}

/**
 * A worker's side of /metrics in a cluster: it answers the primary's asks with its own series, and
 * its `othersSeries` (a ServiceMetrics source) asks the primary for the other workers'. Without a
 * reply within `timeoutMs` (the primary's own timeout and some) it serves its own series alone. A
 * scrape that lacks a worker's series says so: `driftline_metrics_incomplete` is 1 in it (0 when
 * every worker answered), and `onIncomplete` is told why.
 */
export class WorkerMetricsChannel {
  private lastId = 0;
  private readonly replies = new Map<number, (reply: Gathered | null) => void>();
  /** Holds the one gauge this worker adds to the scrapes it serves. */
  private readonly flagRegistry = new Registry();
  private readonly incomplete: Gauge;

  constructor(
    private readonly send: (message: MetricsRequest | MetricsAnswer) => void,
    private readonly ownSeries: () => Promise<MetricsSnapshot>,
    private readonly timeoutMs = METRICS_ASK_TIMEOUT_MS + 1_000,
    private readonly onIncomplete: (why: { missingWorkers: number[] } | { noReply: true }) => void = () =>
      undefined,
    /** The labels of the worker's own series (its `service`), for the gauge it adds. */
    labels: Record<string, string> = {},
  ) {
    // Apart from the worker's registry: the other workers would add their own last values to it.
    this.flagRegistry.setDefaultLabels(labels);
    this.incomplete = new Gauge({
      name: INCOMPLETE_METRICS_SERIES,
      help: "1 when this scrape lacks a worker's series (it or the cluster's primary did not answer within 2 s), else 0",
      registers: [this.flagRegistry],
    });
  }

  /** The other workers' series, as the primary gathered them, and whether some are missing. */
  othersSeries(): Promise<MetricsSnapshot[]> {
    const id = ++this.lastId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), this.timeoutMs);
      const done = (reply: Gathered | null) => {
        clearTimeout(timer);
        this.replies.delete(id);
        if (reply === null) this.onIncomplete({ noReply: true });
        else if (reply.missing.length > 0) this.onIncomplete({ missingWorkers: reply.missing });
        const complete = reply !== null && reply.missing.length === 0;
        this.incomplete.set(complete ? 0 : 1);
        void this.flagRegistry.getMetricsAsJSON().then((flag) => resolve([...(reply?.series ?? []), flag]));
      };
      this.replies.set(id, done);
      try {
        this.send({ type: 'driftline:metrics-request', id });
      } catch {
        done(null);
      }
    });
  }

  /** The primary asks for this worker's series. */
  async asked(ask: MetricsAsk): Promise<void> {
    const series = await this.ownSeries();
    this.send({ type: 'driftline:metrics-answer', id: ask.id, series });
  }

  /** The primary's reply to one of this worker's requests. */
  replied(reply: MetricsReply): void {
    this.replies.get(reply.id)?.({ series: reply.series, missing: reply.missing ?? [] });
  }
}
