jest.setTimeout(300_000);

import type { ModelSpec, PredictionEvent } from '@driftline/contracts';
import {
  buildReferenceProfile,
  columnDrift,
  datasetDrift,
  type ColumnDrift,
  type ColumnType,
  type DriftMethod,
  type RawValue,
  type StreamedColumnDrift,
} from '@driftline/stats';
import { bikeSharingCsv, waitFor } from '@driftline/testing';
import { parse } from 'csv-parse/sync';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorEnvironment } from './monitor.harness';

// The bound can be attained (the error is then exactly one bucket's mass, e.g. 2/744); the two sides
// are computed along different float paths, so allow the last-bit rounding of that tie.
const withRounding = (bound: number) => bound * (1 + 1e-12) + 1e-15;

const DRIFTLINE = join(__dirname, '../../cli/bin/driftline.js');

const FEATURES: Record<string, { type: ColumnType; method?: DriftMethod }> = {
  temp: { type: 'numeric', method: 'ks' },
  atemp: { type: 'numeric', method: 'ttest' },
  hum: { type: 'numeric', method: 'psi' },
  windspeed: { type: 'numeric', method: 'wasserstein' },
  hr: { type: 'numeric', method: 'jensenshannon' },
  weathersit: { type: 'categorical', method: 'chisquare' },
  workingday: { type: 'categorical', method: 'ztest' },
  holiday: { type: 'categorical' },
  // many distinct values: the window keeps only its sketch, and the figures carry a bound
  cnt: { type: 'numeric', method: 'ks' },
  registered: { type: 'numeric', method: 'wasserstein' },
};
const NAMES = Object.keys(FEATURES);

type Row = Record<string, RawValue>;

function load(month: string): Row[] {
  const records: Record<string, string>[] = parse(readFileSync(bikeSharingCsv()), { columns: true });
  return records
    .filter((r) => r.dteday.startsWith(month))
    .map((r) => {
      const row: Row = {};
      for (const name of NAMES) row[name] = FEATURES[name].type === 'numeric' ? Number(r[name]) : r[name];
      return row;
    });
}

const reference = load('2011-01');
const current = load('2011-07');
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 2, 1, 10);

const spec: ModelSpec = {
  modelId: 'bikes',
  features: Object.fromEntries(NAMES.map((n) => [n, FEATURES[n].type])),
  window: { size: '1h', step: '1h', allowedLateness: '0s' },
  methods: Object.fromEntries(NAMES.flatMap((n) => (FEATURES[n].method ? [[n, FEATURES[n].method]] : []))),
  correction: 'bonferroni',
  driftShare: 0.5,
};

function event(i: number, time: number, row: Row): PredictionEvent {
  return {
    eventId: `bikes-${i}`,
    modelId: 'bikes',
    modelVersion: '1',
    predictionId: `bikes-${i}`,
    timestamp: new Date(time).toISOString(),
    features: row as PredictionEvent['features'],
    prediction: 0,
  };
}

/** |a - b| within 1e-9 relative (STATS.md agreement for statistics). */
function close(a: number | null, b: number | null, absolute = 0): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= Math.max(absolute, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
}

