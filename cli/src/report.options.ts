import { parseArgs } from 'node:util';
import {
  CATEGORICAL_METHODS,
  NUMERIC_METHODS,
  type Correction,
  type DriftMethod,
  type Task,
} from '@driftline/stats';
import { CliError, messageOf } from './cli.error';

export interface PerformanceOptions {
  task: Task;
  target: string;
  prediction?: string;
  score?: string;
  positiveLabel?: string;
}

export interface DriftOptions {
  reference: string;
  method?: DriftMethod;
  numeric: string[];
  categorical: string[];
  bins: number;
  correction: Correction;
  driftShare: number;
}

export interface ReportOptions {
  current: string;
  drift?: DriftOptions;
  performance?: PerformanceOptions;
  format: 'json' | 'html';
  output?: string;
}

export const DEFAULT_BINS = 10;
const MAX_BINS = 1000;
const CORRECTIONS: readonly Correction[] = ['none', 'bonferroni', 'bh'];
const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];
const FORMATS = ['json', 'html'] as const;
const METHODS: readonly string[] = [...new Set<string>([...NUMERIC_METHODS, ...CATEGORICAL_METHODS])];

/** `items` joined by spaces in lines of at most `width` characters, each line after the first indented. */
function wrap(items: readonly string[], indent: number, width = 64): string {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + item.length <= width) lines[last] += ` ${item}`;
    else lines.push(item);
  }
  return lines.join(`\n${' '.repeat(indent)}`);
}

export const REPORT_USAGE = `Usage: driftline report --current C.csv [--reference R.csv] [options]

Compares a current sample with a reference sample column by column (data drift), and scores
predictions against targets (performance). Both files are CSV with a header row; an empty cell
(or NaN) is a missing value. Drift covers the columns present in both files but the target,
prediction and score columns.

Drift (needs --reference):
  --reference FILE           the reference sample
  --method NAME              drift method for every column whose type it fits:
                               numeric      ${wrap(NUMERIC_METHODS, 44, 48)}
                               categorical  ${wrap(CATEGORICAL_METHODS, 44, 48)}
                             Other columns, and all without --method, get the default: up to
                             1000 reference rows ks (numeric), ztest (2 categories) or
                             chisquare; above, wasserstein or jensenshannon. Numbers with at
                             most 5 distinct values are categorical unless declared numeric.
  --numeric a,b              columns to treat as numeric (a non-number in them is an error)
  --categorical c,d          columns to treat as categorical
  --bins N                   bins for the binned methods (default ${DEFAULT_BINS})
  --correction none|bonferroni|bh
                             multiple-testing correction over the p-value tests (default none)
  --drift-share X            share of drifted columns at which the data set drifts (default 0.5)

Performance (on the current file):
  --task binary|multiclass|regression
  --target COL               the true label or value
  --prediction COL           the predicted label or value (binary: or give --score)
  --score COL                binary only: the score of the positive label, in [0, 1]
  --positive-label L         binary only: the positive label (default 1)
  Rows where one of these columns is empty are left out.

Output:
  --format json|html         JSON (default) or a self-contained HTML page with charts
  --output FILE              write the report to FILE instead of standard output
  -h, --help                 show this text

Exit codes: 0 report written; 2 bad input (flags, files, data), with one line on standard
error naming the problem (rows are counted from the first data row); 1 internal error.`;

const SPEC = {
  reference: { type: 'string' },
  current: { type: 'string' },
  method: { type: 'string' },
  numeric: { type: 'string' },
  categorical: { type: 'string' },
  bins: { type: 'string' },
  correction: { type: 'string' },
  'drift-share': { type: 'string' },
  task: { type: 'string' },
  target: { type: 'string' },
  prediction: { type: 'string' },
  score: { type: 'string' },
  'positive-label': { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof SPEC; strict: true }>>['values'];

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function columnList(flag: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === ''))
    throw new CliError(`--${flag} needs comma-separated column names, got "${value}"`);
  return [...new Set(names)];
}

