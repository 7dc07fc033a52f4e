import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriftlineConfig } from '@driftline/config';
import { WorkerThread, type WorkerDeath } from './worker.thread';

/** A stand-in worker: answers readiness, dies when asked for metrics, stops on request. */
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', ({ id, question }) => {
  if (question === 'metrics') throw new Error('worker ' + workerData.identity.id + ' broke');
  if (question === 'readiness') parentPort.postMessage({ kind: 'answer', id, answer: { ready: true, problems: [] } });
  if (question === 'stop') parentPort.postMessage({ kind: 'answer', id, answer: null });
});
parentPort.postMessage({ kind: 'started' });
`;

describe('WorkerThread', () => {
  const entry = join(mkdtempSync(join(tmpdir(), 'worker-thread-')), 'worker.js');
  writeFileSync(entry, SCRIPT);
  const data = { identity: { id: 3, count: 4 }, config: {} as DriftlineConfig };

  it('answers questions, and reports a death it was not asked for with its error', async () => {
    const deaths: WorkerDeath[] = [];
    const died = new Promise<void>((done) => {
      const thread = new WorkerThread(entry, data, undefined, (death) => {
        deaths.push(death);
        done();
      });
      void thread.started
        .then(() => thread.ask('readiness', 5_000))
        .then((readiness) => {
          expect(readiness).toEqual({ ready: true, problems: [] });
          return thread
            .ask('metrics', 5_000)
            .catch((error: Error) => expect(error.message).toMatch(/exited/));
        });
    });
    await died;
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toMatchObject({ identity: { id: 3 }, exitCode: 1 });
    expect(deaths[0].error).toContain('worker 3 broke');
  });

  it('reports no death when stopped', async () => {
    const deaths: WorkerDeath[] = [];
    const thread = new WorkerThread(entry, data, undefined, (death) => deaths.push(death));
    await thread.started;
    await thread.stop(5_000);
    expect(deaths).toEqual([]);
  });
});
