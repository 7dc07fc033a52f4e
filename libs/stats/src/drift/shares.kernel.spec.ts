import fc from 'fast-check';
import { sharesFromCounts } from './binning.kernel';
import {
  hellingerFromShares,
  jensenShannonFromShares,
  klFromShares,
  linfFromShares,
  psiFromShares,
} from './shares.kernel';

const pairOfShares = fc
  .integer({ min: 1, max: 8 })
  .chain((k) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 50 }), { minLength: k, maxLength: k }),
      fc.array(fc.integer({ min: 0, max: 50 }), { minLength: k, maxLength: k }),
    ),
  )
  .filter(([a, b]) => a.some((x) => x > 0) && b.some((x) => x > 0))
  .map(([a, b]) => [sharesFromCounts(a), sharesFromCounts(b)] as const);

describe('share distances', () => {
  it('psi and kl are >= 0 (up to the eps floor) and 0 on identical shares', () => {
    fc.assert(
      fc.property(pairOfShares, ([r, c]) => {
        expect(psiFromShares(r, c)).toBeGreaterThanOrEqual(-1e-12);
        expect(psiFromShares(r, r)).toBe(0);
        expect(klFromShares(r, r)).toBe(0);
      }),
    );
  });

  it('psi, Jensen–Shannon, Hellinger and linf are symmetric; JS and Hellinger lie in [0, 1]', () => {
    fc.assert(
      fc.property(pairOfShares, ([r, c]) => {
        expect(psiFromShares(r, c)).toBeCloseTo(psiFromShares(c, r), 12);
        expect(jensenShannonFromShares(r, c)).toBeCloseTo(jensenShannonFromShares(c, r), 12);
        expect(hellingerFromShares(r, c)).toBeCloseTo(hellingerFromShares(c, r), 12);
        expect(linfFromShares(r, c)).toBe(linfFromShares(c, r));
        for (const d of [jensenShannonFromShares(r, c), hellingerFromShares(r, c)]) {
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
    );
  });

  it('reaches the known maxima on disjoint supports: JS sqrt(ln 2), Hellinger 1, linf 1', () => {
    expect(jensenShannonFromShares([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 14);
    expect(hellingerFromShares([1, 0], [0, 1])).toBeCloseTo(1, 14);
    expect(linfFromShares([1, 0], [0, 1])).toBe(1);
  });

  it('replaces an empty share by 1e-4 without renormalising: psi([1, 0], [0.5, 0.5])', () => {
    const expected = (0.5 - 1) * Math.log(0.5 / 1) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expect(psiFromShares([1, 0], [0.5, 0.5])).toBeCloseTo(expected, 14);
    expect(klFromShares([1, 0], [0.5, 0.5])).toBeCloseTo(Math.log(2) + 1e-4 * Math.log(1e-4 / 0.5), 14);
  });
});
