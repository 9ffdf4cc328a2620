/**
 * Randomized differential test: a generated table and generated queries, run on a fresh Eventide
 * server and on a throwaway PostgreSQL 15, which must agree (types, rows, or SQLSTATE).
 *
 *   DIFF_SEED=12345      the seed (default a fixed one, so CI is repeatable); DIFF_SEED=random for a new one
 *   DIFF_QUERIES=5000    how many queries (default 1000: about 10 s, a minute on a busy machine)
 *   DIFF_TABLES=3        how many generated tables, each with its own share of the queries (default 3)
 *   DIFF_VERBOSE=1       print every query with PostgreSQL's outcome (row count or SQLSTATE)
 *   DIFF_NAMES=0         do not compare output column names
 *
 * Skipped, with a message, when PostgreSQL's binaries are not installed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultPostgresBinDir, postgresClientConfig, startPostgres, type RunningPostgres } from '../support/postgres.js';
import { clientConfig, removeDir, startServer, type RunningServer } from '../support/server.js';
import { describeMismatch, differenceOf } from './compare-outcomes.js';
import { QueryGenerator } from './query-generator.js';
import { WindowGenerator } from './window-generator.js';
import { Random } from '../support/random.js';
import { generateTable } from './table-generator.js';
import { WireSession } from './wire-session.js';

const fixedSeed = 20_241_123;
const seedSetting = process.env['DIFF_SEED'];
const seed = seedSetting === 'random' ? Math.floor(Math.random() * 2 ** 31) : seedSetting === undefined ? fixedSeed : Number(seedSetting);
const queryCount = Number(process.env['DIFF_QUERIES'] ?? 1000);
const tableCount = Number(process.env['DIFF_TABLES'] ?? 3);
/** Share of the queries that are window queries (DIFF_WINDOWS=1 for only those). */
const windowShare = Number(process.env['DIFF_WINDOWS'] ?? 0.15);
if (!Number.isInteger(seed) || !Number.isInteger(queryCount) || !Number.isInteger(tableCount) || tableCount < 1) {
  throw new Error('DIFF_SEED must be an integer or "random"; DIFF_QUERIES and DIFF_TABLES positive integers');
}
/** Mismatches listed in full before the test stops looking. */
const maxReportedMismatches = 10;
const queryTimeoutMs = 20_000;
const verbose = process.env['DIFF_VERBOSE'] === '1';
/** Output column names are compared too (PostgreSQL's FigureColname); DIFF_NAMES=0 turns it off. */
const compareNames = process.env['DIFF_NAMES'] !== '0';

const binDir = process.env['POSTGRES_BIN_DIR'] ?? defaultPostgresBinDir;
const postgresInstalled = existsSync(join(binDir, 'postgres')) && existsSync(join(binDir, 'initdb'));
if (!postgresInstalled) console.warn(`differential test skipped: PostgreSQL 15 not found in ${binDir} (set POSTGRES_BIN_DIR)`);

describe.skipIf(!postgresInstalled)('differential: generated queries against PostgreSQL 15', () => {
  let server: RunningServer | undefined;
  let postgres: RunningPostgres | undefined;
  let eventide: WireSession | undefined;
  let reference: WireSession | undefined;

  beforeAll(async () => {
    [server, postgres] = await Promise.all([startServer(), startPostgres()]);
    eventide = await WireSession.open(clientConfig(server), queryTimeoutMs);
    reference = await WireSession.open(postgresClientConfig(postgres), queryTimeoutMs);
    for (const session of [eventide, reference]) await session.run(`SET TimeZone = 'UTC'`);
  });

  afterAll(async () => {
    await eventide?.close();
    await reference?.close();
    await Promise.all([server?.stop(), postgres?.stop()]);
    if (server !== undefined) removeDir(server.dataDir);
  });

  test(`seed ${seed}, ${queryCount} queries over ${tableCount} tables`, { timeout: Math.max(120_000, queryCount * 400) }, async () => {
    console.log(`differential: seed ${seed} (rerun with DIFF_SEED=${seed} DIFF_QUERIES=${queryCount} DIFF_TABLES=${tableCount})`);
    const random = new Random(seed);
    const mismatches: string[] = [];
    let index = 0;
    let bothFailed = 0;
    for (let tableIndex = 0; tableIndex < tableCount; tableIndex++) {
      const table = generateTable(random, `diff_t${tableIndex}`);
      for (const statement of table.statements) {
        const [left, right] = [await eventide!.run(statement), await reference!.run(statement)];
        const why = differenceOf(left, right, false, false);
        if (why !== null) throw new Error(`loading the table failed:\n${describeMismatch(seed, -1, statement, why, left, right)}`);
      }
      const queries = new QueryGenerator(random, table);
      const windows = new WindowGenerator(random, table);
      const share = Math.ceil(queryCount / tableCount);
      for (let i = 0; i < share && index < queryCount && mismatches.length < maxReportedMismatches; i++, index++) {
        const query = random.chance(windowShare) ? windows.next() : queries.next();
        const left = await eventide!.run(query.sql);
        const right = await reference!.run(query.sql);
        const why = differenceOf(left, right, query.ordered, compareNames);
        if (left.kind === 'error' && right.kind === 'error') bothFailed++;
        if (verbose) console.log(`${index}: ${right.kind === 'error' ? `ERROR ${right.code} ${right.message}` : `${right.rows.length} rows`}\n  ${query.sql}`);
        if (why !== null) mismatches.push(`${table.statements[0]}\n${describeMismatch(seed, index, query.sql, why, left, right)}`);
      }
    }
    console.log(`differential: ${index} queries, ${bothFailed} failed on both sides with the same SQLSTATE, ${mismatches.length} mismatches`);
    if (mismatches.length > 0) console.error(mismatches.join('\n\n'));
    expect(mismatches).toEqual([]);
  });
});
