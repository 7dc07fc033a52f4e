import { DEFAULT_BINS, parseReportOptions, REPORT_USAGE } from './report.options';

describe('parseReportOptions', () => {
  it('fills the documented defaults', () => {
    expect(parseReportOptions(['--reference', 'r.csv', '--current', 'c.csv'])).toEqual({
      current: 'c.csv',
      drift: {
        reference: 'r.csv',
        method: undefined,
        numeric: [],
        categorical: [],
        bins: 10,
        correction: 'none',
        driftShare: 0.5,
      },
      performance: undefined,
      format: 'json',
      output: undefined,
    });
    expect(REPORT_USAGE).toContain(`(default ${DEFAULT_BINS})`);
  });

  it('reads column lists, trimmed and without repeats, and the performance flags', () => {
    const flags =
      '--current c.csv --reference r.csv --categorical c --task binary --target y --score s'.split(' ');
    const options = parseReportOptions([
      ...flags,
      '--numeric',
      'a, b,a',
      '--positive-label',
      'yes',
      '--format=html',
    ]);
    expect(options).toMatchObject({
      drift: { numeric: ['a', 'b'], categorical: ['c'] },
      performance: { task: 'binary', target: 'y', prediction: undefined, score: 's', positiveLabel: 'yes' },
      format: 'html',
    });
  });

  it('answers help before checking anything else', () => {
    expect(parseReportOptions(['--bins', 'x', '-h'])).toBe('help');
  });
});
