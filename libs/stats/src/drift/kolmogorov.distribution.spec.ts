import fc from 'fast-check';
import { outerProbInsideMethod } from './kolmogorov.distribution';

/** SciPy's `_compute_outer_prob_inside_method` line by line, one column after the other. */
function columnByColumn(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

describe('outerProbInsideMethod', () => {
  it('equals the column-by-column recursion bit for bit, for every size and lattice point', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, m, d) => {
          const g = gcd(n, m);
          const h = Math.max(1, Math.round(d * (n / g) * m));
          expect(Object.is(outerProbInsideMethod(n, m, g, h), columnByColumn(n, m, g, h))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('equals it at the sizes of a monitor window against a 1,000-row reference', () => {
    for (const m of [1, 2, 3, 7, 243, 250, 252, 999, 1001]) {
      const g = gcd(1000, m);
      const lattice = (1000 / g) * m;
      for (const d of [0.001, 0.01, 0.03, 0.05, 0.1, 0.2, 0.35, 0.6, 0.9, 1]) {
        const h = Math.max(1, Math.round(d * lattice));
        expect(outerProbInsideMethod(1000, m, g, h)).toBe(columnByColumn(1000, m, g, h));
        expect(outerProbInsideMethod(m, 1000, g, h)).toBe(columnByColumn(m, 1000, g, h));
      }
    }
  });
});
