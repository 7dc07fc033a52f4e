import type { WindowResult } from '@driftline/contracts';
import { API_OPTIONS, API_OPTIONS_USAGE, apiTarget } from './api.options';
import { listAll } from './api.reader';
import { CliError } from './cli.error';
import { integerFlag, parseFlags } from './cli.flags';
import { EXIT_OK, type CliIo, type Command } from './cli.io';
import { table } from './table.format';

export const WINDOWS_USAGE = `Usage: driftline windows MODEL [--limit N] [--from T] [--to T] [--api URL] [--key KEY] [--json]

Shows a model's latest evaluated windows, oldest first (GET /v1/models/MODEL/windows, every page):
events, drift share, dataset drift, the drifted columns and the labelled share.

  --limit N      the N latest windows (default 20)
  --from T       windows from this ISO 8601 time on, e.g. 2024-05-01T00:00:00Z
  --to T         windows up to this time
${API_OPTIONS_USAGE}
  --json         the windows as the API returns them, a JSON array
  -h, --help     show this text

Exit codes: 0 shown; 2 bad flags or an unknown model; 3 the API refused the key, failed or cannot
be reached.`;

function windowRow(w: WindowResult): unknown[] {
  const drifted = w.drift.columns.filter((c) => c.drifted).map((c) => c.column);
  return [
    w.windowStart,
    w.windowEnd,
    w.eventCount,
    w.lateEvents,
    w.drift.driftShare,
    w.drift.datasetDrift ? 'yes' : 'no',
    drifted.join(','),
    w.performance?.labelledShare,
  ];
}

/** `driftline windows MODEL`: a model's latest windows as a table, or JSON. */
export const windowsCommand: Command = {
  name: 'windows',
  summary: "show a model's latest evaluated windows (a table, or --json)",
  usage: WINDOWS_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...API_OPTIONS,
        limit: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    if (values.help) {
      io.stdout.write(`${WINDOWS_USAGE}\n`);
      return EXIT_OK;
    }
    if (positionals.length !== 1 || positionals[0] === '') {
      throw new CliError(`windows takes one model id; got ${positionals.length}`);
    }
    const [modelId] = positionals;
    const limit = values.limit === undefined ? 20 : integerFlag('--limit', values.limit, 1, 100_000);
    const query = { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) };
    const path = `/v1/models/${encodeURIComponent(modelId)}/windows`;
    const all = (await listAll(apiTarget(values), path, 'windows', query)) as unknown as WindowResult[];
    const latest = all
      .sort((a, b) => a.windowStart.localeCompare(b.windowStart) || a.windowEnd.localeCompare(b.windowEnd))
      .slice(-limit);
    const headers = ['START', 'END', 'EVENTS', 'LATE', 'DRIFT SHARE', 'DATASET DRIFT', 'DRIFTED', 'LABELLED'];
    io.stdout.write(
      values.json
        ? `${JSON.stringify(latest, null, 2)}\n`
        : table(headers, latest.map(windowRow), `model ${modelId} has no evaluated window`),
    );
    return EXIT_OK;
  },
};
