import { ApiFailure, LoggedOut } from './api.client';
import { h } from './dom';
import { apiKey } from './session';

/** What a page gets: the path's parameters and the query. */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Page = (root: HTMLElement, context: PageContext) => Promise<void>;

interface Route {
  pattern: RegExp;
  keys: string[];
  page: Page;
  /** Pages anyone may open (the login). */
  open: boolean;
}

const routes: Route[] = [];

/** Registers a page at a path like `/models/:modelId`. */
export function route(path: string, page: Page, open = false): void {
  const keys: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  routes.push({ pattern: new RegExp(`^${source}/?$`), keys, page, open });
}

function match(pathname: string): { route: Route; params: Record<string, string> } | null {
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (m !== null) {
      const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
      return { route: r, params };
    }
  }
  return null;
}

let root: HTMLElement;

/** The login, asked to return to the page open now. */
export function toLogin(reason?: string): void {
  // a page's parallel requests may each be refused: the first sends the tab to the login
  if (location.pathname === '/login') return;
  const next = `${location.pathname}${location.search}${location.hash}`;
  const query = new URLSearchParams({ next });
  if (reason !== undefined) query.set('reason', reason);
  navigate(`/login?${query.toString()}`, true);
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

function errorBox(error: unknown): HTMLElement {
  const text =
    error instanceof ApiFailure
      ? `${error.message} (${error.status} ${error.code})`
      : String((error as Error)?.message ?? error);
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Could not load this page. '), text);
}

async function render(): Promise<void> {
  const found = match(location.pathname);
  if (found === null) {
    root.replaceChildren(
      h('div', { class: 'error' }, `No page at ${location.pathname}. `, h('a', { href: '/' }, 'Models')),
    );
    return;
  }
  if (!found.route.open && apiKey() === null) return toLogin();
  const page = h('div', { class: 'page', 'aria-busy': 'true' });
  root.replaceChildren(page);
  try {
    await found.route.page(page, { params: found.params, query: new URLSearchParams(location.search) });
    if (location.hash !== '')
      document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  } catch (error) {
    if (error instanceof LoggedOut) return;
    page.append(errorBox(error));
  } finally {
    page.setAttribute('aria-busy', 'false');
    page.dataset.loaded = 'true';
  }
}

/** Links within the app change the page without a reload. */
function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return;
  const link = (event.target as Element | null)?.closest('a');
  const href = link?.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//') || link?.getAttribute('target')) return;
  const url = new URL(href, location.origin);
  if (match(url.pathname) === null) return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}${url.hash}`);
}

export function startRouter(host: HTMLElement): void {
  root = host;
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => void render());
  void render();
}
