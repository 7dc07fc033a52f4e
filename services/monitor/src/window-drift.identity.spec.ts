import type { DriftMethodName } from '@driftline/contracts';
import { NUMERIC_FEATURES } from '../../../bench/monitor/prediction.generator';
import {
  benchModel,
  storedWindowSummary,
  windowFromStored,
} from '../../../bench/stats/window-evaluation.dataset';
import type { MonitoredModel } from './monitored.model';
import { evaluateWindowDrift } from './window.evaluator';
import withDefaults from './window-drift.expected.json';
import withMethods from './window-drift.methods.expected.json';

// The expected files hold evaluateWindowDrift's output (`${model seed}/${window seed}/${events}`)
// as computed before the sketch cells were read through the shared power table, the cached
// reference grid and cell columns: every double must be the same.
const METHODS: DriftMethodName[] = ['wasserstein', 'energy', 'cvm', 'mannwhitney', 'ttest', 'psi', 'ks'];

function mixedMethods(model: MonitoredModel): MonitoredModel {
  const methods = Object.fromEntries(NUMERIC_FEATURES.map((f, i) => [f, METHODS[i % METHODS.length]]));
  return { ...model, spec: { ...model.spec, methods } };
}

const cases: [string, string, (model: MonitoredModel) => MonitoredModel, unknown][] = [
  ...Object.entries(withDefaults).map(
    ([name, want]): [string, string, (m: MonitoredModel) => MonitoredModel, unknown] => [
      'default methods (ks, chisquare)',
      name,
      (m) => m,
      want,
    ],
  ),
  ...Object.entries(withMethods).map(
    ([name, want]): [string, string, (m: MonitoredModel) => MonitoredModel, unknown] => [
      'wasserstein, energy, cvm, mannwhitney, ttest, psi and ks',
      name,
      mixedMethods,
      want,
    ],
  ),
];

describe('evaluateWindowDrift on bench models (20 numeric + 5 categorical features, 1,000 reference rows)', () => {
  it.each(cases)(
    'gives the figures computed before, bit for bit, with %s, for %s',
    (_, name, setUp, want) => {
      const [modelSeed, windowSeed, events] = name.split('/').map(Number);
      const model = setUp(benchModel(modelSeed));
      const stored = storedWindowSummary(model, windowSeed, events);
      // twice: the second evaluation reads the reference cells cached by the first
      for (let i = 0; i < 2; i++) {
        const got = evaluateWindowDrift(model, windowFromStored(model, stored, events));
        expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      }
    },
  );
});
