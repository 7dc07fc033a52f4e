import fc from 'fast-check';
import { datasetDrift } from './dataset.drift';
import { driftVerdict } from '../drift/method.registry';
import type { ColumnDrift } from '../types';

function testColumn(column: string, pValue: number): ColumnDrift {
  return { column, type: 'numeric', ...driftVerdict('ks', 0.1, pValue), missingShare: 0 };
}

function distanceColumn(column: string, statistic: number): ColumnDrift {
  return { column, type: 'numeric', ...driftVerdict('wasserstein', statistic, null), missingShare: 0 };
}

/** The 15 p-values of Benjamini & Hochberg (1995), section 4: BH at 0.05 rejects 4, Bonferroni 3. */
const BH_PAPER_P_VALUES = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
  0.759, 1.0,
];

describe('datasetDrift', () => {
  it('counts drifted columns and drifts at a share >= 0.5 by default', () => {
    const columns = [
      testColumn('a', 0.01),
      testColumn('b', 0.5),
      distanceColumn('c', 0.2),
      distanceColumn('d', 0.01),
    ];
    expect(datasetDrift(columns)).toMatchObject({
      driftedColumns: 2,
      totalColumns: 4,
      driftShare: 0.5,
      datasetDrift: true,
    });
    expect(datasetDrift(columns, { driftShare: 0.75 }).datasetDrift).toBe(false);
    expect(datasetDrift([])).toMatchObject({
      driftedColumns: 0,
      totalColumns: 0,
      driftShare: 0,
      datasetDrift: false,
    });
  });

  it('reproduces the Benjamini–Hochberg paper example: BH rejects 4 of 15, Bonferroni 3', () => {
    const columns = BH_PAPER_P_VALUES.map((p, i) => testColumn(`c${i}`, p));
    expect(datasetDrift(columns).driftedColumns).toBe(9);
    const bh = datasetDrift(columns, { correction: 'bh' });
    expect(bh.columns.filter((c) => c.drifted).map((c) => c.pValue)).toEqual([
      0.0001, 0.0004, 0.0019, 0.0095,
    ]);
    expect(bh.columns[0].threshold).toBeCloseTo((4 * 0.05) / 15, 15);
    const bonferroni = datasetDrift(columns, { correction: 'bonferroni' });
    expect(bonferroni.driftedColumns).toBe(3);
    expect(bonferroni.columns[0].threshold).toBeCloseTo(0.05 / 15, 15);
  });

  it('leaves distance methods untouched and counts k over p-value tests only', () => {
    const columns = [testColumn('a', 0.02), testColumn('b', 0.03), distanceColumn('c', 0.2)];
    const bonferroni = datasetDrift(columns, { correction: 'bonferroni' });
    expect(bonferroni.columns.map((c) => c.drifted)).toEqual([true, false, true]);
    expect(bonferroni.columns[2]).toEqual(columns[2]);
    const bh = datasetDrift(columns, { correction: 'bh' });
    expect(bh.columns.map((c) => c.drifted)).toEqual([true, true, true]);
  });

  it('keeps its counts consistent with the column verdicts for any input', () => {
    const column = fc.oneof(
      fc.double({ min: 0, max: 1, noNaN: true }).map((p) => testColumn('t', p)),
      fc.double({ min: 0, max: 2, noNaN: true }).map((s) => distanceColumn('d', s)),
    );
    fc.assert(
      fc.property(
        fc.array(column, { maxLength: 12 }),
        fc.constantFrom('none', 'bonferroni', 'bh'),
        (columns, correction) => {
          const result = datasetDrift(columns, { correction });
          const drifted = result.columns.filter((c) => c.drifted).length;
          expect(result.driftedColumns).toBe(drifted);
          expect(result.totalColumns).toBe(columns.length);
          expect(result.datasetDrift).toBe(columns.length > 0 && drifted / columns.length >= 0.5);
          // A correction can only take verdicts away from p-value tests, never add them.
          result.columns.forEach((c, i) => expect(c.drifted && !columns[i].drifted).toBe(false));
        },
      ),
    );
  });
});
