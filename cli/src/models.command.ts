import { API_OPTIONS, API_OPTIONS_USAGE, apiTarget } from './api.options';
import { listAll } from './api.reader';
import { parseFlags } from './cli.flags';
import { EXIT_OK, type CliIo, type Command } from './cli.io';
import { table } from './table.format';

export const MODELS_USAGE = `Usage: driftline models [--api URL] [--key KEY] [--json]

Lists the registered models (GET /v1/models, every page): id, task, features, window.

${API_OPTIONS_USAGE}
  --json         the models as the API returns them, a JSON array
  -h, --help     show this text

Exit codes: 0 listed; 2 bad flags; 3 the API refused the key, failed or cannot be reached.`;

function modelRow(m: Record<string, unknown>): unknown[] {
  const window = (m.window ?? {}) as Record<string, unknown>;
  return [
    m.modelId,
    m.task,
    Object.keys((m.features ?? {}) as object).length,
    window.size,
    window.step,
    m.updatedAt,
  ];
}

/** `driftline models`: the registered models as a table, or JSON. */
export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the registered models (a table, or --json)',
  usage: MODELS_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values } = parseFlags(argv, {
      ...API_OPTIONS,
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(`${MODELS_USAGE}\n`);
      return EXIT_OK;
    }
    const models = await listAll(apiTarget(values), '/v1/models', 'models');
    io.stdout.write(
      values.json
        ? `${JSON.stringify(models, null, 2)}\n`
        : table(
            ['MODEL', 'TASK', 'FEATURES', 'WINDOW', 'STEP', 'UPDATED'],
            models.map(modelRow),
            'no models registered',
          ),
    );
    return EXIT_OK;
  },
};
