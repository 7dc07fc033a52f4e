import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Bundles the dashboard (services/api/web, TypeScript and CSS with uPlot) into
 * dist/services/api/web: app.js, app.css and index.html, which the api serves at `/`.
 * Run by `npm run build` after tsc has type-checked it (services/api/web/tsconfig.json).
 */
const ROOT = resolve(__dirname, '..', '..');
const SOURCE = join(ROOT, 'services/api/web');
const OUT = join(ROOT, 'dist/services/api/web');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: { app: join(SOURCE, 'main.ts') },
    outdir: OUT,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: join(SOURCE, 'tsconfig.json'),
  });
  copyFileSync(join(SOURCE, 'index.html'), join(OUT, 'index.html'));
}

main().catch((error: unknown) => {
  console.error(`build-dashboard: ${(error as Error).message}`);
  process.exit(1);
});
