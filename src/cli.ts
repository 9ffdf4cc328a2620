#!/usr/bin/env node
/**
 * The eventide command: `eventide [start] [--host H] [--port P] [--data-dir D]` runs the server.
 * Options fall back to EVENTIDE_HOST, EVENTIDE_PORT, EVENTIDE_DATA_DIR, then 127.0.0.1:5432 and
 * ./data. Prints one line saying where it listens and where its data lives.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { blockCache } from '../storage/block-cache.js';
import { Database } from '../storage/database.js';
import { toDbError } from '../storage/errors.js';
import { startHttp } from './http/http-start.js';
import { runLoad } from './load-command.js';
import { PgServer } from './server/server.js';
import { SqlEngine } from './sql/engine.js';

const usage = `usage: eventide [start] [options]

options:
  --host HOST          address to listen on (EVENTIDE_HOST, default 127.0.0.1)
  --port PORT          port to listen on (EVENTIDE_PORT, default 5432)
  --data-dir DIR       data directory (EVENTIDE_DATA_DIR, default ./data)
  --flush-rows N       tail rows that trigger a flush into segments (default 1000000)
  --flush-mb N         tail size in MiB (as written to the WAL) that triggers a flush (default
                       256); commits wait for the running flush at twice the rows or the size
  --flush-interval-ms N  flush the tail at least this often (default 30000; 0 = only by size)
  --batch-rows N       rows per batch inside the engine (default 65536)
  --block-rows N       rows per block inside a segment (default 65536)
  --workers N          worker threads for parallel aggregates (EVENTIDE_WORKERS, default one per
                       core besides the main thread's; 0 runs every query on the main thread)
  --parallel-min-rows N  segment rows a query must read to use the workers (default 100000)
  --block-cache-mb N   memory for decoded segment blocks kept between queries (default a quarter
                       of memory, at most 2048 and a quarter of the JS heap limit; 0 = off)
  --http-port PORT     HTTP ingest port on the same host (EVENTIDE_HTTP_PORT, default 8432; 0 picks
                       a free port; off disables it)
  --http-max-body-mb N largest HTTP request body (default 64)

       eventide load FILE --table T [--host H] [--http-port P] [--batch-rows N]
                       streams a JSON-lines file (- for stdin) to a running server (eventide load -h)
  -h, --help           show this help`;

function fail(message: string): never {
  process.stderr.write(`eventide: ${message}\n`);
  process.exit(1);
}

function nonNegativeInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || text.trim() === '') fail(`${name} must be a non-negative integer, not "${text}"`);
  return n;
}

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a positive integer, not "${text}"`);
  return n;
}

function megabytes(mb: number | undefined): number | undefined {
  return mb === undefined ? undefined : mb * 2 ** 20;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'load') process.exit(await runLoad(process.argv.slice(3)));
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'flush-rows': { type: 'string' },
        'flush-mb': { type: 'string' },
        'flush-interval-ms': { type: 'string' },
        'batch-rows': { type: 'string' },
        'block-rows': { type: 'string' },
        workers: { type: 'string' },
        'parallel-min-rows': { type: 'string' },
        'block-cache-mb': { type: 'string' },
        'http-port': { type: 'string' },
        'http-max-body-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const command = positionals[0] ?? 'start';
  if (command !== 'start' || positionals.length > 1) fail(`unknown command "${positionals.join(' ')}"\n${usage}`);

  const host = values.host ?? process.env.EVENTIDE_HOST ?? '127.0.0.1';
  const portText = values.port ?? process.env.EVENTIDE_PORT ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port "${portText}"`);
  const dataDir = resolve(values['data-dir'] ?? process.env.EVENTIDE_DATA_DIR ?? 'data');

  const blockCacheMb = nonNegativeInteger('--block-cache-mb', values['block-cache-mb']);
  if (blockCacheMb !== undefined) blockCache.resize(blockCacheMb * 2 ** 20);

  let database: Database;
  try {
    database = await Database.open(dataDir, {
      flushRowThreshold: positiveInteger('--flush-rows', values['flush-rows']),
      flushBytesThreshold: megabytes(positiveInteger('--flush-mb', values['flush-mb'])),
      flushIntervalMs: nonNegativeInteger('--flush-interval-ms', values['flush-interval-ms']),
      blockRows: positiveInteger('--block-rows', values['block-rows']),
    });
  } catch (error) {
    fail(`cannot open data directory ${dataDir}: ${toDbError(error).message}`);
  }
  const engine = new SqlEngine(database, {
    batchRows: positiveInteger('--batch-rows', values['batch-rows']),
    // The coordinating thread runs pieces of every parallel query too, so one worker fewer than
    // cores keeps one busy thread per core.
    workers: nonNegativeInteger('--workers', values.workers ?? process.env.EVENTIDE_WORKERS) ?? Math.max(1, availableParallelism() - 1),
    parallelMinRows: nonNegativeInteger('--parallel-min-rows', values['parallel-min-rows'] ?? process.env.EVENTIDE_PARALLEL_MIN_ROWS),
  });
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const server = new PgServer({ host, port, engine, log });
  let address: { host: string; port: number };
  try {
    address = await server.listen();
  } catch (error) {
    await engine.close();
    await database.close();
    fail(`cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const http = await startHttp({ host, engine, log, port: values['http-port'] ?? process.env.EVENTIDE_HTTP_PORT, portGiven: values['http-port'] !== undefined || process.env.EVENTIDE_HTTP_PORT !== undefined, maxBodyMb: values['http-max-body-mb'] }).catch(
    async (error: unknown) => {
      await server.close();
      await engine.close();
      await database.close();
      fail(error instanceof Error ? error.message : String(error));
    },
  );
  process.stdout.write(`eventide listening on ${address.host}:${address.port}${http.describe}, data in ${dataDir}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`received ${signal}, shutting down`);
    try {
      await Promise.all([server.close(), http.close()]);
      await engine.close();
      await database.close({ checkpoint: true });
      process.exit(0);
    } catch (error) {
      log(`shutdown failed: ${toDbError(error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
}

void main();
