import type { RawValue } from '../types';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Missing per STATS.md: null, undefined, NaN, an empty (or blank) cell, or the text "NaN". */
export function isMissing(value: RawValue): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' || text.toLowerCase() === 'nan';
  }
  return false;
}

/** The finite number a present value stands for, or null when it is not a finite decimal number. */
export function parseFinite(value: RawValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!DECIMAL.test(text)) return null;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A present value as a category label (categorical values are compared as strings). */
export function asCategory(value: RawValue): string {
  return String(value);
}

/** Values that are not missing, and how many were missing. */
export function presentValues(values: readonly RawValue[]): { present: RawValue[]; missing: number } {
  const present = values.filter((v) => !isMissing(v));
  return { present, missing: values.length - present.length };
}
