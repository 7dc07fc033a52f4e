/** Thrown when a sample or a request cannot give a meaningful statistic (empty sample, wrong method for the type). */
export class StatsInputError extends Error {
  override readonly name = 'StatsInputError';
}
