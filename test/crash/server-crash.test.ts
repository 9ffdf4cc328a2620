/**
 * Kill -9 the real server while clients write, restart it on the same data directory, and check
 * that every acknowledged batch is there in full and no batch is there in part (see
 * test/support/crash-ledger.ts for the exact rules). CHECKPOINTs run at random moments, and some
 * kills are aimed just after one, so they land during flushes. Data accumulates over the rounds,
 * so recovery also replays on top of earlier recoveries.
 *
 * CRASH_ROUNDS=<n> runs more rounds; CRASH_SEED=<n> replays a run, CRASH_SEED=random draws a seed.
 * The seed is printed when the test fails.
 */
import pg from 'pg';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { runDdl, verifyDdl, type DdlEntry } from '../support/crash-ddl.js';
import { CrashLedger } from '../support/crash-ledger.js';
import { Random, crashSeed } from '../support/crash-random.js';
import {
  crashDdl,
  crashTables,
  observeBatches,
  runCheckpointer,
  runWriter,
  type ClientSettings,
  type RoundControl,
  type WriterState,
} from '../support/crash-workload.js';
import { clientConfig, removeDir, startServer, tempDataDir, type RunningServer } from '../support/server.js';

const rounds = Number(process.env.CRASH_ROUNDS ?? '20');
const seed = crashSeed(20_261_123);
const writerCount = 4;
const verbose = process.env.CRASH_VERBOSE === '1';

/**
 * Server flags for the next run: the defaults, or a tail flushed into segments after a few hundred
 * rows or every few tens of milliseconds, so that background flushes run during the writes too.
 */
function flushArgs(random: Random): string[] {
  const roll = random.next();
  if (roll < 0.34) return [];
  if (roll < 0.67) return ['--flush-rows', String(random.int(200, 5_000))];
  return ['--flush-interval-ms', String(random.int(20, 300))];
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

describe('crash: SIGKILL during writes and checkpoints', () => {
  const dataDir = tempDataDir('eventide-crash-');
  let server: RunningServer | null = null;
  let passed = false;

  afterAll(async () => {
    await server?.kill();
    // Keep the data directory of a failed run for inspection.
    if (passed) removeDir(dataDir);
    else console.error(`crash test data directory kept: ${dataDir}`);
  });

  it(`loses no acknowledged batch and applies none in part over ${rounds} kills (seed ${seed})`, async () => {
    onTestFailed(() => {
      console.error(`crash test failed with seed ${seed}: replay with CRASH_SEED=${seed} CRASH_ROUNDS=${rounds}`);
    });
    const random = new Random(seed);
    const ledger = new CrashLedger();
    const writers: WriterState[] = Array.from({ length: writerCount }, (_, writer) => ({ writer, nextBatch: 0 }));
    const ddl: DdlEntry[] = [];
    const stats = { acked: 0, checkpoints: 0, killsAfterCheckpoint: 0 };

    const verify = async (settings: ClientSettings, when: string) => {
      const { observed, problems } = await observeBatches(settings, crashTables);
      const violations = [...problems, ...ledger.verify(crashTables, observed), ...(await verifyDdl(settings, ddl))];
      expect(violations, `after ${when} (seed ${seed}, server output:\n${server?.output() ?? ''})`).toEqual([]);
    };

    server = await startServer({ dataDir, args: flushArgs(random) });
    const setup = new pg.Client(clientConfig(server));
    await setup.connect();
    for (const ddl of crashDdl) await setup.query(ddl);
    await setup.end();

    for (let round = 0; round < rounds; round++) {
      const settings = clientConfig(server);
      const control: RoundControl = { round, stopped: false, unexpected: [] };
      const roundRandom = random.fork(round);
      const work = [
        ...writers.map((state) => runWriter(settings, state, ledger, control, roundRandom.fork(state.writer))),
        runCheckpointer(settings, control, roundRandom.fork(1_000)),
      ];
      const catalogWork = runDdl(settings, control, roundRandom.fork(2_000), ddl);

      // Kill at a random moment; about a third of the time just after a CHECKPOINT goes out.
      const killAtMs = roundRandom.int(100, 1_500);
      if (roundRandom.chance(0.35)) {
        const delayMs = roundRandom.int(0, 15);
        const afterCheckpoint = new Promise<void>((resolveCheckpoint) => {
          control.onCheckpoint = () => {
            control.onCheckpoint = undefined;
            resolveCheckpoint();
          };
        });
        await sleep(killAtMs / 2);
        await Promise.race([afterCheckpoint, sleep(killAtMs)]);
        await sleep(delayMs);
        stats.killsAfterCheckpoint++;
      } else {
        await sleep(killAtMs);
      }
      // Stopped first, so that failures caused by the kill are not taken for errors.
      control.stopped = true;
      await server.kill();
      const results = await Promise.all(work);
      await catalogWork;
      stats.acked += results.slice(0, writerCount).reduce((a, b) => a + b, 0);
      stats.checkpoints += results.at(-1) ?? 0;
      if (verbose) console.log(`round ${round} (${server.process.spawnargs.slice(8).join(' ') || 'default flushing'}): killed at ${killAtMs} ms, acknowledged ${results.join(' ')} (writers, then checkpoints)`);
      expect(control.unexpected, `round ${round} (seed ${seed})`).toEqual([]);

      server = await startServer({ dataDir, args: flushArgs(random) });
      await verify(clientConfig(server), `the kill of round ${round}`);
    }

    // A clean stop and start must hold the same.
    await server.stop();
    server = await startServer({ dataDir });
    await verify(clientConfig(server), 'a clean restart');
    await server.stop();
    server = null;

    const counts = ledger.counts();
    console.log(
      `crash test: seed ${seed}, ${rounds} kills, ${stats.acked} batches acknowledged, ${counts.acked} present, ` +
        `${counts.absent} unacknowledged and absent, ${stats.checkpoints} checkpoints, ${stats.killsAfterCheckpoint} kills just after one, ` +
        `${ddl.length} tables created (${ddl.filter((e) => e.dropped === 'acked').length} dropped)`,
    );
    // The test must have exercised something: writes acknowledged in most rounds, checkpoints done.
    expect(stats.acked).toBeGreaterThan(rounds * 5);
    expect(stats.checkpoints).toBeGreaterThan(0);
    expect(ddl.filter((e) => e.created === 'acked').length).toBeGreaterThan(0);
    passed = true;
  }, 600_000);
});
