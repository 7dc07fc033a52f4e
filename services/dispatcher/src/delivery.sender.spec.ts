import { verifyWebhook } from '@driftline/contracts';
import type {
  AttemptResult,
  ClaimedDelivery,
  PipelineRecord,
  RetrainDeliveryRepository,
} from '@driftline/db';
import { strictMock } from '../../../test/utils/strict-mock';
import { createLogger, ServiceMetrics } from '@driftline/common';
import type { SendOutcome } from './delivery.rules';
import { DeliverySender } from './delivery.sender';
import type { WebhookClient } from './webhook.client';

const T0 = Date.UTC(2024, 4, 1, 12);
const SECRET = 'secret-secret-secret';
const TIMEOUT_MS = 5_000;

interface Row extends ClaimedDelivery {
  status: 'pending' | 'delivered' | 'failed';
  dueAt: number;
  results: AttemptResult[];
}

/** The delivery table as claimDue and completeAttempt treat it: due rows, leases, the latest attempt wins. */
function memoryDeliveries(rows: Row[], afterClaim: () => void) {
  return strictMock<Pick<RetrainDeliveryRepository, 'claimDue' | 'completeAttempt'>>({
    claimDue: async (now, leaseUntil, limit) => {
      const claimed = rows
        .filter((r) => r.status === 'pending' && r.dueAt <= now.getTime())
        .slice(0, limit)
        .map((r) => {
          r.attempt += 1;
          r.dueAt = leaseUntil.getTime();
          return { ...r };
        });
      if (claimed.length > 0) afterClaim();
      return claimed;
    },
    completeAttempt: async (result) => {
      const row = rows.find((r) => r.id === result.deliveryId)!;
      row.results.push(result);
      if (row.attempt !== result.attempt || row.status !== 'pending') return false;
      row.status = result.outcome === 'retry' ? 'pending' : result.outcome;
      row.dueAt = result.nextAttemptAt?.getTime() ?? Infinity;
      return true;
    },
  });
}

function row(overrides: Partial<Row> = {}): Row {
  return {
    id: '1',
    triggerId: 'trigger-1',
    pipelineId: 'airflow',
    modelId: 'bikes',
    body: '{"triggerId":"trigger-1"}',
    attempt: 0,
    deadlineAt: new Date(T0 + 3_600_000),
    status: 'pending',
    dueAt: T0,
    results: [],
    ...overrides,
  };
}

