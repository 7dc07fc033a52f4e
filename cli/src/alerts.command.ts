import { API_OPTIONS, API_OPTIONS_USAGE, apiTarget } from './api.options';
import { listAll } from './api.reader';
import { CliError } from './cli.error';
import { integerFlag, parseFlags } from './cli.flags';
import { EXIT_OK, type CliIo, type Command } from './cli.io';
import { table } from './table.format';

export const ALERTS_USAGE = `Usage: driftline alerts [--model ID] [--state firing|resolved] [--limit N] [--api URL] [--key KEY] [--json]

Lists alerts, newest first (GET /v1/alerts, every page up to --limit).

  --model ID     only this model's
  --state S      firing or resolved
  --limit N      at most N alerts (default 100)
${API_OPTIONS_USAGE}
  --json         the alerts as the API returns them, with their evidence, a JSON array
  -h, --help     show this text

Exit codes: 0 listed; 2 bad flags; 3 the API refused the key, failed or cannot be reached.`;

const STATES = ['firing', 'resolved'];

function alertRow(a: Record<string, unknown>): unknown[] {
  return [
    a.alertId,
    a.status,
    a.severity,
    a.modelId,
    a.metric,
    a.feature,
    a.value,
    a.threshold,
    a.startsAt,
    a.endsAt,
  ];
}

/** `driftline alerts`: alerts as a table, or JSON. */
export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'list alerts, newest first, by model and state (a table, or --json)',
  usage: ALERTS_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values } = parseFlags(argv, {
      ...API_OPTIONS,
      model: { type: 'string' },
      state: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(`${ALERTS_USAGE}\n`);
      return EXIT_OK;
    }
    if (values.state !== undefined && !STATES.includes(values.state)) {
      throw new CliError(`--state is firing or resolved, got "${values.state}"`);
    }
    if (values.model === '') throw new CliError('--model is empty');
    const limit = values.limit === undefined ? 100 : integerFlag('--limit', values.limit, 1, 100_000);
    const query = {
      ...(values.model ? { modelId: values.model } : {}),
      ...(values.state ? { status: values.state } : {}),
    };
    const alerts = await listAll(apiTarget(values), '/v1/alerts', 'alerts', query, limit);
    const headers = [
      'ALERT',
      'STATE',
      'SEVERITY',
      'MODEL',
      'METRIC',
      'FEATURE',
      'VALUE',
      'THRESHOLD',
      'STARTED',
      'ENDED',
    ];
    io.stdout.write(
      values.json
        ? `${JSON.stringify(alerts, null, 2)}\n`
        : table(headers, alerts.map(alertRow), 'no alerts'),
    );
    return EXIT_OK;
  },
};
