import {
  benchModel,
  storedWindowSummary,
  windowFromStored,
} from '../../../bench/stats/window-evaluation.dataset';
import { evaluateWindowDrift } from './window.evaluator';
import expected from './window-drift.expected.json';

// window-drift.expected.json holds evaluateWindowDrift's output as computed before the sketch
// cells were read through the shared power table and the cached reference grid: the same doubles.
describe('evaluateWindowDrift on bench models (20 numeric + 5 categorical features, 1,000 reference rows)', () => {
  it.each(Object.keys(expected))('gives the figures computed before, bit for bit, for %s', (name) => {
    const [modelSeed, windowSeed, events] = name.split('/').map(Number);
    const model = benchModel(modelSeed);
    const stored = storedWindowSummary(model, windowSeed, events);
    const want = JSON.stringify(expected[name as keyof typeof expected]);
    // twice: the second evaluation reads the reference cells cached by the first
    expect(JSON.stringify(evaluateWindowDrift(model, windowFromStored(model, stored, events)))).toBe(want);
    expect(JSON.stringify(evaluateWindowDrift(model, windowFromStored(model, stored, events)))).toBe(want);
  });
});
