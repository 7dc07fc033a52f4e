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
  ) {}

  /** Answers the request of worker `from` with the other workers' series. */
  async request(from: ClusterPeer, request: MetricsRequest): Promise<void> {
    const series = await this.gather(from.id);
    from.send({ type: 'driftline:metrics-reply', id: request.id, series });
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

  /** The series of every worker but `from`. */
  private gather(from: number): Promise<MetricsSnapshot[]> {
    const others = this.peers().filter((peer) => peer.id !== from);
    const id = ++this.lastId;
    return new Promise((resolve) => {
      const gathering: Gathering = {
        waiting: new Set(others.map((peer) => peer.id)),
        series: [],
        finish: () => {
          clearTimeout(timer);
          this.gatherings.delete(id);
          resolve(gathering.series);
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
 * reply within `timeoutMs` (the primary's own timeout and some) it serves its own series alone.
 */
export class WorkerMetricsChannel {
  private lastId = 0;
  private readonly replies = new Map<number, (series: MetricsSnapshot[]) => void>();

  constructor(
    private readonly send: (message: MetricsRequest | MetricsAnswer) => void,
    private readonly ownSeries: () => Promise<MetricsSnapshot>,
    private readonly timeoutMs = METRICS_ASK_TIMEOUT_MS + 1_000,
  ) {}

  /** The other workers' series, as the primary gathered them. */
  othersSeries(): Promise<MetricsSnapshot[]> {
    const id = ++this.lastId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done([]), this.timeoutMs);
      const done = (series: MetricsSnapshot[]) => {
        clearTimeout(timer);
        this.replies.delete(id);
        resolve(series);
      };
      this.replies.set(id, done);
      try {
        this.send({ type: 'driftline:metrics-request', id });
      } catch {
        done([]);
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
    this.replies.get(reply.id)?.(reply.series);
  }
}
