/** A `psql ... -c "<sql>"` command of README.md: its connection flags and its SQL. */
export interface ReadmeQuery {
  /** The flags before `-c`, e.g. `-h 127.0.0.1 -U postgres -d driftline`. */
  connection: string;
  /** The quoted SQL as written. */
  sql: string;
}

/** Every psql command in the fenced shell blocks of `markdown` (the SQL may span lines). */
export function readmeQueries(markdown: string): ReadmeQuery[] {
  const blocks = [...markdown.matchAll(/^```(?:bash|sh)\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    [...block.replace(/\\\n/g, ' ').matchAll(/^psql ([^\n]*?) -c\s+"([^"]+)"/gm)].map(
      ([, connection, sql]) => ({
        connection: connection.trim(),
        sql: sql.trim(),
      }),
    ),
  );
}
