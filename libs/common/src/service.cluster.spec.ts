import { waitFor } from '@driftline/testing';
import type { ClusterHost, ForkedWorker } from './cluster.host';
import type { MetricsAsk, MetricsReply } from './cluster.messages';
import type { Logger } from './logger';
import { runClusterPrimary } from './service.cluster';

interface FakeWorker extends ForkedWorker {
  signals: NodeJS.Signals[];
  received: (MetricsAsk | MetricsReply)[];
}

/** node:cluster and the process as the primary sees them, driven by the test. */
function fakeHost() {
  const workers: FakeWorker[] = [];
  const signalListeners = new Map<NodeJS.Signals, () => void>();
  let messageListener: ((worker: ForkedWorker, message: unknown) => void) | undefined;
  let exitListener:
    ((worker: ForkedWorker, code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  const exits: number[] = [];
  const host: ClusterHost = {
    fork: () => {
      const worker: FakeWorker = {
        id: workers.length + 1,
        pid: 1000 + workers.length,
        signals: [],
        received: [],
        send: (message) => void worker.received.push(message),
        kill: (signal) => void worker.signals.push(signal),
      };
      workers.push(worker);
      return worker;
    },
    onMessage: (listener) => (messageListener = listener),
    onExit: (listener) => (exitListener = listener),
    onSignal: (signal, listener) => void signalListeners.set(signal, listener),
    exit: (code) => void exits.push(code),
  };
  return {
    host,
    workers,
    exits,
    signal: (signal: NodeJS.Signals) => signalListeners.get(signal)?.(),
    exited: (worker: FakeWorker, code: number | null, signal: NodeJS.Signals | null) =>
      exitListener?.(worker, code, signal),
    message: (worker: FakeWorker, message: unknown) => messageListener?.(worker, message),
  };
}

function fakeLogger() {
  const lines: { level: string; context: object; message: string }[] = [];
  const at = (level: string) => (context: object, message: string) =>
    void lines.push({ level, context, message });
  const logger = { info: at('info'), error: at('error'), fatal: at('fatal') } as unknown as Logger;
  return { logger, lines };
}

describe('runClusterPrimary', () => {
  it('forks the workers and, on SIGTERM, forwards it and exits 0 once all exited by it', () => {
    const fake = fakeHost();
    runClusterPrimary('api', 2, fakeLogger().logger, fake.host);
    expect(fake.workers).toHaveLength(2);
    fake.signal('SIGTERM');
    fake.signal('SIGTERM');
    expect(fake.workers.map((w) => w.signals)).toEqual([['SIGTERM'], ['SIGTERM']]);
    fake.exited(fake.workers[0], null, 'SIGTERM');
    expect(fake.exits).toEqual([]);
    fake.exited(fake.workers[1], 0, null);
    expect(fake.exits).toEqual([0]);
  });

  it('kills the workers still running after the stop timeout and exits 1, saying which', () => {
    jest.useFakeTimers();
    try {
      const fake = fakeHost();
      const { logger, lines } = fakeLogger();
      runClusterPrimary('api', 2, logger, fake.host, 25_000);
      fake.signal('SIGTERM');
      fake.exited(fake.workers[0], 0, null);
      jest.advanceTimersByTime(24_999);
      expect(fake.workers[1].signals).toEqual(['SIGTERM']);
      jest.advanceTimersByTime(1);
      expect(fake.workers.map((w) => w.signals)).toEqual([['SIGTERM'], ['SIGTERM', 'SIGKILL']]);
      expect(lines.find((l) => l.message === 'api workers did not stop in time: killed')?.context).toEqual({
        workers: [{ worker: 2, pid: 1001 }],
        timeoutMs: 25_000,
      });
      fake.exited(fake.workers[1], null, 'SIGKILL');
      expect(fake.exits).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('forwards SIGINT as SIGINT', () => {
    const fake = fakeHost();
    runClusterPrimary('api', 2, fakeLogger().logger, fake.host);
    fake.signal('SIGINT');
    expect(fake.workers.map((w) => w.signals)).toEqual([['SIGINT'], ['SIGINT']]);
  });

  it('exits 1 when a worker fails while stopping', () => {
    const fake = fakeHost();
    const { logger, lines } = fakeLogger();
    runClusterPrimary('api', 2, logger, fake.host);
    fake.signal('SIGTERM');
    fake.exited(fake.workers[0], 1, null);
    fake.exited(fake.workers[1], null, 'SIGTERM');
    expect(fake.exits).toEqual([1]);
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('a worker exiting on its own is fatal: the others get SIGTERM, then the process exits 1', () => {
    const fake = fakeHost();
    const { logger, lines } = fakeLogger();
    runClusterPrimary('api', 3, logger, fake.host);
    fake.exited(fake.workers[1], null, 'SIGKILL');
    expect(lines.find((l) => l.level === 'fatal')?.context).toEqual({
      worker: 2,
      pid: 1001,
      code: null,
      signal: 'SIGKILL',
    });
    expect(fake.workers.map((w) => w.signals)).toEqual([['SIGTERM'], [], ['SIGTERM']]);
    // a SIGTERM now changes nothing: the workers are already stopping
    fake.signal('SIGTERM');
    fake.exited(fake.workers[0], null, 'SIGTERM');
    expect(fake.exits).toEqual([]);
    fake.exited(fake.workers[2], 0, null);
    expect(fake.exits).toEqual([1]);
  });

  it("relays a worker's metrics request to the others and replies with their answers", async () => {
    const fake = fakeHost();
    runClusterPrimary('api', 3, fakeLogger().logger, fake.host);
    const [first, second, third] = fake.workers;
    fake.message(first, { type: 'driftline:metrics-request', id: 7 });
    fake.message(first, { type: 'elsewhere:metrics-request', id: 8 });
    expect(first.received).toEqual([]);
    const asks = [second, third].map((w) => w.received[0] as MetricsAsk);
    expect(asks.map((a) => a.type)).toEqual(['driftline:metrics-ask', 'driftline:metrics-ask']);
    const series = (name: string) => [
      { name, help: '', type: 'counter' as const, values: [], aggregator: 'sum' as const },
    ];
    fake.message(second, { type: 'driftline:metrics-answer', id: asks[0].id, series: series('a') });
    fake.exited(third, null, 'SIGKILL');
    await waitFor(() => first.received.length > 0, { message: 'the reply' });
    expect(first.received).toEqual([
      { type: 'driftline:metrics-reply', id: 7, series: [series('a')], missing: [] },
    ]);
  });
});
