import type { ColumnDriftResult, WindowResult } from '../api.types';
import { heatmapOf, severityOf } from './heatmap.model';

const column = (name: string, over: Partial<ColumnDriftResult> = {}): ColumnDriftResult => ({
  column: name,
  type: 'numeric',
  method: 'ks',
  statistic: 0.2,
  pValue: 0.01,
  threshold: 0.05,
  drifted: true,
  missingShare: 0,
  ...over,
});

function window(
  start: string,
  columns: ColumnDriftResult[],
  prediction: ColumnDriftResult[] = [],
): WindowResult {
  return {
    windowStart: start,
    windowEnd: start.replace('00:00', '01:00'),
    eventCount: 10,
    lateEvents: 0,
    duplicateEvents: 0,
    drift: { columns, driftShare: 0, datasetDrift: false, predictionDrift: prediction },
  };
}

describe('severityOf', () => {
  it('is 1 at the threshold: a p-value on a log scale, a distance over its threshold, capped at 2', () => {
    expect(severityOf(column('a', { pValue: 0.05 }))).toBeCloseTo(1, 12);
    expect(severityOf(column('a', { pValue: 0.0025 }))).toBeCloseTo(2, 12);
    expect(severityOf(column('a', { pValue: 1 }))).toBe(0);
    expect(severityOf(column('a', { pValue: 0 }))).toBe(2);
    expect(severityOf(column('a', { method: 'psi', pValue: null, statistic: 0.05, threshold: 0.1 }))).toBe(
      0.5,
    );
    expect(severityOf(column('a', { pValue: null, statistic: null }))).toBeNull();
  });
});

describe('heatmapOf', () => {
  it('has a cell per feature and window, features in order of first appearance, the outputs last', () => {
    const map = heatmapOf([
      window('2024-05-01T00:00:00Z', [column('b'), column('a', { drifted: false })]),
      window('2024-05-01T01:00:00Z', [column('a'), column('c')], [column('__prediction__')]),
    ]);
    expect(map.features).toEqual(['b', 'a', 'c', '__prediction__']);
    expect(map.rows.map((row) => row.map((cell) => cell.result?.drifted ?? null))).toEqual([
      [true, null],
      [false, true],
      [null, true],
      [null, true],
    ]);
  });
});
