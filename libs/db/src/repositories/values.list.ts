/** Postgres takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 65_535;

/** One statement's share of the rows: its `VALUES` list and the parameters it numbers. */
export interface ValuesChunk {
  /** `($1, $2::json), ($3, $4::json)`: one tuple a row, each column cast as given. */
  values: string;
  parameters: unknown[];
}

/**
 * Rows as multi-row `VALUES` lists with one parameter a cell, split into as many statements as the
 * parameter limit needs. For large documents this beats `unnest` of array parameters: pg escapes
 * every quote of a document into an array literal, and Postgres parses the literal back.
 * `casts[i]` is column i's cast (`''` for none).
 */
export function valuesChunks(rows: readonly unknown[][], casts: readonly string[]): ValuesChunk[] {
  const width = casts.length;
  const perStatement = Math.floor(MAX_PARAMETERS / width);
  const chunks: ValuesChunk[] = [];
  for (let from = 0; from < rows.length; from += perStatement) {
    const part = rows.slice(from, from + perStatement);
    const tuples = part.map((row, r) => {
      if (row.length !== width) throw new Error(`a row of ${row.length} cells for ${width} columns`);
      return `(${casts.map((cast, c) => `$${r * width + c + 1}${cast === '' ? '' : `::${cast}`}`).join(', ')})`;
    });
    chunks.push({ values: tuples.join(', '), parameters: part.flat() });
  }
  return chunks;
}
