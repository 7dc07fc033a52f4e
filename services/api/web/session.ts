/**
 * The API key of this browser tab: kept in sessionStorage (gone with the tab), sent only in the
 * Authorization header of /v1 requests, never in a URL.
 */
const KEY = 'driftline.apiKey';

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function logIn(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function logOut(): void {
  sessionStorage.removeItem(KEY);
}

/** A path of this app to return to after the login (never another origin). */
export function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')
    ? next
    : '/';
}
