/**
 * `npm run bench`: generates the events dataset, loads it into Eventide and the chosen peers
 * one at a time (they share 2 cores), runs the aggregate queries on each, and prints (and for
 * large runs writes) the results. A peer that fails is reported as such; the run goes on.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeEventsCsvFile } from './csv-file.js';
import { machineInfo } from './machine.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { DuckDbPeer } from './peers/duckdb.js';
import { EventidePeer } from './peers/eventide.js';
import type { Peer, PeerName, PeerSettings } from './peers/peer.js';
import { PostgresPeer } from './peers/postgres.js';
import { BENCH_QUERIES } from './queries.js';
import { timeQueries } from './query-runner.js';
import { renderReport, type BenchRun, type PeerRun } from './report.js';
import { repoRoot } from '../test/support/server.js';

const started = performance.now();
function log(line: string): void {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

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

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' ? `${code}: ${text}` : text).split('\n').slice(0, 3).join(' ');
}

async function runPeer(peer: Peer, options: BenchOptions): Promise<PeerRun> {
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
      run.phases.push({ label: 'tail', timings: await timeQueries(peer, BENCH_QUERIES, options.repeat, log) });
      step = 'checkpoint';
      log('eventide: CHECKPOINT');
      await peer.checkpoint();
      step = 'queries after checkpoint';
      run.phases.push({ label: 'segments', timings: await timeQueries(peer, BENCH_QUERIES, options.repeat, log) });
    } else {
      run.phases.push({ label: 'loaded', timings: await timeQueries(peer, BENCH_QUERIES, options.repeat, log) });
    }
    run.diskBytes = await peer.diskBytes();
  } catch (error) {
    run.failure = `${step}: ${message(error)}`;
    log(`${peer.name}: failed at ${run.failure}`);
  } finally {
    await peer.close().catch((error: unknown) => log(`${peer.name}: close failed: ${message(error)}`));
  }
  return run;
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'eventide-bench-'));
  // PostgreSQL runs as another user and must be able to read nothing here but the CSV it is sent
  // over the wire; DuckDB reads the file in process.
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
    for (const name of options.peers) peers.push(await runPeer(createPeer(name, settings), options));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const report = renderReport({
    machine: machineInfo(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    rows: options.rows,
    seed: options.seed,
    repeat: options.repeat,
    queries: BENCH_QUERIES,
    csv,
    peers,
  });
  console.log(`\n${report}`);
  if (options.resultsPath !== null) {
    const path = resolve(repoRoot, options.resultsPath);
    writeFileSync(path, report);
    log(`results written to ${path}`);
  }
  return peers.some((p) => p.failure !== null) ? 1 : 0;
}

process.exitCode = await main();
