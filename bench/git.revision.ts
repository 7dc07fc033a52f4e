import { execFileSync } from 'node:child_process';

/** What a benchmark ran: the checkout's HEAD, and whether the sources it builds differed from it. */
export interface GitRevision {
  /** git rev-parse HEAD; null outside a git checkout. */
  commit: string | null;
  /** Uncommitted changes (tracked or untracked) under BUILT_PATHS; null outside a git checkout. */
  dirty: boolean | null;
  /** `git status --porcelain` lines of those changes (the tree is shared, so say which). */
  changes: string[];
}

/** What `npm run build` and the benchmarks compile and run. */
const BUILT_PATHS = [
  'services',
  'libs',
  'bench',
  'infra',
  'cli',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  // what the benchmarks write, not what they run
  ':(exclude)bench/*.json',
];

function git(repoRoot: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

export function gitRevision(repoRoot: string): GitRevision {
  const commit = git(repoRoot, ['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(repoRoot, ['status', '--porcelain', '--', ...BUILT_PATHS]);
  const changes = status ? status.split('\n') : [];
  return { commit, dirty: status === null ? null : changes.length > 0, changes };
}

/** "a141f2c" or "a141f2c (dirty: 3 files)", for a printed header. */
export function describeRevision(revision: GitRevision): string {
  const commit = revision.commit?.slice(0, 7) ?? 'unknown commit';
  return revision.dirty ? `${commit} (dirty: ${revision.changes.length} files)` : commit;
}
