import type { ClusterMessage, MetricsAnswer, MetricsAsk, MetricsReply } from './cluster.messages';
import { isClusterMessage } from './cluster.messages';
import { ClusterMetricsGathering, WorkerMetricsChannel, type ClusterPeer } from './cluster.metrics';
import { ServiceMetrics } from './service.metrics';

/**
 * A primary and its workers wired in memory as node:cluster's IPC would: each message is delivered
 * on a later turn, as JSON, and a worker may be made deaf (it never answers asks).
 */
function fakeCluster(count: number, timeoutMs = 2_000) {
  const peers: ClusterPeer[] = [];
  const missing: number[][] = [];
  const gathering = new ClusterMetricsGathering(
    () => peers,
    timeoutMs,
    (workers) => missing.push(workers),
  );
  const deaf = new Set<number>();
  const answered = new Map<number, () => void>();
  /** Resolves once the primary has taken worker `id`'s next answer. */
  const answerOf = (id: number) => new Promise<void>((done) => answered.set(id, done));
  const workers = Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    const metrics = new ServiceMetrics('api', { defaultMetrics: false });
    const toPrimary = (message: ClusterMessage) =>
      setImmediate(() => {
        const copy: unknown = JSON.parse(JSON.stringify(message));
        if (!isClusterMessage(copy)) return;
        if (copy.type === 'driftline:metrics-request') void gathering.request(peers[i], copy);
        if (copy.type === 'driftline:metrics-answer') {
          gathering.answered(id, copy);
          answered.get(id)?.();
        }
      });
    const channel = new WorkerMetricsChannel(
      toPrimary,
      () => metrics.registry.getMetricsAsJSON(),
      timeoutMs + 1_000,
    );
    metrics.addSource(() => channel.othersSeries());
    peers.push({
      id,
      send: (message: MetricsAsk | MetricsReply) =>
        setImmediate(() => {
          if (message.type === 'driftline:metrics-reply') channel.replied(message);
          else if (!deaf.has(id)) void channel.asked(message);
        }),
    });
    return { id, metrics };
  });
  return { gathering, peers, workers, deaf, answerOf, missing };
}

const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};
const served = (metrics: ServiceMetrics, status: string, count: number) => {
  for (let i = 0; i < count; i++)
    metrics.httpRequests.inc({ method: 'POST', route: '/v1/predictions', status });
};
const REQUESTS_202 = 'driftline_http_requests_total{method="POST",route="/v1/predictions",status="202"';
const INCOMPLETE = 'driftline_metrics_incomplete ';

describe('/metrics of a cluster worker', () => {
  afterEach(() => jest.useRealTimers());

  it('sums the series of every worker, whichever worker is scraped', async () => {
    const { workers } = fakeCluster(3);
    served(workers[0].metrics, '202', 4);
    served(workers[1].metrics, '202', 5);
    served(workers[2].metrics, '400', 1);
    for (const { metrics } of workers) {
      const text = await metrics.exposition();
      expect(value(text, REQUESTS_202)).toBe(9);
      expect(value(text, INCOMPLETE)).toBe(0);
      expect(
        value(text, 'driftline_http_requests_total{method="POST",route="/v1/predictions",status="400"'),
      ).toBe(1);
    }
  });

  it('leaves out a worker that does not answer within the timeout, and drops its late answer', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const { workers, deaf, gathering, answerOf, missing } = fakeCluster(3, 2_000);
    served(workers[0].metrics, '202', 1);
    served(workers[1].metrics, '202', 2);
    served(workers[2].metrics, '202', 4);
    deaf.add(3);
    const second = answerOf(2);
    const scrape = workers[0].metrics.exposition();
    // worker 2 answered; worker 3 is still awaited until the timeout
    await second;
    jest.advanceTimersByTime(2_000);
    const text = await scrape;
    expect(value(text, REQUESTS_202)).toBe(3);
    // the scrape says it is incomplete, and the primary was told which worker it went without
    expect(value(text, INCOMPLETE)).toBe(1);
    expect(missing).toEqual([[3]]);
    const late: MetricsAnswer = { type: 'driftline:metrics-answer', id: 1, series: [] };
    expect(() => gathering.answered(3, late)).not.toThrow();
  });

  it('does not wait for a worker that exited', async () => {
    const { workers, peers, gathering } = fakeCluster(2);
    served(workers[0].metrics, '202', 1);
    served(workers[1].metrics, '202', 2);
    const gone = peers.pop()!;
    gathering.left(gone.id);
    expect(value(await workers[0].metrics.exposition(), REQUESTS_202)).toBe(1);
  });

  it('a worker whose channel is closed serves its own series', async () => {
    const metrics = new ServiceMetrics('api', { defaultMetrics: false });
    served(metrics, '202', 2);
    const channel = new WorkerMetricsChannel(
      () => {
        throw new Error('channel closed');
      },
      () => metrics.registry.getMetricsAsJSON(),
    );
    metrics.addSource(() => channel.othersSeries());
    const text = await metrics.exposition();
    expect(value(text, REQUESTS_202)).toBe(2);
    expect(value(text, INCOMPLETE)).toBe(1);
  });

  it('ignores messages without the driftline: prefix', () => {
    expect(isClusterMessage({ type: 'driftline:metrics-ask', id: 1 })).toBe(true);
    expect(isClusterMessage({ type: 'other:metrics-ask', id: 1 })).toBe(false);
    expect(isClusterMessage({ cmd: 'NODE_CLUSTER', id: 1 })).toBe(false);
    expect(isClusterMessage('driftline:metrics-ask')).toBe(false);
    expect(isClusterMessage(null)).toBe(false);
  });
});