describe('monitor: a streamed window equals the offline report on the same rows', () => {
  let env: MonitorEnvironment;
  let streamed: { columns: (ColumnDrift & { bound: number })[]; driftShare: number; datasetDrift: boolean };
  let eventCount: number;

  beforeAll(async () => {
    env = await MonitorEnvironment.create(1);
    const profile = buildReferenceProfile(reference, { types: spec.features, bins: 10 }).toJSON();
    await env.registerModel(spec, profile as unknown as Record<string, unknown>, reference.length);
    await env.startMonitor();
    // July's rows spread over one hour of event time, then one event of the next hour closes it.
    const events = current.map((row, i) => event(i, BASE + Math.floor((i * HOUR) / current.length), row));
    events.push(event(current.length, BASE + HOUR, current[0]));
    await env.produce('predictions', events);
    const row = await waitFor(
      async () => {
        const rows = await env.windowRows();
        return rows.find((r) => (r.window_start as Date).getTime() === BASE);
      },
      { timeoutMs: 120_000, message: 'the July window' },
    );
    const result = row.result as { eventCount: number; drift: typeof streamed };
    streamed = result.drift;
    eventCount = result.eventCount;
  });

  afterAll(() => env.close());

  it('holds every July row', () => {
    expect(eventCount).toBe(current.length);
  });

  const offline = () => {
    const columns = NAMES.map((name) =>
      columnDrift(
        name,
        reference.map((r) => r[name]),
        current.map((r) => r[name]),
        { type: FEATURES[name].type, method: FEATURES[name].method, bins: 10 },
      ),
    );
    return datasetDrift(columns, { driftShare: spec.driftShare, correction: spec.correction });
  };

  it.each(NAMES)(
    '%s: same method, threshold, verdict and missing share; statistic within its bound',
    (name) => {
      const exact = offline().columns.find((c) => c.column === name) as ColumnDrift;
      const got = streamed.columns.find((c) => c.column === name) as ColumnDrift & { bound: number };
      expect(got).toBeDefined();
      expect(got.method).toBe(exact.method);
      expect(got.type).toBe(exact.type);
      expect(got.threshold).toBeCloseTo(exact.threshold, 12);
      expect(got.drifted).toBe(exact.drifted);
      expect(got.missingShare).toBe(exact.missingShare);
      if (got.bound === 0) {
        expect(close(got.statistic, exact.statistic)).toBe(true);
        expect(close(got.pValue, exact.pValue, 1e-6)).toBe(true);
      } else {
        expect(Math.abs((got.statistic as number) - (exact.statistic as number))).toBeLessThanOrEqual(
          withRounding(got.bound),
        );
        const range = (got as StreamedColumnDrift).pValueRange;
        if (range !== null) {
          expect(exact.pValue).toBeGreaterThanOrEqual(range.lo);
          expect(exact.pValue).toBeLessThanOrEqual(range.hi);
        }
      }
    },
  );

  it('the sketched columns are sketched on the stream', () => {
    for (const name of ['cnt', 'registered']) {
      expect(streamed.columns.find((c) => c.column === name)?.bound).toBeGreaterThan(0);
    }
  });

  it('the exact methods are exact on the stream', () => {
    for (const name of ['atemp', 'hum', 'hr', 'weathersit', 'workingday', 'holiday']) {
      expect(streamed.columns.find((c) => c.column === name)?.bound).toBe(0);
    }
  });

  it('same data set drift after the Bonferroni correction', () => {
    const exact = offline();
    expect(streamed.driftShare).toBe(exact.driftShare);
    expect(streamed.datasetDrift).toBe(exact.datasetDrift);
  });

  describe('and the CLI report on CSVs of the same rows', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'driftline-bikes-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const report = (name: string): Promise<ColumnDrift> => {
      const write = (file: string, rows: Row[]) =>
        writeFileSync(join(dir, file), [name, ...rows.map((r) => String(r[name]))].join('\n') + '\n');
      write(`${name}.reference.csv`, reference);
      write(`${name}.current.csv`, current);
      const { type, method } = FEATURES[name];
      const args = [
        DRIFTLINE,
        'report',
        '--reference',
        join(dir, `${name}.reference.csv`),
        '--current',
        join(dir, `${name}.current.csv`),
        `--${type}`,
        name,
        ...(method ? ['--method', method] : []),
      ];
      return new Promise((resolve, reject) =>
        execFile(process.execPath, args, (error, stdout, stderr) => {
          if (error) reject(new Error(`driftline report failed: ${stderr}`));
          else resolve(JSON.parse(stdout).drift.columns[0] as ColumnDrift);
        }),
      );
    };

    it.each(NAMES)('%s: the same figure as `driftline report`', async (name) => {
      const cli = await report(name);
      const got = streamed.columns.find((c) => c.column === name) as ColumnDrift & { bound: number };
      // verdicts differ by design: the CLI run has no multiple-testing correction
      expect(got.method).toBe(cli.method);
      if (got.bound === 0) {
        expect(close(got.statistic, cli.statistic)).toBe(true);
        expect(close(got.pValue, cli.pValue, 1e-6)).toBe(true);
      } else {
        expect(Math.abs((got.statistic as number) - (cli.statistic as number))).toBeLessThanOrEqual(
          withRounding(got.bound),
        );
      }
    });
  });
});
