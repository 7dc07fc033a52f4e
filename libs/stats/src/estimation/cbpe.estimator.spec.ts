import { Random } from '../random';
import { Cbpe } from './cbpe.estimator';
import { ExpectedConfusion } from './expected-confusion.accumulator';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * A model whose score is sigmoid(1.5 x) while the truth is P(y = 1 | x) = sigmoid(3 x): monotone
 * in the truth but under-confident, so CBPE must calibrate. x ~ N(0, sd); shrinking sd moves the
 * population into the low-confidence region around x = 0 without changing P(y | x).
 */
function population(rng: Random, n: number, sd: number): { scores: number[]; labels: (0 | 1)[] } {
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.normal(0, sd);
    scores.push(sigmoid(1.5 * x));
    labels.push(rng.bernoulli(sigmoid(3 * x)) ? 1 : 0);
  }
  return { scores, labels };
}

function realised(
  scores: number[],
  labels: number[],
): { accuracy: number; precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  scores.forEach((s, i) => {
    const predicted = s >= 0.5;
    if (predicted && labels[i] === 1) tp++;
    else if (predicted) fp++;
    else if (labels[i] === 1) fn++;
    else tn++;
  });
  return {
    accuracy: (tp + tn) / scores.length,
    precision: tp / (tp + fp),
    recall: tp / (tp + fn),
    f1: (2 * tp) / (2 * tp + fp + fn),
  };
}

describe('ExpectedConfusion', () => {
  it('sums the expected confusion matrix by hand', () => {
    const sums = new ExpectedConfusion().update(0.9, true).update(0.2, false).update(0.6, true);
    const m = sums.value();
    expect(m.confusionMatrix.tp).toBeCloseTo(1.5, 15);
    expect(m.confusionMatrix.fp).toBeCloseTo(0.5, 15);
    expect(m.confusionMatrix.fn).toBeCloseTo(0.2, 15);
    expect(m.confusionMatrix.tn).toBeCloseTo(0.8, 15);
    expect(m.accuracy).toBeCloseTo(2.3 / 3, 15);
    expect(m.precision).toBeCloseTo(0.75, 15);
    expect(m.recall).toBeCloseTo(1.5 / 1.7, 15);
    expect(m.f1).toBeCloseTo(3 / 3.7, 15);
  });

  it('merges panes into the sums of the whole, and round-trips through JSON', () => {
    const rng = new Random(4);
    const rows = rng.sample(300, (r) => r.uniform()).map((p, i) => [p, i % 3 === 0] as const);
    const whole = new ExpectedConfusion();
    const panes = [new ExpectedConfusion(), new ExpectedConfusion(), new ExpectedConfusion()];
    rows.forEach(([p, positive], i) => {
      whole.update(p, positive);
      panes[Math.floor(i / 100)].update(p, positive);
    });
    const merged = ExpectedConfusion.fromJSON(JSON.parse(JSON.stringify(panes[0])))
      .merge(panes[1])
      .merge(panes[2]);
    const a = merged.value();
    const b = whole.value();
    expect(a.count).toBe(300);
    for (const k of ['accuracy', 'precision', 'recall', 'f1'] as const) expect(a[k]).toBeCloseTo(b[k], 12);
  });

  it('gives 0 where a ratio is undefined', () => {
    expect(new ExpectedConfusion().value()).toMatchObject({
      count: 0,
      accuracy: 0,
      precision: 0,
      recall: 0,
      f1: 0,
    });
    expect(new ExpectedConfusion().update(0, false).value()).toMatchObject({
      accuracy: 1,
      precision: 0,
      recall: 0,
    });
    expect(() => new ExpectedConfusion().update(1.2, true)).toThrow(RangeError);
  });
});

describe('Cbpe', () => {
  const rng = new Random(2026);
  const reference = population(rng, 50_000, 1);
  const cbpe = Cbpe.fit(reference.scores, reference.labels);
  // production: 10 windows of 5,000, the spread of x shrinking from 1 to 0.1
  const spreads = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
  const windows = spreads.map((sd) => population(rng, 5_000, sd));

  it('calibrates the under-confident score to the true probability', () => {
    // score 0.5 + d corresponds to x = logit(s) / 1.5 and truth sigmoid(2 logit(s))
    for (const s of [0.3, 0.45, 0.55, 0.7]) {
      const truth = sigmoid(2 * Math.log(s / (1 - s)));
      expect(Math.abs(cbpe.probability(s) - truth)).toBeLessThan(0.03);
    }
  });

  it('follows the realised accuracy, precision, recall and f1 within 0.03 on windows of 5,000', () => {
    const rows = windows.map((w) => ({
      estimated: cbpe.estimate(w.scores),
      realised: realised(w.scores, w.labels),
    }));
    for (const { estimated, realised: actual } of rows) {
      for (const k of ['accuracy', 'precision', 'recall', 'f1'] as const) {
        expect(Math.abs(estimated[k] - actual[k])).toBeLessThanOrEqual(0.03);
      }
    }
    // the realised accuracy really falls: about 0.80 at sd 1, under 0.6 at sd 0.1
    expect(rows[0].realised.accuracy).toBeGreaterThan(0.78);
    expect(rows[9].realised.accuracy).toBeLessThan(0.6);
  });

  it('without calibration the raw scores would misjudge accuracy by more than 0.1', () => {
    const raw = new ExpectedConfusion();
    windows[0].scores.forEach((s) => raw.update(s, s >= 0.5));
    const actual = realised(windows[0].scores, windows[0].labels).accuracy;
    expect(Math.abs(raw.value().accuracy - actual)).toBeGreaterThan(0.1);
  });

  it('detects the drop against the band of the reference chunks (mean ± 3 sd of 10 chunks of 5,000)', () => {
    const chunks = Array.from({ length: 10 }, (_, k) =>
      cbpe.estimate(reference.scores.slice(k * 5_000, (k + 1) * 5_000)),
    );
    const accs = chunks.map((c) => c.accuracy);
    const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
    const sd = Math.sqrt(accs.reduce((a, x) => a + (x - mean) ** 2, 0) / (accs.length - 1));
    const lower = mean - 3 * sd;
    const alerts = windows.map((w) => cbpe.estimate(w.scores).accuracy < lower);
    expect(alerts[0]).toBe(false);
    expect(alerts.slice(-5)).toEqual([true, true, true, true, true]);
  });

  it('estimates the same from merged panes as from the whole window, and from its JSON', () => {
    const copy = Cbpe.fromJSON(JSON.parse(JSON.stringify(cbpe)));
    const scores = windows[5].scores;
    const panes = [0, 1, 2, 3, 4].map((p) => {
      const sums = new ExpectedConfusion();
      scores.slice(p * 1_000, (p + 1) * 1_000).forEach((s) => copy.update(sums, s));
      return sums;
    });
    const merged = panes.reduce((a, b) => a.merge(b), new ExpectedConfusion()).value();
    expect(merged.accuracy).toBeCloseTo(cbpe.estimate(scores).accuracy, 12);
    expect(merged.count).toBe(5_000);
  });
});
