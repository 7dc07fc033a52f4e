import type { ModelSpec } from '@driftline/contracts';
import { isMissing, parseFinite } from '@driftline/stats';
import { OUTPUT_COLUMNS } from './reference-models.fit';
import { ReferenceRowError, type ReferenceRow } from './reference-rows.reader';

/** Rejects a value the profile could not take: a non-number in a declared numeric feature, a score outside [0, 1]. */
export function checkReferenceRow(spec: ModelSpec, row: ReferenceRow): void {
  for (const [name, type] of Object.entries(spec.features ?? {})) {
    const value = row.values[name];
    if (type === 'numeric' && !isMissing(value) && parseFinite(value) === null) {
      throw new ReferenceRowError(
        row.line,
        `line ${row.line}: feature "${name}" is declared numeric but holds ${JSON.stringify(value)}`,
      );
    }
  }
  const score = row.values[OUTPUT_COLUMNS.score];
  if (isMissing(score)) return;
  const value = parseFinite(score);
  if (value === null || value < 0 || value > 1) {
    throw new ReferenceRowError(
      row.line,
      `line ${row.line}: score must be a probability in [0, 1], got ${JSON.stringify(score)}`,
    );
  }
}
