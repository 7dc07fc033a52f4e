/*
 * The limiting Cramér–von Mises distribution is in no JavaScript library; this is SciPy's
 * `scipy.stats._hypotests._cdf_cvm_inf` (Csörgő & Faraway 1996, eq. 1.3), with the same
 * truncation rule (stop after the first term below 1e-7) so that p-values agree with SciPy.
 */

const TERM_TOLERANCE = 1e-7;
const TRAPEZOID_STEP = 0.05;

/**
 * Modified Bessel function of the second kind K_{1/4}(q), q > 0, from the integral
 * K_ν(q) = ∫_0^∞ e^(-q cosh t) cosh(νt) dt. The integrand is entire and decays doubly
 * exponentially, so the trapezoidal rule with step 0.05 is accurate to rounding.
 */
function besselK025(q: number): number {
  let sum = 0.5 * Math.exp(-q);
  for (let i = 1; ; i++) {
    const t = i * TRAPEZOID_STEP;
    const term = Math.exp(-q * Math.cosh(t)) * Math.cosh(0.25 * t);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return sum * TRAPEZOID_STEP;
}

/** CDF of the limiting Cramér–von Mises distribution at x > 0 (`scipy.stats._hypotests._cdf_cvm_inf`). */
export function cvmLimitCdf(x: number): number {
  if (!(x > 0)) return 0;
  if (x === Infinity) return 1;
  let total = 0;
  // Γ(k + 1/2) / Γ(k + 1), by the recurrence from Γ(1/2) / Γ(1) = sqrt(π).
  let gammaRatio = Math.sqrt(Math.PI);
  for (let k = 0; ; k++) {
    const u = gammaRatio / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = u * Math.sqrt(y) * Math.exp(-q) * besselK025(q);
    total += term;
    if (Math.abs(term) < TERM_TOLERANCE) break;
    gammaRatio *= (k + 0.5) / (k + 1);
  }
  return total;
}

/**
 * Asymptotic p-value of the two-sample Cramér–von Mises statistic T for sizes n and m, as
 * `scipy.stats.cramervonmises_2samp(R, C, method="asymptotic")`: T is standardised by its exact
 * mean and variance (Anderson 1962, eqs. 11, 14, 15) and referred to the one-sample limit.
 */
export function cvmTwoSampleAsymptoticPValue(t: number, n: number, m: number): number {
  const k = n * m;
  const total = n + m;
  const et = (1 + 1 / total) / 6;
  let vt = (total + 1) * (4 * k * total - 3 * (n * n + m * m) - 2 * k);
  vt = vt / (45 * total * total * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  if (tn < 0.003) return 1;
  return Math.max(0, 1 - cvmLimitCdf(tn));
}
