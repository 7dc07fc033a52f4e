import { CliError } from './cli.error';

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** Where the API is and the key to show it: --api/--key, else DRIFTLINE_API_URL/DRIFTLINE_API_KEY. */
export interface ApiTarget {
  api: string;
  key: string | undefined;
}

export const API_OPTIONS = {
  api: { type: 'string' },
  key: { type: 'string' },
} as const;

export const API_OPTIONS_USAGE = `  --api URL      the Driftline API (default $DRIFTLINE_API_URL, else ${DEFAULT_API_URL})
  --key KEY      an API key, sent as "Authorization: Bearer KEY" (default $DRIFTLINE_API_KEY)`;

export function apiTarget(
  values: { api?: string; key?: string },
  env: NodeJS.ProcessEnv = process.env,
): ApiTarget {
  const api = values.api ?? (env.DRIFTLINE_API_URL || DEFAULT_API_URL);
  if (!/^https?:\/\/[^/]/.test(api)) throw new CliError(`--api must be an http(s) URL, got "${api}"`);
  const key = values.key ?? (env.DRIFTLINE_API_KEY || undefined);
  if (key === '') throw new CliError('--key is empty');
  return { api: api.replace(/\/+$/, ''), key };
}
