import { runCli, tempDir, writeCsv } from './cli.fixture';

const dir = tempDir();

async function metrics(file: string, flags: string): Promise<Record<string, number | null>> {
  const run = await runCli(['report', '--current', file, ...flags.split(' ')]);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout).performance.metrics;
}

describe('driftline report --task on worked examples', () => {
  it('regression: figures worked out by hand, the row with an empty prediction left out', async () => {
    // errors yhat - y = 0.5, 0, -1, 1 over y = 1, 2, 3, 4
    const file = writeCsv(dir, 'regression.csv', ['y,yhat', '1,1.5', '2,2', '3,2', '4,5', '9,']);
    const m = await metrics(file, '--task regression --target y --prediction yhat');
    expect(Object.keys(m)).toEqual(['mae', 'rmse', 'mape', 'r2', 'meanError', 'medianAbsoluteError']);
    expect(m.mae).toBeCloseTo(2.5 / 4, 12);
    expect(m.rmse).toBeCloseTo(0.75, 12);
    expect(m.mape).toBeCloseTo((0.5 + 0 + 1 / 3 + 1 / 4) / 4, 12);
    expect(m.r2).toBeCloseTo(1 - 2.25 / 5, 12);
    expect(m.meanError).toBeCloseTo(0.125, 12);
    expect(m.medianAbsoluteError).toBeCloseTo(0.75, 12);
  });

  it('multiclass: per-class scores a (1, 1/2), b (1/2, 1), c (1, 1) averaged by hand', async () => {
    const file = writeCsv(dir, 'multiclass.csv', ['label,predicted', 'a,a', 'a,b', 'b,b', 'c,c', ',c']);
    const m = await metrics(file, '--task multiclass --target label --prediction predicted');
    expect(Object.keys(m)).toEqual(['accuracy', 'precisionMacro', 'recallMacro', 'f1Macro', 'f1Weighted']);
    expect(m.accuracy).toBeCloseTo(0.75, 12);
    expect(m.precisionMacro).toBeCloseTo(2.5 / 3, 12);
    expect(m.recallMacro).toBeCloseTo(2.5 / 3, 12);
    expect(m.f1Macro).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3, 12);
    expect(m.f1Weighted).toBeCloseTo((2 * (2 / 3) + 2 / 3 + 1) / 4, 12);
  });

  it('binary with a positive label other than 1', async () => {
    const file = writeCsv(dir, 'binary.csv', ['y,p', 'yes,yes', 'yes,no', 'no,no', 'no,yes', 'no,no']);
    const m = await metrics(file, '--task binary --target y --prediction p --positive-label yes');
    expect(m.confusionMatrix).toEqual({ tp: 1, fp: 1, fn: 1, tn: 2 });
    expect(m.accuracy).toBeCloseTo(0.6, 12);
  });

  it('refuses a file where no row has every named column', async () => {
    const file = writeCsv(dir, 'holes.csv', ['y,p', '1,', ',0']);
    const run = await runCli([
      'report',
      '--current',
      file,
      ...'--task binary --target y --prediction p'.split(' '),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`driftline: no row of ${file} has a value in every one of "y", "p"\n`);
  });
});
