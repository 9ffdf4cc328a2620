/**
 * Records the expected results of the .slt corpus from a real PostgreSQL 15.
 *
 *   npm run record                      every file in test/sql
 *   npm run record -- select.slt ...    only these files (names in test/sql, or paths)
 *   npm run record -- --check           report files whose recorded results differ; write nothing
 *   npm run record -- --update-types    also rewrite query type letters to PostgreSQL's types
 *
 * Needs Debian's postgresql-15 package (POSTGRES_BIN_DIR points elsewhere); as root it runs
 * PostgreSQL as the `postgres` OS user. Each file runs in a fresh database of a throwaway server
 * (C locale, UTF8, TimeZone UTC, fsync off). The rows of every query record are rewritten with
 * what PostgreSQL printed; everything else in the file stays as written. A `statement ok` that
 * fails, a `statement error` that succeeds or fails with another SQLSTATE, or a query that fails
 * is reported, the file is left unchanged, and the exit code is 1.
 *
 * To add a test: write the record without results (the SQL, no `----`), run `npm run record --
 * <file>`, and review the diff like any code change.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { startPostgres } from '../support/postgres.js';
import { repoRoot } from '../support/server.js';
import { openPostgresTarget } from '../support/slt-targets.js';
import { recordFile } from './postgres-recording.js';

const sqlDir = join(repoRoot, 'test', 'sql');
const queryTimeoutMs = 60_000;

function resolveFile(argument: string): string {
  if (existsSync(argument)) return resolve(argument);
  const inCorpus = join(sqlDir, argument.endsWith('.slt') ? argument : `${argument}.slt`);
  if (existsSync(inCorpus)) return inCorpus;
  throw new Error(`no such .slt file: ${argument}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = new Set(argv.filter((argument) => argument.startsWith('--')));
  for (const flag of flags) if (flag !== '--check' && flag !== '--update-types') throw new Error(`unknown option ${flag}`);
  const named = argv.filter((argument) => !argument.startsWith('--'));
  const files =
    named.length > 0
      ? named.map(resolveFile)
      : readdirSync(sqlDir)
          .filter((name) => name.endsWith('.slt'))
          .sort()
          .map((name) => join(sqlDir, name));
  const check = flags.has('--check');
  const postgres = await startPostgres();
  let failed = false;
  try {
    for (const path of files) {
      const name = basename(path);
      const text = readFileSync(path, 'utf8');
      const target = await openPostgresTarget(postgres, queryTimeoutMs);
      let recording;
      try {
        recording = await recordFile(text, name, target, { updateTypes: flags.has('--update-types') });
      } finally {
        await target.close();
      }
      if (recording.problems.length > 0) {
        failed = true;
        console.error(`${name}: ${recording.problems.length} problem(s), file left unchanged`);
        for (const problem of recording.problems) console.error(`  ${problem}`);
        continue;
      }
      const changed = recording.text !== text;
      if (check && changed) failed = true;
      if (!check && changed) writeFileSync(path, recording.text);
      const state = changed ? (check ? 'OUT OF DATE' : 'rewritten') : 'unchanged';
      console.log(`${name}: ${recording.queries} queries recorded, ${state}`);
    }
  } finally {
    await postgres.stop();
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
