/*
 * The two-sample Kolmogorov–Smirnov null distributions are in no JavaScript library, so they are
 * ported here from SciPy: the limiting (Kolmogorov) distribution of `scipy.special.kolmogorov`
 * (`kstwobign.sf`) and the exact lattice-path probabilities of `scipy.stats.ks_2samp(method="exact")`.
 */

const KOLMOGOROV_CUTOVER = 0.82;
const SERIES_TOLERANCE = 1e-17;

/**
 * Survival function of the Kolmogorov distribution, P(K > x) = 2 sum_{k>=1} (-1)^(k-1) e^(-2k²x²),
 * as `scipy.stats.kstwobign.sf(x)`. Below x = 0.82 it uses, as SciPy's cephes `kolmogorov` does, the
 * Jacobi-transformed series for the CDF, sqrt(2π)/x sum_{k>=1} e^(-(2k-1)²π²/(8x²)), which converges there.
 */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x <= KOLMOGOROV_CUTOVER) {
    const a = (-Math.PI * Math.PI) / (8 * x * x);
    let cdf = 0;
    for (let k = 1; ; k++) {
      const term = Math.exp(a * (2 * k - 1) * (2 * k - 1));
      cdf += term;
      if (term <= SERIES_TOLERANCE * cdf || term === 0) break;
    }
    cdf *= Math.sqrt(2 * Math.PI) / x;
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  let sf = 0;
  for (let k = 1; ; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sf += k % 2 === 1 ? term : -term;
    if (term <= SERIES_TOLERANCE * sf || term === 0) break;
  }
  return Math.min(1, Math.max(0, 2 * sf));
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * P(D_{n,n} >= h/n) for equal sample sizes, SciPy `_compute_prob_outside_square`:
 * 2 (C(2n, n-h) - C(2n, n-2h) + ...) / C(2n, n), evaluated Horner-like to avoid cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Cells from..to-1 of lattice column i, in place in `a`: cell t is SciPy's
 * (A[t + shift] * i + val * j) / (i + j), j = t + min, with A the previous column (its cells are
 * read at +shift) and val the cell before. Returns the last cell's value.
 */
function columnCells(
  a: Float64Array,
  i: number,
  min: number,
  shift: number,
  from: number,
  to: number,
  first: number,
): number {
  let val = first;
  for (let t = from; t < to; t++) {
    const j = t + min;
    val = (a[t + shift] * i + val * j) / (i + j);
    a[t] = val;
  }
  return val;
}

/**
 * Share of the lattice paths from (0, 0) to (m, n) that leave the band |x/m - y/n| < h / lcm(m, n),
 * SciPy `_compute_outer_prob_inside_method` (Hodges 1958, with the 1 - p recursion of
 * Viehmann 2021, arXiv:2102.08037, that keeps small p-values accurate).
 *
 * Each cell is SciPy's expression of the same two neighbours, so the result is SciPy's bit for bit;
 * only the order differs: columns are computed two at a time, the second one cell behind the first
 * (a wavefront), which lets the CPU overlap the two chains of divisions instead of waiting on one.
 */
export function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  const lowest = (i: number) => Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
  const highest = (i: number) => Math.min(Math.ceil((ng * i + h) / mg), n + 1);
  // the previous column: its first row and its length (cells past it read as 1)
  let minj = 0;
  let curlen = Math.min(Math.ceil(h / mg), n + 1);
  const lenA = Math.min(2 * curlen + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, 0, curlen);
  let i = 1;
  for (; i + 1 <= m; i += 2) {
    const min0 = lowest(i);
    const max0 = highest(i);
    const min1 = lowest(i + 1);
    const max1 = highest(i + 1);
    if (max0 <= min0 || max1 <= min1) return 1;
    const len0 = max0 - min0;
    const len1 = max1 - min1;
    const shift0 = min0 - minj;
    const shift1 = min1 - min0;
    // column i + 1's cell c reads column i's cell c + shift1, written the iteration before
    const lag = shift1 + 1;
    const i1 = i + 1;
    const together = Math.min(len0, len1 + lag);
    let val0 = columnCells(a, i, min0, shift0, 0, Math.min(lag, len0), min0 === 0 ? 0 : 1);
    let val1 = min1 === 0 ? 0 : 1;
    for (let t = lag; t < together; t++) {
      const j0 = t + min0;
      val0 = (a[t + shift0] * i + val0 * j0) / (i + j0);
      a[t] = val0;
      const c = t - lag;
      const j1 = c + min1;
      val1 = (a[c + shift1] * i1 + val1 * j1) / (i1 + j1);
      a[c] = val1;
    }
    columnCells(a, i, min0, shift0, Math.max(lag, together), len0, val0);
    if (curlen > len0) a.fill(1, len0, curlen);
    columnCells(a, i1, min1, shift1, Math.max(0, together - lag), len1, val1);
    if (len0 > len1) a.fill(1, len1, len0);
    minj = min1;
    curlen = len1;
  }
  if (i === m) {
    const min = lowest(i);
    const len = highest(i) - min;
    if (len <= 0) return 1;
    columnCells(a, i, min, min - minj, 0, len, min === 0 ? 0 : 1);
    if (curlen > len) a.fill(1, len, curlen);
    curlen = len;
  }
  return a[curlen - 1];
}

/** lcm(n, m): the exact KS statistic of samples of sizes n and m is a multiple of 1 / lcm(n, m). */
export function ksLattice(n: number, m: number): number {
  return (n / gcd(n, m)) * m;
}

/** D rounded to the lattice of attainable values, and its exact two-sided p-value. */
export interface ExactKsOutcome {
  statistic: number;
  pValue: number;
}

/**
 * Exact two-sided p-value of the two-sample KS statistic d for sample sizes n and m, as
 * `scipy.stats.ks_2samp(R, C, method="exact")` (`_attempt_exact_2kssamp`): d is first rounded to
 * h / lcm(n, m), the statistic SciPy reports.
 */
export function ksExactPValue(n: number, m: number, d: number): ExactKsOutcome {
  const g = gcd(n, m);
  const lcm = ksLattice(n, m);
  const h = Math.round(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n === m ? probOutsideSquare(n, h) : outerProbInsideMethod(n, m, g, h);
  return { statistic, pValue: Math.min(1, Math.max(0, p)) };
}
