/**
 * The sqllogictest corpus (test/sql/*.slt) under the configuration matrix: each file against a
 * fresh Eventide server, once per configuration, as its own test case, so a failure names both.
 *
 *   SLT_FILE=select.slt[,order.slt]  only these files
 *   SLT_LINE=120                     only the record at line 120 (after the statements before it)
 *   SLT_CONFIG=plain[,checkpoint]    only these configurations
 *   SLT_TARGET=postgres              run against a throwaway PostgreSQL 15 instead (proves the corpus)
 *   SLT_FAIL_FAST=1                  stop a file at its first mismatch
 *   SLT_DIR=sql-next                 read the pending corpus (test/sql-next) instead of test/sql
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startPostgres, type RunningPostgres } from './support/postgres.js';
import { parseSlt, type Target } from './support/slt-parser.js';
import { formatFailures, runSlt, sltConfigs, type SltConfig } from './support/slt-runner.js';
import { openEventideTarget, openPostgresTarget, type SltTarget } from './support/slt-targets.js';

const sqlDir = join(import.meta.dirname, process.env['SLT_DIR'] ?? 'sql');

/** Restarting after every statement is slow; these files cover persistence of every type and DDL. */
const restartFiles = new Set(['ddl.slt', 'insert.slt', 'types.slt', 'partitions.slt']);

const timeoutMsByConfig: Record<SltConfig, number> = { plain: 120_000, checkpoint: 240_000, restart: 600_000 };
const queryTimeoutMs = 30_000;

const target = (process.env['SLT_TARGET'] ?? 'eventide') as Target;
if (target !== 'eventide' && target !== 'postgres') throw new Error(`SLT_TARGET must be eventide or postgres, not ${target}`);
const listFilter = (name: string) => process.env[name]?.split(',').map((each) => each.trim()).filter((each) => each !== '');
const fileFilter = listFilter('SLT_FILE');
const configFilter = listFilter('SLT_CONFIG');
const onlyLine = process.env['SLT_LINE'] === undefined ? undefined : Number(process.env['SLT_LINE']);
if (onlyLine !== undefined && !(Number.isInteger(onlyLine) && onlyLine > 0)) throw new Error('SLT_LINE must be a line number');
const failFast = process.env['SLT_FAIL_FAST'] === '1';

const files = readdirSync(sqlDir)
  .filter((name) => name.endsWith('.slt'))
  .filter((name) => fileFilter === undefined || fileFilter.includes(name) || fileFilter.includes(name.replace(/\.slt$/, '')))
  .sort();
if (files.length === 0) throw new Error(`no .slt file matches SLT_FILE=${process.env['SLT_FILE']}`);

let postgres: RunningPostgres | undefined;
beforeAll(async () => {
  if (target === 'postgres') postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

async function openTarget(): Promise<SltTarget> {
  if (target === 'eventide') return openEventideTarget(queryTimeoutMs);
  if (postgres === undefined) throw new Error('postgres did not start');
  return openPostgresTarget(postgres, queryTimeoutMs);
}

for (const config of sltConfigs) {
  if (configFilter !== undefined && !configFilter.includes(config)) continue;
  describe(`${target} ${config}`, () => {
    for (const file of files) {
      if (config === 'restart' && !restartFiles.has(file)) continue;
      test(
        file,
        async () => {
          const records = parseSlt(readFileSync(join(sqlDir, file), 'utf8'), file);
          const opened = await openTarget();
          try {
            const outcome = await runSlt(records, file, opened, { config, onlyLine, failFast });
            if (outcome.failures.length > 0) throw new Error(formatFailures(outcome.failures, config, outcome));
          } finally {
            await opened.close();
          }
        },
        timeoutMsByConfig[config],
      );
    }
  });
}
