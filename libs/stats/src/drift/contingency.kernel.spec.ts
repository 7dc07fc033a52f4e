import { chiSquareFromCounts, fisherExact, gTestFromCounts, twoProportionZTest } from './contingency.kernel';
describe('Fisher exact test', () => {
  it("gives p = 0.4857 on Fisher's lady tasting tea table [[3, 1], [1, 3]] (Fisher 1935)", () => {
    const { statistic, pValue } = fisherExact([
      [3, 1],
      [1, 3],
    ]);
    expect(statistic).toBe(9);
    expect(pValue).toBeCloseTo(34 / 70, 12);
  });

  it('gives p = 0.03497 on the whales and sharks table of the SciPy documentation', () => {
    expect(
      fisherExact([
        [8, 2],
        [1, 5],
      ]).pValue,
    ).toBeCloseTo(0.03496503496503495, 12);
  });

  it('reports an infinite odds ratio as null and p = 1 at the mode', () => {
    const result = fisherExact([
      [5, 0],
      [5, 5],
    ]);
    expect(result.statistic).toBeNull();
    expect(result.pValue).toBeGreaterThan(0);
    expect(
      fisherExact([
        [2, 2],
        [2, 2],
      ]).pValue,
    ).toBe(1);
  });
});

describe('chi-square and G-test', () => {
  it('gives statistic 0 and p = 1 for a single category', () => {
    expect(chiSquareFromCounts([7], [3])).toEqual({ statistic: 0, pValue: 1 });
    expect(gTestFromCounts([7], [3])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('matches a hand-worked 2 x 2 table: [[10, 20], [20, 10]] has chi-square 20/3 on 1 dof', () => {
    // Every expected count is 15, so chi-square = 4 * 25 / 15; p = erfc(sqrt(10/3)) = 0.009823.
    const { statistic, pValue } = chiSquareFromCounts([10, 20], [20, 10]);
    expect(statistic).toBeCloseTo(20 / 3, 12);
    expect(pValue).toBeCloseTo(0.0098232, 6);
  });

  it('matches G = 2 sum O ln(O/E) on the same table', () => {
    const { statistic } = gTestFromCounts([10, 20], [20, 10]);
    expect(statistic).toBeCloseTo(2 * (2 * 10 * Math.log(10 / 15) + 2 * 20 * Math.log(20 / 15)), 12);
  });
});

describe('two-proportion z-test', () => {
  it('gives z = 0 and p = 1 when the pooled share is 0 or 1', () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ statistic: 0, pValue: 1 });
  });

  it('squares to the uncorrected chi-square of the same 2 x 2 table', () => {
    const z = twoProportionZTest(10, 30, 20, 30).statistic!;
    expect(z * z).toBeCloseTo(chiSquareFromCounts([10, 20], [20, 10]).statistic!, 10);
  });
});