function parseBins(value: string | undefined): number {
  if (value === undefined) return DEFAULT_BINS;
  const bins = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(bins >= 2 && bins <= MAX_BINS)) {
    throw new CliError(`--bins must be a whole number from 2 to ${MAX_BINS}, got "${value}"`);
  }
  return bins;
}

function parseDriftShare(value: string | undefined): number {
  if (value === undefined) return 0.5;
  const share = /^\s*(?:\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
  if (!(share >= 0 && share <= 1))
    throw new CliError(`--drift-share must be a number from 0 to 1, got "${value}"`);
  return share;
}

function parseMethod(value: string | undefined): DriftMethod | undefined {
  if (value === undefined) return undefined;
  if (!METHODS.includes(value))
    throw new CliError(`unknown method "${value}"; the methods are ${METHODS.join(', ')}`);
  return value as DriftMethod;
}

function driftOptions(v: Values): DriftOptions | undefined {
  if (v.reference === undefined) {
    const given = (['method', 'numeric', 'categorical', 'bins', 'correction', 'drift-share'] as const).find(
      (f) => v[f] !== undefined,
    );
    if (given !== undefined) throw new CliError(`--${given} is about drift, which needs --reference`);
    return undefined;
  }
  const numeric = columnList('numeric', v.numeric);
  const categorical = columnList('categorical', v.categorical);
  const both = numeric.find((c) => categorical.includes(c));
  if (both !== undefined) throw new CliError(`column "${both}" is declared both numeric and categorical`);
  return {
    reference: v.reference,
    method: parseMethod(v.method),
    numeric,
    categorical,
    bins: parseBins(v.bins),
    correction: v.correction === undefined ? 'none' : oneOf('correction', v.correction, CORRECTIONS),
    driftShare: parseDriftShare(v['drift-share']),
  };
}

function performanceOptions(v: Values): PerformanceOptions | undefined {
  if (v.task === undefined) {
    const given = (['target', 'prediction', 'score', 'positive-label'] as const).find(
      (f) => v[f] !== undefined,
    );
    if (given !== undefined) throw new CliError(`--${given} is about performance, which needs --task`);
    return undefined;
  }
  const task = oneOf('task', v.task, TASKS);
  if (v.target === undefined) throw new CliError('--task needs --target');
  if (task !== 'binary') {
    if (v.prediction === undefined) throw new CliError(`--task ${task} needs --prediction`);
    if (v.score !== undefined) throw new CliError('--score applies to --task binary only');
    if (v['positive-label'] !== undefined)
      throw new CliError('--positive-label applies to --task binary only');
  } else if (v.prediction === undefined && v.score === undefined) {
    throw new CliError('--task binary needs --prediction or --score');
  }
  const named = [v.target, v.prediction, v.score].filter((c) => c !== undefined);
  const twice = named.find((c, i) => named.indexOf(c) !== i);
  if (twice !== undefined)
    throw new CliError(`column "${twice}" is named for two of --target, --prediction, --score`);
  if (v['positive-label'] === '') throw new CliError('--positive-label must not be empty');
  return {
    task,
    target: v.target,
    prediction: v.prediction,
    score: v.score,
    positiveLabel: v['positive-label'],
  };
}

function parseFlags(argv: string[]): Values {
  try {
    return parseArgs({ args: argv, options: SPEC, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = messageOf(error).split('\n')[0];
    throw new CliError(
      `${message.charAt(0).toLowerCase()}${message.slice(1)} (driftline report --help lists the options)`,
    );
  }
}

/** The options of `driftline report`, or 'help'; throws `CliError` naming the first bad flag. */
export function parseReportOptions(argv: string[]): ReportOptions | 'help' {
  const v = parseFlags(argv);
  if (v.help === true) return 'help';
  if (v.current === undefined) throw new CliError('--current is required');
  const drift = driftOptions(v);
  const performance = performanceOptions(v);
  if (drift === undefined && performance === undefined) {
    throw new CliError(
      'nothing to report: give --reference for drift, or --task and --target for performance',
    );
  }
  return {
    current: v.current,
    drift,
    performance,
    format: v.format === undefined ? 'json' : oneOf('format', v.format, FORMATS),
    output: v.output,
  };
}
