jest.setTimeout(120_000);

import { openDatabase, type Database } from '@driftline/db';
import { createIsolatedDatabase, type IsolatedDatabase } from '@driftline/testing';
import { Client } from 'pg';

const DAY = 86_400_000;
const D1 = Date.UTC(2026, 4, 1);

describe('prediction log, pending ground truth and performance panes on Postgres', () => {
  let isolated: IsolatedDatabase;
  let db: Database;

  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    db = await openDatabase({ url: isolated.url, poolSize: 4, applicationName: 'repositories-test' });
  });

  afterAll(async () => {
    await db.close();
    await isolated.drop();
  });

  const logged = (id: string, time: number) => ({
    modelId: 'm',
    predictionId: id,
    eventTime: new Date(time),
    prediction: '1' as string | number,
    score: 0.8,
    scores: null,
  });

  it('logs predictions into day partitions and labels each once', async () => {
    await db.predictionLog.ensurePartitions([new Date(D1 + 1_000), new Date(D1 + DAY + 5)]);
    await db.transaction(async (tx) => {
      await tx.predictionLog.append([logged('a', D1 + 1_000), logged('b', D1 + DAY + 5)]);
      await tx.predictionLog.append([logged('a', D1 + 1_000)]);
    });
    const first = await db.predictionLog.label([
      { modelId: 'm', predictionId: 'a', label: '1' },
      { modelId: 'm', predictionId: 'b', label: 0 },
      { modelId: 'm', predictionId: 'nowhere', label: '1' },
    ]);
    expect(first.labelled.map((l) => [l.predictionId, l.label, l.eventTime.getTime()])).toEqual([
      ['a', '1', D1 + 1_000],
      ['b', 0, D1 + DAY + 5],
    ]);
    expect(first.unmatched).toEqual([{ modelId: 'm', predictionId: 'nowhere', label: '1' }]);
    // a second label for the same prediction is neither applied again nor unmatched
    const again = await db.predictionLog.label([{ modelId: 'm', predictionId: 'a', label: '0' }]);
    expect(again).toEqual({ labelled: [], unmatched: [] });
  });

  it("drops whole day partitions before a time, and deletes a model's rows before its horizon", async () => {
    const dropped = await db.predictionLog.dropPartitionsBefore(new Date(D1 + DAY));
    expect(dropped).toEqual(['prediction_log_20260501']);
    const client = new Client({ connectionString: isolated.url });
    await client.connect();
    const { rows } = await client.query(`SELECT prediction_id FROM prediction_log ORDER BY prediction_id`);
    await client.end();
    expect(rows).toEqual([{ prediction_id: 'b' }]);
    expect(await db.predictionLog.deleteBefore('m', new Date(D1 + 2 * DAY))).toBe(1);
    // the dropped day can be written again: its partition is created anew
    await db.predictionLog.ensurePartitions([new Date(D1 + 7)]);
    await db.predictionLog.append([logged('c', D1 + 7)]);
  });

  it('holds labels up to a bound per model, hands them over once and expires them', async () => {
    const at = (s: number) => new Date(D1 + s * 1_000);
    const pending = (id: string, received: number, expires = D1 + DAY) => ({
      modelId: 'm',
      predictionId: id,
      label: 1 as string | number,
      receivedAt: at(received),
      expiresAt: new Date(expires),
    });
    expect(
      await db.pendingLabels.hold([pending('p1', 1), pending('p2', 2), pending('p3', 3, D1 + 10)], 2),
    ).toBe(1);
    expect((await db.pendingLabels.take('m', ['p1', 'p2', 'p3'])).map((p) => p.predictionId)).toEqual([
      'p2',
      'p3',
    ]);
    expect(await db.pendingLabels.take('m', ['p2'])).toEqual([]);
    await db.pendingLabels.hold([pending('p4', 4, D1 + 10), pending('p5', 5)], 10);
    expect(await db.pendingLabels.expire(new Date(D1 + 10))).toBe(1);
    expect((await db.pendingLabels.take('m', ['p4', 'p5'])).map((p) => p.predictionId)).toEqual(['p5']);
  });

  it('keeps performance panes by model and start', async () => {
    await db.performancePanes.save([
      { modelId: 'm', paneStart: new Date(D1), labelled: 2, summary: { kind: 'binary' } },
      { modelId: 'm', paneStart: new Date(D1 + 300_000), labelled: 1, summary: { kind: 'binary' } },
    ]);
    await db.performancePanes.save([
      { modelId: 'm', paneStart: new Date(D1), labelled: 3, summary: { n: 3 } },
    ]);
    const panes = await db.performancePanes.range('m', new Date(D1), new Date(D1 + 300_000));
    expect(panes).toEqual([{ modelId: 'm', paneStart: new Date(D1), labelled: 3, summary: { n: 3 } }]);
    expect(await db.performancePanes.deleteBefore('m', new Date(D1 + 300_000))).toBe(1);
  });

  it('serialises transactions that lock the same model', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db.transaction(async (tx) => {
      await tx.modelLocks.lock(['m', 'a']);
      order.push('first locked');
      await held;
      order.push('first done');
    });
    await new Promise((r) => setTimeout(r, 200));
    const second = db.transaction(async (tx) => {
      await tx.modelLocks.lock(['m']);
      order.push('second locked');
    });
    await new Promise((r) => setTimeout(r, 300));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });

  it('reads model definitions with their newest reference, leaving out profiles the caller holds', async () => {
    await db.models.register('monitored', null, { modelId: 'monitored', window: { size: '1h', step: '5m' } });
    await db.models.ensure(['seen-only']);
    await db.references.save('monitored', 'old', 1, { rows: 1 });
    await new Promise((r) => setTimeout(r, 5));
    const newest = await db.references.save('monitored', 'new', 2, { rows: 2 });
    const records = await db.modelDefinitions.find(['monitored', 'seen-only', 'absent']);
    expect(records).toEqual([
      {
        modelId: 'monitored',
        settings: { modelId: 'monitored', window: { size: '1h', step: '5m' } },
        reference: { id: newest, profile: { rows: 2 } },
      },
      { modelId: 'seen-only', settings: {}, reference: null },
    ]);
    const [again] = await db.modelDefinitions.find(['monitored'], [newest]);
    expect(again.reference).toEqual({ id: newest, profile: null });
  });
});
