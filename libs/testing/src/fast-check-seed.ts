import fc from 'fast-check';

/**
 * Property tests draw their cases from one seed per run: FC_SEED when set ("random" for a fresh
 * one, printed on failure as usual), else a fixed seed, so a CI run replays the cases a developer
 * ran. Exploring new seeds is a loop away: `FC_SEED=random npx jest --selectProjects unit`.
 */
const raw = process.env.FC_SEED ?? '20261123';
if (raw !== 'random') {
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got "${raw}"`);
  fc.configureGlobal({ seed });
}
