import { join } from 'node:path';
import { StatsInputError } from '@driftline/stats';
import { CliError, messageOf, RemoteError } from './cli.error';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_REMOTE, type CliIo, type Command } from './cli.io';
import { alertsCommand } from './alerts.command';
import { modelsCommand } from './models.command';
import { referenceCommand } from './reference.command';
import { replayCommand } from './replay.command';
import { reportCommand } from './report.command';
import { windowsCommand } from './windows.command';

/** Every command of `driftline`; a new command is one file and one entry here. */
const COMMANDS: readonly Command[] = [
  reportCommand,
  referenceCommand,
  replayCommand,
  modelsCommand,
  alertsCommand,
  windowsCommand,
];

const USAGE = `Usage: driftline <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

"driftline <command> --help" shows a command's options.`;

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

function fail(error: unknown, io: CliIo): number {
  if (error instanceof CliError || error instanceof StatsInputError) {
    io.stderr.write(`driftline: ${firstLine(error.message)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof RemoteError) {
    io.stderr.write(`driftline: ${firstLine(error.message)}\n`);
    return EXIT_REMOTE;
  }
  io.stderr.write(`driftline: internal error: ${firstLine(messageOf(error))}\n`);
  if (process.env.DRIFTLINE_DEBUG && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  return EXIT_INTERNAL;
}

/** Runs `driftline` with these arguments and returns its exit code; bad input is one line on stderr, never a stack. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(`${USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(
      `driftline: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`,
    );
    return EXIT_BAD_INPUT;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return fail(error, io);
  }
}

function startedAsProgram(): boolean {
  return require.main === module || (require.main?.filename ?? '').endsWith(join('bin', 'driftline.js'));
}

if (startedAsProgram()) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  // For benchmarks where /usr/bin/time is missing: the peak resident set size, on stderr.
  if (process.env.DRIFTLINE_PEAK_RSS) {
    process.on('exit', () =>
      process.stderr.write(`driftline: peak RSS ${process.resourceUsage().maxRSS} kB\n`),
    );
  }
  void main(process.argv.slice(2), process).then((code) => {
    process.exitCode = code;
  });
}
