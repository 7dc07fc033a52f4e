/** TypeORM's query() answers an UPDATE/DELETE … RETURNING with [rows, affectedCount], an INSERT or SELECT with rows. */
export function returnedRows<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}
