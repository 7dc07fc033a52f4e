import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Expected figures of one method, computed with SciPy (the worked cases in ./oracle-examples). */
export interface OracleMethod {
  statistic: number | null;
  pValue?: number;
  drifted: boolean;
}

export interface OracleDriftCase {
  columns: Record<string, { type: 'numeric' | 'categorical'; methods: Record<string, OracleMethod> }>;
}

export type CsvTable = Record<string, string[]>;

const ROOT = join(__dirname, 'oracle-examples');

/** Test-only: reads one CSV of an oracle case into columns of raw cells. */
export function readOracleCsv(caseName: string, file: 'reference.csv' | 'current.csv'): CsvTable {
  const rows: Record<string, string>[] = parse(readFileSync(join(ROOT, caseName, file), 'utf8'), {
    columns: true,
  });
  const table: CsvTable = {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) (table[key] ??= []).push(value);
  }
  return table;
}

/** Test-only: the expected.json of an oracle case. */
export function readOracleExpected<T>(caseName: string): T {
  return JSON.parse(readFileSync(join(ROOT, caseName, 'expected.json'), 'utf8')) as T;
}

/** STATS.md agreement: statistic to 1e-9 relative; p to 1e-6 absolute or 1e-4 relative, whichever is looser. */
export function statisticAgrees(actual: number | null, expected: number | null): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), Number.MIN_VALUE);
}

export function pValueAgrees(actual: number | null, expected: number): boolean {
  if (actual === null) return false;
  const diff = Math.abs(actual - expected);
  return diff <= 1e-6 || diff <= 1e-4 * Math.abs(expected);
}
