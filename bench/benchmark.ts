/**
 * One benchmark run: generates the events (as CSV when a peer bulk-loads it), then loads and
 * queries each peer in turn (never concurrently: they would share 2 cores). A peer that fails
 * is recorded with the step it failed at, and the run goes on with the next.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEventsCsvFile } from './csv-file.js';
import { loadAverage, machineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import { DuckDbPeer } from './peers/duckdb.js';
import { EventidePeer } from './peers/eventide.js';
import type { Peer, PeerName, PeerSettings } from './peers/peer.js';
import { PostgresPeer } from './peers/postgres.js';
import { BENCH_QUERIES, type BenchQuery } from './queries.js';
import { timeQueries } from './query-runner.js';
import type { BenchRun, PeerRun } from './report.js';

function createPeer(name: PeerName, settings: PeerSettings): Peer {
  switch (name) {
    case 'eventide':
      return new EventidePeer(settings);
    case 'duckdb':
      return new DuckDbPeer(settings);
    case 'postgres':
      return new PostgresPeer(settings);
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' ? `${code}: ${text}` : text).split('\n').slice(0, 3).join(' ');
}

async function runPeer(peer: Peer, options: BenchOptions, queries: readonly BenchQuery[], log: (line: string) => void): Promise<PeerRun> {
  const run: PeerRun = { name: peer.name, version: null, load: null, diskBytes: null, phases: [], failure: null };
  let step = 'start';
  try {
    log(`${peer.name}: starting`);
    await peer.setup();
    run.version = await peer.version();
    step = 'load';
    log(`${peer.name}: loading ${options.rows.toLocaleString('en-US')} rows`);
    run.load = await peer.load();
    log(`${peer.name}: loaded ${run.load.rows.toLocaleString('en-US')} rows in ${(run.load.loadMs / 1000).toFixed(1)} s`);
    step = 'queries';
    if (peer.name === 'eventide') {
      run.phases.push({ label: 'tail', timings: await timeQueries(peer, queries, options.repeat, log) });
      step = 'checkpoint';
      log('eventide: CHECKPOINT');
      await peer.checkpoint();
      step = 'queries after checkpoint';
      run.phases.push({ label: 'segments', timings: await timeQueries(peer, queries, options.repeat, log) });
    } else {
      run.phases.push({ label: 'loaded', timings: await timeQueries(peer, queries, options.repeat, log) });
    }
    step = 'disk size';
    run.diskBytes = await peer.diskBytes();
  } catch (error) {
    run.failure = `${step}: ${describeError(error)}`;
    log(`${peer.name}: failed at ${run.failure}`);
  } finally {
    await peer.close().catch((error: unknown) => log(`${peer.name}: close failed: ${describeError(error)}`));
  }
  return run;
}

export async function runBenchmark(
  options: BenchOptions,
  command: string,
  log: (line: string) => void,
  queries: readonly BenchQuery[] = BENCH_QUERIES,
): Promise<BenchRun> {
  const machine = machineInfo();
  const workDir = mkdtempSync(join(tmpdir(), 'eventide-bench-'));
  // The CSV is read by DuckDB in process and streamed to PostgreSQL over the wire; nothing else
  // reads this directory, but PostgreSQL's own user may need to traverse tmp paths.
  chmodSync(workDir, 0o755);
  const csvPath = join(workDir, 'events.csv');
  const settings: PeerSettings = { ...options, csvPath, log };
  const peers: PeerRun[] = [];
  let csv: BenchRun['csv'] = null;
  try {
    if (options.peers.some((p) => p !== 'eventide')) {
      log(`generating ${options.rows.toLocaleString('en-US')} rows as CSV`);
      const written = await writeEventsCsvFile(csvPath, { rows: options.rows, seed: options.seed });
      csv = { bytes: written.bytes, ms: written.elapsedMs };
      log(`CSV: ${(written.bytes / 2 ** 20).toFixed(0)} MiB in ${(written.elapsedMs / 1000).toFixed(1)} s`);
    }
    for (const name of options.peers) peers.push(await runPeer(createPeer(name, settings), options, queries, log));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return { machine, loadAverageAtEnd: loadAverage(), command, rows: options.rows, seed: options.seed, repeat: options.repeat, queries, csv, peers };
}
