import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where `npm run build` puts the dashboard (scripts/build-dashboard.ts): beside the api's compiled
 * sources, dist/services/api/web, holding index.html, app.js and app.css.
 */
export const DASHBOARD_DIR = resolve(__dirname, '../../web');

/** The files a browser may ask for under /assets/. */
export const DASHBOARD_ASSETS: ReadonlyMap<string, string> = new Map([
  ['app.js', 'application/javascript; charset=utf-8'],
  ['app.css', 'text/css; charset=utf-8'],
]);

export function dashboardBuilt(dir: string = DASHBOARD_DIR): boolean {
  return existsSync(join(dir, 'index.html'));
}
