/** A problem with the user's input (flags, files, data): printed as one line, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The API or Kafka refused or failed, not the input: one line, exit code 3. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
}

/** The message of anything thrown (errors from node's own modules may come from another realm under test runners). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
