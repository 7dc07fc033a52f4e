import { describeHttpError, unreachable } from '@driftline/client';
import { CliError, RemoteError } from './cli.error';
import type { ApiTarget } from './api.options';

/** A refused key or a failing server is the API's problem (exit 3); any other 4xx is the input's (exit 2). */
function answerError(status: number, text: string): Error {
  const line = describeHttpError(status, text);
  return status === 401 || status === 403 || status === 429 || status >= 500
    ? new RemoteError(line)
    : new CliError(line);
}

/** GET `path` with the key, as JSON. */
export async function getJson(
  target: ApiTarget,
  path: string,
  query: Record<string, string> = {},
): Promise<unknown> {
  const search = new URLSearchParams(query).toString();
  const url = `${target.api}${path}${search === '' ? '' : `?${search}`}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(target.key ? { authorization: `Bearer ${target.key}` } : {}),
      },
    });
  } catch (error) {
    throw new RemoteError(unreachable(`the API at ${target.api}`, error));
  }
  const text = await response.text();
  if (!response.ok) throw answerError(response.status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RemoteError(`GET ${path} answered ${response.status} with something that is not JSON`);
  }
}

/**
 * Every item of a list endpoint, `field` of each page (or the page itself when it is an array),
 * following `nextCursor` until it is null or `max` items are read.
 */
export async function listAll(
  target: ApiTarget,
  path: string,
  field: string,
  query: Record<string, string> = {},
  max = Number.POSITIVE_INFINITY,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const limit = String(Math.min(1000, max - items.length));
    const page = (await getJson(target, path, { ...query, limit, ...(cursor ? { cursor } : {}) })) as
      Record<string, unknown> | unknown[];
    const list = Array.isArray(page) ? page : page[field];
    if (!Array.isArray(list)) throw new RemoteError(`GET ${path} answered without a "${field}" list`);
    items.push(...(list as Record<string, unknown>[]));
    const next = Array.isArray(page) ? null : page.nextCursor;
    cursor = typeof next === 'string' && next !== '' ? next : null;
  } while (cursor !== null && items.length < max);
  return items.slice(0, max);
}
