/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see below */
import type ChiSquare from '@stdlib/stats-base-dists-chisquare';
import type Hypergeometric from '@stdlib/stats-base-dists-hypergeometric';
import type Normal from '@stdlib/stats-base-dists-normal';
import type StudentT from '@stdlib/stats-base-dists-t';

/**
 * The @stdlib distributions, each required on first use: loading the four costs about 0.6 s of
 * CPU, which every `driftline report` process and its worker paid even when testing only
 * distances.
 */
let normal: typeof Normal | undefined;
let studentT: typeof StudentT | undefined;
let chiSquare: typeof ChiSquare | undefined;
let hypergeometric: typeof Hypergeometric | undefined;

export function normalCdf(x: number, mu: number, sigma: number): number {
  normal ??= require('@stdlib/stats-base-dists-normal') as typeof Normal;
  return normal.cdf(x, mu, sigma);
}

export function studentTCdf(x: number, dof: number): number {
  studentT ??= require('@stdlib/stats-base-dists-t') as typeof StudentT;
  return studentT.cdf(x, dof);
}

export function chiSquareCdf(x: number, dof: number): number {
  chiSquare ??= require('@stdlib/stats-base-dists-chisquare') as typeof ChiSquare;
  return chiSquare.cdf(x, dof);
}

export function hypergeometricDistribution(): typeof Hypergeometric {
  hypergeometric ??= require('@stdlib/stats-base-dists-hypergeometric') as typeof Hypergeometric;
  return hypergeometric;
}
