/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see below */
import type Hypergeometric from '@stdlib/stats-base-dists-hypergeometric';
import type ChiSquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import type NormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type StudentTCdf from '@stdlib/stats-base-dists-t-cdf';

/**
 * The @stdlib distributions, each required on first use: loading the four costs about 0.6 s of
 * CPU, which every `driftline report` process and its worker paid even when testing only
 * distances. Only the cdf of the normal, t and chi-square is read, so their per-function packages
 * (the same code the distribution packages re-export) are loaded, at about half the cost.
 */
let normal: typeof NormalCdf | undefined;
let studentT: typeof StudentTCdf | undefined;
let chiSquare: typeof ChiSquareCdf | undefined;
let hypergeometric: typeof Hypergeometric | undefined;

export function normalCdf(x: number, mu: number, sigma: number): number {
  normal ??= require('@stdlib/stats-base-dists-normal-cdf') as typeof NormalCdf;
  return normal(x, mu, sigma);
}

export function studentTCdf(x: number, dof: number): number {
  studentT ??= require('@stdlib/stats-base-dists-t-cdf') as typeof StudentTCdf;
  return studentT(x, dof);
}

export function chiSquareCdf(x: number, dof: number): number {
  chiSquare ??= require('@stdlib/stats-base-dists-chisquare-cdf') as typeof ChiSquareCdf;
  return chiSquare(x, dof);
}

export function hypergeometricDistribution(): typeof Hypergeometric {
  hypergeometric ??= require('@stdlib/stats-base-dists-hypergeometric') as typeof Hypergeometric;
  return hypergeometric;
}

/**
 * Loads the normal, t and chi-square cdfs now (about 0.2 s of CPU), so that a long-running
 * process does not pay it in its first evaluation.
 */
export function preloadDistributions(): void {
  normalCdf(0, 0, 1);
  studentTCdf(0, 1);
  chiSquareCdf(1, 1);
}
