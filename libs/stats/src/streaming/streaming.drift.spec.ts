import { readFileSync } from 'node:fs';
import { bikeSharingCsv } from '../../../../infra/repo-files';
import { binEdges, binShares, quantileSorted } from '../drift/binning.kernel';
import { columnDrift } from '../drift/column.drift';
import { isPValueMethod } from '../drift/method.registry';
import { Random } from '../random';
import {
  CATEGORICAL_METHODS,
  NUMERIC_METHODS,
  type ColumnDrift,
  type DriftMethod,
  type RawValue,
} from '../types';
import { CategoricalSummary, OTHER_CATEGORY } from './categorical.summary';
import type { NumericSummary } from './numeric.summary';
import { buildReferenceProfile, ReferenceProfileBuilder } from './reference-profile.builder';
import { ReferenceProfile, type WindowSummary } from './reference.profile';
import { alignCategories, evaluateDrift, type StreamedColumnDrift } from './streaming.drift';

type Row = Record<string, RawValue>;

function bikeRows(): Row[] {
  const text = readFileSync(bikeSharingCsv(), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

/** A window fed pane by pane, then merged, as the monitor does. */
function windowOf(profile: ReferenceProfile, rows: readonly Row[], panes = 4): Record<string, WindowSummary> {
  const parts = Array.from({ length: panes }, () => profile.newWindow('feature'));
  rows.forEach((row, i) => ReferenceProfile.updateWindow(parts[i % panes], row));
  const window = profile.newWindow('feature');
  for (const part of parts) ReferenceProfile.mergeWindow(window, part);
  return window;
}

function exactOrError(compute: () => ColumnDrift): ColumnDrift | Error {
  try {
    return compute();
  } catch (error) {
    return error as Error;
  }
}

function close(a: number | null, b: number | null, tolerance = 1e-9): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));
}

/** Streamed equals exact where exact; within its bound where sketched, with the same verdict unless the threshold lies inside the uncertainty. */
function expectAgreement(streamed: StreamedColumnDrift, exact: ColumnDrift): void {
  expect([streamed.column, streamed.type, streamed.method, streamed.threshold]).toEqual([
    exact.column,
    exact.type,
    exact.method,
    exact.threshold,
  ]);
  expect(streamed.missingShare).toBe(exact.missingShare);
  if (streamed.bound === 0) {
    expect(close(streamed.statistic, exact.statistic)).toBe(true);
    expect(close(streamed.pValue, exact.pValue)).toBe(true);
    expect(streamed.drifted).toBe(exact.drifted);
    return;
  }
  const statistic = exact.statistic ?? NaN;
  expect(Math.abs((streamed.statistic ?? NaN) - statistic)).toBeLessThanOrEqual(
    streamed.bound + 1e-9 * Math.max(1, Math.abs(statistic)),
  );
  const range = streamed.pValueRange;
  const undecided = isPValueMethod(streamed.method)
    ? range !== null && range.lo <= streamed.threshold && streamed.threshold <= range.hi
    : Math.abs(statistic - streamed.threshold) <= streamed.bound;
  if (!undecided) expect(streamed.drifted).toBe(exact.drifted);
}

describe('evaluateDrift on the bike data (2011 reference, 2012 in four panes)', () => {
  const rows = bikeRows();
  const reference = rows.filter((r) => r.yr === '0');
  const current = rows.filter((r) => r.yr === '1');
  const profile = buildReferenceProfile(reference);
  const window = windowOf(profile, current);
  const columns = Object.keys(window);
  const values = (sample: Row[], column: string) => sample.map((r) => r[column]);

  it('profiles every column, numeric unless a non-number appears', () => {
    expect(columns).toHaveLength(17);
    expect(profile.column('dteday').type).toBe('categorical');
    expect(profile.column('hr').type).toBe('numeric');
    expect(profile.column('temp').json.edges).toEqual(binEdges(values(reference, 'temp').map(Number)));
  });

  it('with the default methods, agrees with columnDrift on every column', () => {
    const streamed = evaluateDrift(profile, window);
    for (const s of streamed) {
      const exact = columnDrift(s.column, values(reference, s.column), values(current, s.column));
      expectAgreement(s, exact);
    }
  });

  it.each([...new Set<DriftMethod>([...NUMERIC_METHODS, ...CATEGORICAL_METHODS])])(
    'with method %s, agrees with columnDrift (or fails the same way) on every column',
    (method) => {
      for (const column of columns) {
        const exact = exactOrError(() =>
          columnDrift(column, values(reference, column), values(current, column), { method }),
        );
        const streamed = exactOrError(
          () => evaluateDrift(profile, { [column]: window[column] }, { method })[0],
        );
        if (exact instanceof Error) {
          expect(streamed).toBeInstanceOf(Error);
          continue;
        }
        if (streamed instanceof Error && /not available on the streamed path/.test(streamed.message)) {
          // a categorical-only method on a numeric column with more distinct values than the summaries keep
          expect(profile.column(column).reference.count).toBeGreaterThan(0);
          expect((window[column] as NumericSummary).values).toBeNull();
          continue;
        }
        expect(streamed).not.toBeInstanceOf(Error);
        expectAgreement(streamed as StreamedColumnDrift, exact);
      }
    },
  );

  it('gives the same figures from a profile restored from JSON', () => {
    const restored = ReferenceProfile.fromJSON(JSON.parse(JSON.stringify(profile.toJSON())));
    expect(evaluateDrift(restored, window)).toEqual(evaluateDrift(profile, window));
  });

  it('refuses bins other than the profile was built with', () => {
    expect(() => evaluateDrift(profile, window, { bins: 20 })).toThrow(/10 bins/);
  });
});

