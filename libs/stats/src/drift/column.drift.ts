import { DEFAULT_BINS } from './binning.kernel';
import { categoricalMethodOutcome } from './categorical.methods';
import {
  CATEGORICAL_MAX_DISTINCT,
  DEFAULT_THRESHOLDS,
  defaultMethod,
  driftVerdict,
  isCategoricalMethod,
  isNumericMethod,
  methodFits,
} from './method.registry';
import { numericMethodOutcome } from './numeric.methods';
import { asCategory, parseFinite, presentValues } from './sample.values';
import { StatsInputError } from './stats-input.error';
import type { ColumnDrift, ColumnType, DriftMethod, RawValue } from '../types';

export interface ColumnDriftOptions {
  /** Declared by the user; when absent the type is inferred from the values. */
  type?: ColumnType;
  /** When absent, STATS.md "Default method". */
  method?: DriftMethod;
  /** Bins of the binned numeric methods (default 10). */
  bins?: number;
  /** Verdict threshold (default: the method's threshold in STATS.md). */
  threshold?: number;
}

interface ResolvedColumn {
  type: ColumnType;
  numeric?: { reference: number[]; current: number[] };
  categorical?: { reference: string[]; current: string[] };
  distinct: number;
}

function parseAll(values: readonly RawValue[]): number[] | null {
  const parsed: number[] = [];
  for (const v of values) {
    const x = parseFinite(v);
    if (x === null) return null;
    parsed.push(x);
  }
  return parsed;
}

/**
 * Numeric when declared so, or (undeclared) when every value parses as a finite number and either
 * there are more than 5 distinct values or the named method only fits numeric columns. A numeric
 * column read as categorical uses the canonical number text, so "1" and "1.0" are one category.
 */
function resolveColumn(
  column: string,
  reference: readonly RawValue[],
  current: readonly RawValue[],
  options: ColumnDriftOptions,
): ResolvedColumn {
  const asLabels = (values: readonly RawValue[]) => values.map(asCategory);
  if (options.type === 'categorical') {
    const labels = { reference: asLabels(reference), current: asLabels(current) };
    return {
      type: 'categorical',
      categorical: labels,
      distinct: new Set([...labels.reference, ...labels.current]).size,
    };
  }
  const r = parseAll(reference);
  const c = parseAll(current);
  if (r === null || c === null) {
    if (options.type === 'numeric') {
      const bad = [...reference, ...current].find((v) => parseFinite(v) === null);
      throw new StatsInputError(
        `column "${column}" is declared numeric but holds the value "${String(bad)}"`,
      );
    }
    return resolveColumn(column, reference, current, { ...options, type: 'categorical' });
  }
  const distinct = new Set([...r, ...c]).size;
  const method = options.method;
  const numeric =
    options.type === 'numeric' ||
    (method !== undefined && !isCategoricalMethod(method)) ||
    (distinct > CATEGORICAL_MAX_DISTINCT && (method === undefined || isNumericMethod(method)));
  if (numeric) return { type: 'numeric', numeric: { reference: r, current: c }, distinct };
  return { type: 'categorical', categorical: { reference: r.map(String), current: c.map(String) }, distinct };
}

/** Throws `StatsInputError` for an empty current sample or a sample left empty without its missing values. */
export function requireSamples(
  column: string,
  currentLength: number,
  referencePresent: number,
  currentPresent: number,
): void {
  if (currentLength === 0) throw new StatsInputError(`column "${column}": the current sample is empty`);
  if (referencePresent === 0)
    throw new StatsInputError(`column "${column}": no reference value left after removing missing values`);
  if (currentPresent === 0)
    throw new StatsInputError(`column "${column}": no current value left after removing missing values`);
}

/**
 * Drift of one column between a reference sample R and a current sample C (STATS.md). Missing
 * values are left out and reported as the current `missingShare`; the type is declared or
 * inferred, the method named or the default one. Throws `StatsInputError` on an empty sample
 * (after removing missing values) or a method that does not fit the column type.
 */
export function columnDrift(
  column: string,
  reference: readonly RawValue[],
  current: readonly RawValue[],
  options: ColumnDriftOptions = {},
): ColumnDrift {
  const r = presentValues(reference);
  const c = presentValues(current);
  requireSamples(column, current.length, r.present.length, c.present.length);
  const resolved = resolveColumn(column, r.present, c.present, options);
  const method = options.method ?? defaultMethod(resolved.type, r.present.length, resolved.distinct);
  if (!methodFits(method, resolved.type)) {
    throw new StatsInputError(
      `column "${column}": method "${method}" does not fit a ${resolved.type} column`,
    );
  }
  const outcome = withColumnName(column, () => methodOutcome(method, resolved, options.bins ?? DEFAULT_BINS));
  const verdict = driftVerdict(
    method,
    outcome.statistic,
    outcome.pValue,
    options.threshold ?? DEFAULT_THRESHOLDS[method],
  );
  return {
    column,
    type: resolved.type,
    ...verdict,
    missingShare: c.missing / current.length,
  };
}

function methodOutcome(method: DriftMethod, resolved: ResolvedColumn, bins: number) {
  if (resolved.numeric && isNumericMethod(method)) {
    return numericMethodOutcome(method, resolved.numeric.reference, resolved.numeric.current, bins);
  }
  if (resolved.categorical && isCategoricalMethod(method)) {
    return categoricalMethodOutcome(method, resolved.categorical.reference, resolved.categorical.current);
  }
  throw new StatsInputError(`method "${method}" does not fit a ${resolved.type} column`);
}

/** Runs `compute`, naming the column in the StatsInputError it throws. */
export function withColumnName<T>(column: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof StatsInputError) throw new StatsInputError(`column "${column}": ${error.message}`);
    throw error;
  }
}
