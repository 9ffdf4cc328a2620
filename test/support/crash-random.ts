/** The crash test's seed: fixed in CI, replayable from the printed seed, random when asked. */
export { Random } from './random.js';

/** CRASH_SEED=<n> replays a run, CRASH_SEED=random draws one; otherwise the fixed CI seed. */
export function crashSeed(fixedSeed: number): number {
  const given = process.env.CRASH_SEED;
  if (given === undefined || given === '') return fixedSeed;
  if (given === 'random') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isInteger(seed)) throw new Error(`CRASH_SEED must be an integer or "random", got ${given}`);
  return seed;
}