describe('ReferenceProfileBuilder', () => {
  const n = 20_000;
  const draws = new Random(5).sample(n, (r) => r.lognormal(1, 0.8));
  const rows = draws.map((x, i) => ({ x, tag: i % 3 === 0 ? 'a' : 'b', maybe: i % 10 === 0 ? null : x }));

  it('takes edges and shares from the exact reference under the sample cap', () => {
    const profile = buildReferenceProfile(rows);
    const x = profile.column('x').json;
    expect(x.edgeSource).toBe('sample');
    expect(x.edges).toEqual(binEdges(draws));
    x.shares.forEach((s, i) => expect(s).toBeCloseTo(binShares(draws, x.edges)[i], 14));
    expect(x.sampleComplete).toBe(true);
    expect(x.sample).toEqual(draws);
    expect(profile.column('maybe').json.rows).toBe(n);
  });

  it('over the sample cap, takes edges at sketch bucket boundaries near the quantiles, with exact shares', () => {
    const profile = buildReferenceProfile(rows, { sampleCap: 1000, seed: 9 });
    const x = profile.column('x').json;
    expect(x.edgeSource).toBe('sketch');
    expect(x.edges).toHaveLength(9);
    const sorted = Array.from(Float64Array.from(draws).sort());
    x.edges.forEach((edge, i) => {
      const q = quantileSorted(sorted, (i + 1) / 10);
      const h = (n - 1) * ((i + 1) / 10);
      const spread = sorted[Math.ceil(h)] - sorted[Math.floor(h)];
      expect(Math.abs(edge - q)).toBeLessThanOrEqual((0.02 / 0.99) * q + spread);
    });
    const exactShares = binShares(draws, x.edges);
    x.shares.forEach((s, i) => expect(s).toBeCloseTo(exactShares[i], 14));
    expect(x.sample).toHaveLength(1000);
    expect(x.sampleComplete).toBe(false);
    const drawn = new Set(draws);
    expect((x.sample as number[]).every((v) => drawn.has(v))).toBe(true);
    expect(buildReferenceProfile(rows, { sampleCap: 1000, seed: 9 }).column('x').json.sample).toEqual(
      x.sample,
    );
    expect(buildReferenceProfile(rows, { sampleCap: 1000, seed: 10 }).column('x').json.sample).not.toEqual(
      x.sample,
    );
  });

  it('reads declared types and roles, and refuses a non-number in a declared numeric column', () => {
    const builder = new ReferenceProfileBuilder({ types: { code: 'categorical' }, target: 'y', score: 's' });
    builder.add({ code: 1, y: '1', s: 0.3, note: 'x' });
    builder.add({ code: 2, y: '0', s: 0.9, note: 4 });
    const profile = builder.build();
    expect(profile.column('code').type).toBe('categorical');
    expect(profile.column('note').type).toBe('categorical');
    expect(profile.column('y').json.role).toBe('target');
    expect(profile.column('s').json.role).toBe('score');
    expect(Object.keys(profile.newWindow('feature'))).toEqual(['code', 'note']);
    const bad = new ReferenceProfileBuilder({ types: { v: 'numeric' } });
    bad.add({ v: 'high' });
    expect(() => bad.build()).toThrow(/declared numeric/);
  });

  it('counts a column that appears late as missing in the rows before', () => {
    const builder = new ReferenceProfileBuilder();
    builder.add({ a: 1 });
    builder.add({ a: 2, b: 5 });
    const b = builder.build().column('b');
    expect(b.json.rows).toBe(2);
    expect(b.reference.missing).toBe(1);
  });
});

describe('alignCategories', () => {
  it('keeps apart only the categories both capped summaries keep, the rest is __other__', () => {
    const r = new CategoricalSummary({ categoryCap: 5 });
    const c = new CategoricalSummary({ categoryCap: 5 });
    for (let i = 0; i < 30; i++) r.update(`k${i % 12}`);
    for (let i = 0; i < 40; i++) c.update(`k${(i % 10) + 4}`);
    const aligned = alignCategories(r, c);
    expect(aligned.reference.reduce((s, x) => s + x, 0)).toBe(30);
    expect(aligned.current.reduce((s, x) => s + x, 0)).toBe(40);
    expect(aligned.categories).toContain(OTHER_CATEGORY);
    for (const category of aligned.categories.filter((k) => k !== OTHER_CATEGORY)) {
      expect(CategoricalSummary.keeps(category, r.lastKept)).toBe(true);
      expect(CategoricalSummary.keeps(category, c.lastKept)).toBe(true);
      const i = aligned.categories.indexOf(category);
      expect(aligned.reference[i]).toBe(r.categoryCounts.get(category) ?? 0);
      expect(aligned.current[i]).toBe(c.categoryCounts.get(category) ?? 0);
    }
  });
});