const airflow: PipelineRecord = {
  id: 'airflow',
  url: 'http://127.0.0.1:9/hook',
  secret: SECRET,
  matchers: [],
  cooldownMs: 0,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

function setUp(
  rows: Row[],
  answers: SendOutcome[],
  pipelines: PipelineRecord[] = [airflow],
  afterClaim: () => void = () => undefined,
) {
  const clock = { ms: T0, now: () => clock.ms };
  const sent: Sent[] = [];
  const client: WebhookClient = {
    post: async (url, headers, body, timeoutMs) => {
      expect(timeoutMs).toBe(TIMEOUT_MS);
      sent.push({ url, headers, body, at: clock.ms });
      clock.ms += 20;
      return answers.shift() ?? { kind: 'response', status: 200, retryAfter: null, body: '' };
    },
  };
  const metrics = new ServiceMetrics('sender-test');
  const sender = new DeliverySender(
    memoryDeliveries(rows, afterClaim),
    strictMock({ find: async (id: string) => pipelines.find((p) => p.id === id) ?? null }),
    client,
    clock,
    { sendTimeoutMs: TIMEOUT_MS, retryBackoff: { baseMs: 1000, maxMs: 60_000 } },
    metrics,
    createLogger('sender-test', 'silent'),
    () => 0.5,
  );
  const count = async (status: string) =>
    (await metrics.retrainDeliveries.get()).values.find((v) => v.labels.status === status)?.value ?? 0;
  return { clock, sent, sender, count };
}

const status = (code: number, retryAfter: string | null = null): SendOutcome => ({
  kind: 'response',
  status: code,
  retryAfter,
  body: code >= 300 ? 'oops' : '',
});

describe('DeliverySender', () => {
  it('POSTs the stored body, signed, with the trigger id as Idempotency-Key', async () => {
    const rows = [row()];
    const { sent, sender, count } = setUp(rows, [status(202)]);
    expect(await sender.sendDue()).toBe(1);

    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request.url).toBe(airflow.url);
    expect(request.body).toBe(rows[0].body);
    expect(request.headers['Content-Type']).toBe('application/json');
    expect(request.headers['Idempotency-Key']).toBe('trigger-1');
    const signature = request.headers['X-Driftline-Signature'];
    expect(signature).toMatch(new RegExp(`^t=${T0 / 1000},v1=[0-9a-f]{64}$`));
    expect(verifyWebhook(SECRET, request.body, signature, T0 / 1000)).toEqual({ ok: true });
    expect(verifyWebhook('another-secret-value', request.body, signature, T0 / 1000).ok).toBe(false);

    expect(rows[0]).toMatchObject({ status: 'delivered', attempt: 1 });
    expect(rows[0].results[0]).toMatchObject({
      attempt: 1,
      httpStatus: 202,
      outcome: 'delivered',
      error: null,
    });
    expect(await count('delivered')).toBe(1);
  });

  it('retries a 500 after the backoff and delivers on the next attempt, both in the log', async () => {
    const rows = [row()];
    const { clock, sent, sender, count } = setUp(rows, [status(500), status(200)]);
    await sender.sendDue();
    expect(rows[0]).toMatchObject({ status: 'pending', dueAt: T0 + 20 + 500 });
    expect(rows[0].results[0]).toMatchObject({ httpStatus: 500, outcome: 'retry', error: 'oops' });

    // not due yet: nothing is sent
    clock.ms = T0 + 500;
    expect(await sender.sendDue()).toBe(0);
    clock.ms = T0 + 520;
    expect(await sender.sendDue()).toBe(1);
    expect(sent.map((s) => s.headers['Idempotency-Key'])).toEqual(['trigger-1', 'trigger-1']);
    // signed again at the time of the retry
    expect(sent[1].headers['X-Driftline-Signature']).toMatch(/^t=1714564800,/);
    expect(rows[0].results.map((r) => [r.attempt, r.httpStatus, r.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 200, 'delivered'],
    ]);
    expect(await count('delivered')).toBe(1);
  });

  it('honours Retry-After on a 429', async () => {
    const rows = [row()];
    const { sender } = setUp(rows, [status(429, '30')]);
    await sender.sendDue();
    expect(rows[0].dueAt).toBe(T0 + 20 + 30_000);
  });

  it('fails at once on a 4xx other than 408 and 429, and counts it', async () => {
    const rows = [row()];
    const { sender, count } = setUp(rows, [status(403)]);
    await sender.sendDue();
    expect(rows[0].status).toBe('failed');
    expect(rows[0].results[0]).toMatchObject({ outcome: 'failed', reason: 'HTTP 403: oops (not retried)' });
    expect(await count('failed')).toBe(1);
  });

  it('gives up at the deadline', async () => {
    const rows = [row({ deadlineAt: new Date(T0 + 2_000) })];
    const { clock, sender, count } = setUp(rows, [
      { kind: 'error', message: 'no answer within the send timeout' },
      status(503),
    ]);
    await sender.sendDue();
    // the backoff would land past the deadline: the last attempt is at the deadline
    expect(rows[0].dueAt).toBe(T0 + 20 + 500);
    clock.ms = T0 + 2_000;
    await sender.sendDue();
    expect(rows[0].status).toBe('failed');
    expect(rows[0].results.at(-1)?.reason).toBe('deadline passed after 2 attempts; last: HTTP 503: oops');
    expect(await count('failed')).toBe(1);
  });

  it('fails a delivery whose pipeline was deleted, without sending', async () => {
    const rows = [row({ pipelineId: 'gone' })];
    const { sent, sender } = setUp(rows, []);
    await sender.sendDue();
    expect(sent).toEqual([]);
    expect(rows[0]).toMatchObject({ status: 'failed' });
    expect(rows[0].results[0].reason).toBe('the pipeline was deleted before delivery');
  });

  it('neither marks nor counts an attempt that another took over when its lease ran out', async () => {
    const rows = [row()];
    // another sender claims attempt 2 while this one waits for the answer to attempt 1
    const { sender, count } = setUp(rows, [status(200)], [airflow], () => (rows[0].attempt += 1));
    await sender.sendDue();
    expect(rows[0]).toMatchObject({ status: 'pending', attempt: 2 });
    expect(rows[0].results).toMatchObject([{ attempt: 1, outcome: 'delivered' }]);
    expect(await count('delivered')).toBe(0);
  });
});
