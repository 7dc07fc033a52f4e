import { StatsInputError } from '../drift/stats-input.error';

/** Throws unless there is at least one row and every given column has as many rows as the target. */
export function checkRows(
  kind: string,
  target: { length: number },
  columns: Record<string, { length: number } | undefined>,
): void {
  if (target.length === 0) throw new StatsInputError(`${kind} metrics need at least one row`);
  for (const [name, column] of Object.entries(columns)) {
    if (column !== undefined && column.length !== target.length) {
      throw new StatsInputError(`target has ${target.length} rows but ${name} has ${column.length}`);
    }
  }
}
