import { binaryMetrics } from './binary.metrics';
import { multiclassMetrics } from './multiclass.metrics';
import { performanceReport } from './performance.report';
import { regressionMetrics } from './regression.metrics';
import { StatsInputError } from '../drift/stats-input.error';
import { readOracleCsv, readOracleExpected, statisticAgrees } from '../report/oracle.fixture';
import type { BinaryMetrics, PerformanceReport } from '../types';

describe('binary metrics on the oracle case perf-binary', () => {
  const current = readOracleCsv('perf-binary', 'current.csv');
  const expected = readOracleExpected<PerformanceReport>('perf-binary').metrics as BinaryMetrics;
  const keys = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'brier'] as const;

  it.each([
    [
      'prediction and score',
      { target: current.target, prediction: current.prediction, score: current.score },
    ],
    ['score only, threshold 0.5', { target: current.target, score: current.score }],
  ])('agrees with scikit-learn from %s', (_label, input) => {
    const report = performanceReport('binary', input);
    expect(report.task).toBe('binary');
    const metrics = report.metrics as BinaryMetrics;
    for (const key of keys)
      expect({ key, ok: statisticAgrees(metrics[key], expected[key]) }).toEqual({ key, ok: true });
    expect(metrics.confusionMatrix).toEqual(expected.confusionMatrix);
  });
});

describe('binary metrics on published examples', () => {
  it('rocAuc of scores [0.1, 0.4, 0.35, 0.8] for [0, 0, 1, 1] is 0.75 (scikit-learn docs)', () => {
    expect(binaryMetrics(['0', '0', '1', '1'], { score: [0.1, 0.4, 0.35, 0.8] }).rocAuc).toBeCloseTo(
      0.75,
      15,
    );
  });

  it('rocAuc counts a tied positive/negative pair as 1/2', () => {
    expect(binaryMetrics(['0', '1', '1'], { score: [0.5, 0.5, 0.9] }).rocAuc).toBeCloseTo(0.75, 15);
  });

  it('logLoss of the scikit-learn docs example is 0.21616', () => {
    const got = binaryMetrics(['spam', 'ham', 'ham', 'spam'], {
      score: [0.9, 0.1, 0.2, 0.65],
      positiveLabel: 'spam',
    });
    expect(got.logLoss).toBeCloseTo(0.21616187468057912, 12);
  });

  it('clips scores of 0 and 1 to 1e-15 in the log loss', () => {
    expect(binaryMetrics(['1'], { score: [0] }).logLoss).toBeCloseTo(-Math.log(1e-15), 9);
  });

  it('brier of [0.1, 0.9, 0.8, 0.3] for [0, 1, 1, 0] is 0.0375 (scikit-learn docs)', () => {
    expect(binaryMetrics(['0', '1', '1', '0'], { score: [0.1, 0.9, 0.8, 0.3] }).brier).toBeCloseTo(
      0.0375,
      15,
    );
  });

  it('gives precision, recall and f1 of 0 where undefined, and rocAuc null with one class', () => {
    const got = binaryMetrics(['0', '0'], { prediction: ['0', '0'], score: [0.2, 0.1] });
    expect([got.precision, got.recall, got.f1, got.accuracy, got.rocAuc]).toEqual([0, 0, 0, 1, null]);
    expect(binaryMetrics(['1'], { prediction: ['1'] })).toMatchObject({
      rocAuc: null,
      logLoss: null,
      brier: null,
    });
  });

  it('refuses rows without prediction and score, and mismatched lengths', () => {
    expect(() => binaryMetrics(['1'], {})).toThrow(StatsInputError);
    expect(() => binaryMetrics(['1', '0'], { prediction: ['1'] })).toThrow(/2 rows but prediction has 1/);
  });
});

describe('multiclass metrics', () => {
  it('matches the scikit-learn precision_recall_fscore_support docs example', () => {
    const target = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'];
    const prediction = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'];
    const got = multiclassMetrics(target, prediction);
    expect(got.accuracy).toBeCloseTo(1 / 3, 15);
    expect(got.precisionMacro).toBeCloseTo(0.2222222222222222, 15);
    expect(got.recallMacro).toBeCloseTo(0.3333333333333333, 15);
    expect(got.f1Macro).toBeCloseTo(0.26666666666666666, 15);
    expect(got.f1Weighted).toBeCloseTo(0.26666666666666666, 15);
  });

  it('counts a class seen only in the predictions, with recall and f1 0', () => {
    // Classes a (P 1, R 1/2, F 2/3), b (1, 1, 1) and c, only predicted (0, 0, 0).
    const withExtra = multiclassMetrics(['a', 'a', 'b', 'b'], ['a', 'c', 'b', 'b']);
    expect(withExtra.precisionMacro).toBeCloseTo((1 + 1 + 0) / 3, 15);
    expect(withExtra.recallMacro).toBeCloseTo((0.5 + 1 + 0) / 3, 15);
    expect(withExtra.f1Macro).toBeCloseTo((2 / 3 + 1 + 0) / 3, 15);
    expect(withExtra.f1Weighted).toBeCloseTo((2 * (2 / 3) + 2 * 1) / 4, 15);
  });
});

describe('regression metrics', () => {
  it('matches the scikit-learn docs example y = [3, -0.5, 2, 7], ŷ = [2.5, 0, 2, 8]', () => {
    const got = regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(got.mae).toBeCloseTo(0.5, 15);
    expect(got.rmse).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(got.r2).toBeCloseTo(0.9486081370449679, 14);
    expect(got.mape).toBeCloseTo(0.3273809523809524, 14);
    expect(got.medianAbsoluteError).toBeCloseTo(0.5, 15);
    expect(got.meanError).toBeCloseTo(0.25, 15);
  });

  it('leaves rows with y = 0 out of mape, and gives null when every y is 0', () => {
    expect(regressionMetrics([0, 2], [1, 3]).mape).toBeCloseTo(0.5, 15);
    expect(regressionMetrics([0, 0], [1, 3]).mape).toBeNull();
  });

  it('gives r2 = 1 for a perfect fit of a constant target and 0 otherwise', () => {
    expect(regressionMetrics([2, 2], [2, 2]).r2).toBe(1);
    expect(regressionMetrics([2, 2], [2, 3]).r2).toBe(0);
  });
});

describe('performanceReport', () => {
  it('leaves out rows whose target or prediction is missing', () => {
    const report = performanceReport('regression', {
      target: ['3', '', '2', null],
      prediction: ['2.5', '1', '', '4'],
    });
    expect(report.metrics).toMatchObject({ mae: 0.5 });
  });

  it('refuses a multiclass or regression report without predictions, and non-numeric regression values', () => {
    expect(() => performanceReport('multiclass', { target: ['a'] })).toThrow(StatsInputError);
    expect(() => performanceReport('regression', { target: ['a'], prediction: ['1'] })).toThrow(
      /not a finite number/,
    );
  });
});
