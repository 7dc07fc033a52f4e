import { categoryCounts, sharesFromCounts } from './binning.kernel';
import { chiSquareFromCounts, fisherExact, gTestFromCounts, twoProportionZTest } from './contingency.kernel';
import { SHARE_DISTANCES } from './shares.kernel';
import { StatsInputError } from './stats-input.error';
import type { CategoricalMethod } from '../types';

/**
 * Statistic and p-value (null for distances) of one categorical method on two clean samples of
 * labels; categories are the union seen in R or C, in code-point order (STATS.md).
 */
export function categoricalMethodOutcome(
  method: CategoricalMethod,
  reference: readonly string[],
  current: readonly string[],
): { statistic: number | null; pValue: number | null } {
  if (reference.length === 0 || current.length === 0)
    throw new StatsInputError('categorical samples must not be empty');
  const counts = categoryCounts(reference, current);
  const k = counts.categories.length;
  switch (method) {
    case 'chisquare':
      return chiSquareFromCounts(counts.reference, counts.current);
    case 'gtest':
      return gTestFromCounts(counts.reference, counts.current);
    case 'ztest':
      if (k > 2)
        throw new StatsInputError(
          `ztest needs at most 2 categories, found ${k} (${counts.categories.join(', ')})`,
        );
      return twoProportionZTest(counts.reference[0], reference.length, counts.current[0], current.length);
    case 'fisher':
      if (k !== 2)
        throw new StatsInputError(
          `fisher needs exactly 2 categories, found ${k} (${counts.categories.join(', ')})`,
        );
      return fisherExact([
        [counts.reference[0], counts.reference[1]],
        [counts.current[0], counts.current[1]],
      ]);
    case 'psi':
    case 'jensenshannon':
    case 'hellinger':
    case 'kl':
    case 'linf':
      return {
        statistic: SHARE_DISTANCES[method](
          sharesFromCounts(counts.reference),
          sharesFromCounts(counts.current),
        ),
        pValue: null,
      };
  }
}
