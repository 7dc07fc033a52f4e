/**
 * µs of CPU to evaluate one closed window's drift, as the pending-window evaluator does it: parse
 * the stored summary JSON, ModelPane fromJSON, evaluateWindowDrift. The model is a bench model
 * (reference of 1,000 rows, 20 numeric + 5 categorical features, default methods: ks on the
 * numeric ones); windows of ~24,000 events (a model's window at 20,000 events/s over 100 models)
 * and of 1,000. Run: `npm run bench:evaluation`.
 */
import { createHash } from 'node:crypto';
import { evaluateWindowDrift } from '../../services/monitor/src/window.evaluator';
import { benchModel, storedWindowSummary, windowFromStored } from './window-evaluation.dataset';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const ITERATIONS = Number(process.env.ITERATIONS ?? 40);

function main(): void {
  const model = benchModel(11);
  for (const events of [24_000, 1_000]) {
    const stored = storedWindowSummary(model, 11, events);
    const digest = createHash('sha256')
      .update(JSON.stringify(evaluateWindowDrift(model, windowFromStored(model, stored, events))))
      .digest('hex')
      .slice(0, 16);
    for (let i = 0; i < 20; i++) evaluateWindowDrift(model, windowFromStored(model, stored, events));
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = process.cpuUsage();
      for (let i = 0; i < ITERATIONS; i++)
        evaluateWindowDrift(model, windowFromStored(model, stored, events));
      const used = process.cpuUsage(started);
      rounds.push((used.user + used.system) / ITERATIONS);
    }
    rounds.sort((a, b) => a - b);
    console.log(
      `window of ${events} events (${(stored.length / 1024).toFixed(0)} KiB stored): median ` +
        `${rounds[(rounds.length - 1) >> 1].toFixed(0)} µs CPU a window (min ${rounds[0].toFixed(0)}, ` +
        `${ROUNDS} rounds of ${ITERATIONS}), result sha256 ${digest}`,
    );
  }
}

main();
