import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { describeHttpError } from '@driftline/client';
import { CliError, messageOf } from './cli.error';
import { EXIT_OK, type CliIo, type Command } from './cli.io';
import { API_OPTIONS, API_OPTIONS_USAGE, apiTarget } from './api.options';
import { formatBytes, UploadProgress } from './reference.progress';

export { DEFAULT_API_URL } from './api.options';

export const REFERENCE_USAGE = `Usage: driftline reference upload --model ID --file FILE [--api URL] [--key KEY]

Uploads a reference sample for a registered model (POST /v1/models/ID/reference). The file is
streamed, never read whole: CSV with a header row (.csv), or one JSON object per line (.ndjson,
.jsonl). Its columns are the features and optionally prediction, score and target.

  --model ID     the model (registered with POST /v1/models)
  --file FILE    the reference sample
${API_OPTIONS_USAGE}
  -h, --help     show this text

Prints the stored profile's summary (JSON) on standard output; on a terminal, standard error shows
the bytes sent. Exit codes: 0 stored; 2 bad input or an HTTP error, with one line on standard
error; 1 internal error.`;

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
};

export interface ReferenceUploadOptions {
  model: string;
  file: string;
  api: string;
  key: string | undefined;
  contentType: string;
}

export function parseReferenceOptions(argv: string[]): ReferenceUploadOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...API_OPTIONS,
        model: { type: 'string' },
        file: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(messageOf(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1 || positionals[0] !== 'upload') {
    throw new CliError(`reference takes one subcommand, upload; got "${positionals.join(' ')}"`);
  }
  if (values.model === undefined || values.model === '') throw new CliError('--model is required');
  if (values.file === undefined || values.file === '') throw new CliError('--file is required');
  const contentType = CONTENT_TYPES[extname(values.file).toLowerCase()];
  if (contentType === undefined) {
    throw new CliError(`cannot tell the format of ${values.file}: name it .csv, .ndjson or .jsonl`);
  }
  return { model: values.model, file: values.file, ...apiTarget(values), contentType };
}

async function sizeOf(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new CliError(`cannot read ${file}: it is a directory`);
    return info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? messageOf(error))}`,
    );
  }
}

async function* counted(file: string, progress: UploadProgress): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    progress.add(chunk.length);
    yield chunk;
  }
}

/** The one line an error answer becomes: status, code and message of the API's error shape. */
async function httpError(response: Response): Promise<CliError> {
  return new CliError(describeHttpError(response.status, await response.text()));
}

async function upload(options: ReferenceUploadOptions, io: CliIo): Promise<unknown> {
  const total = await sizeOf(options.file);
  const progress = new UploadProgress(io, total);
  const url = `${options.api}/v1/models/${encodeURIComponent(options.model)}/reference`;
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': options.contentType,
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      },
      body: counted(options.file, progress),
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `cannot reach the API at ${options.api}: ${cause?.code ?? cause?.message ?? messageOf(error)}`,
    );
  }
  if (response.status !== 201) throw await httpError(response);
  const body = (await response.json()) as { rows?: number };
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  progress.finish(
    `uploaded ${formatBytes(total)} (${body.rows ?? '?'} rows) to model ${options.model} in ${seconds} s`,
  );
  return body;
}

/** `driftline reference upload`: streams a reference file to the API and prints the stored profile's summary. */
export const referenceCommand: Command = {
  name: 'reference',
  summary: 'upload a reference sample (CSV or NDJSON) for a model to the Driftline API',
  usage: REFERENCE_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const options = parseReferenceOptions(argv);
    if (options === 'help') {
      io.stdout.write(`${REFERENCE_USAGE}\n`);
      return EXIT_OK;
    }
    const body = await upload(options, io);
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return EXIT_OK;
  },
};
