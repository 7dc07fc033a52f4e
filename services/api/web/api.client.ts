import { apiKey, logOut } from './session';

/** An answer of the API in its error shape (`{ "error": { "code", "message" } }`). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The key was refused: the app has gone back to the login, which returns to the page asked for. */
export class LoggedOut extends Error {}

type OnLoggedOut = () => void;
let onLoggedOut: OnLoggedOut = () => undefined;

export function whenLoggedOut(handler: OnLoggedOut): void {
  onLoggedOut = handler;
}

export function authHeaders(key: string | null = apiKey()): Record<string, string> {
  return key === null ? {} : { authorization: `Bearer ${key}` };
}

async function failure(response: Response): Promise<ApiFailure> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    const code = body.error?.code ?? `http_${response.status}`;
    return new ApiFailure(response.status, code, body.error?.message ?? response.statusText);
  } catch {
    return new ApiFailure(response.status, `http_${response.status}`, response.statusText);
  }
}

/** GET a /v1 path with the session's key; a 401 logs out (back to the login). */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json', ...authHeaders() } });
  if (response.status === 401) {
    logOut();
    onLoggedOut();
    throw new LoggedOut('the API key was refused');
  }
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** The same GET, or null on a 404 with the given code (a model with no window yet, ...). */
export async function getJsonOrNull<T>(path: string, code: string): Promise<T | null> {
  try {
    return await getJson<T>(path);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404 && error.code === code) return null;
    throw error;
  }
}

/** The items of a list answer, a bare array or a page (`{ [key]: [...], nextCursor }`). */
export function itemsOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const items = (body as Record<string, unknown> | null)?.[key];
  return Array.isArray(items) ? (items as T[]) : [];
}

/** Pages followed at most by {@link allItems}. */
const MAX_PAGES = 20;

/** Every item of a list, following `nextCursor` while the API pages it. */
export async function allItems<T>(path: string, key: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < MAX_PAGES; n++) {
    const url: string =
      cursor === null ? path : `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
    const body = await getJson<unknown>(url);
    items.push(...itemsOf<T>(body, key));
    const next = Array.isArray(body) ? null : (body as { nextCursor?: unknown }).nextCursor;
    if (typeof next !== 'string' || next === '') break;
    cursor = next;
  }
  return items;
}

/** A path with its query, the values encoded; undefined values are left out. */
export function pathOf(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
