/** What a command may touch of the process, injected so commands run in-process in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** A command of `driftline`: it returns its exit code and throws `CliError` on bad input. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
/** The API or broker refused (401, 403) or failed (5xx, unreachable, events not delivered). */
export const EXIT_REMOTE = 3;
