import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The UCI bike-sharing hourly data (CC BY 4.0, attribution in data/README.md), from the repo root. */
export const BIKE_SHARING_CSV = 'data/bike-sharing-hour.csv';

/**
 * The absolute path of a file of the repository, given from its root: found by walking up from this
 * module, so the same call works from the sources, from dist/ and in the Docker image (/app).
 */
export function repoFile(path: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${path} not found in any folder above ${__dirname}`);
  }
}

/** The repository's copy of the bike-sharing CSV. */
export function bikeSharingCsv(): string {
  return repoFile(BIKE_SHARING_CSV);
}
