/**
 * One benchmark run: generates the events and users (as CSV when a peer bulk-loads them), then
 * loads and queries each peer in turn (never concurrently: they would share 2 cores), sampling
 * the peer's memory during the load and during the queries. A peer that fails is recorded with
 * the step it failed at, and the run goes on with the next. Last, the typed-array loops that
 * bound the single-column scans are timed in this process.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEventsCsvFile, writeUsersCsvFile } from './csv-file.js';
import { loadAverage, machineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import { DuckDbPeer } from './peers/duckdb.js';
import { EventidePeer } from './peers/eventide.js';
import type { Peer, PeerName, PeerSettings } from './peers/peer.js';
import { PostgresPeer } from './peers/postgres.js';
import { BENCH_QUERIES, type BenchQuery } from './queries.js';
import { timeQueries } from './query-runner.js';
import type { BenchRun, PeerMemory, PeerRun } from './report.js';
import { MemorySampler } from './resource-probe.js';
import { measureScanCeiling, SCAN_KERNELS } from './scan-ceiling.js';

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
  const run: PeerRun = { name: peer.name, version: null, load: null, diskBytes: null, memory: null, phases: [], failure: null };
  let step = 'start';
  let sampler: MemorySampler | null = null;
  try {
    log(`${peer.name}: starting`);
    await peer.setup();
    run.version = await peer.version();
    const memory: PeerMemory = { method: peer.resources().memoryMethod, loadPeakBytes: null, queryPeakBytes: null };
    run.memory = memory;
    step = 'load';
    log(`${peer.name}: loading ${options.rows.toLocaleString('en-US')} rows`);
    sampler = new MemorySampler(peer.resources());
    run.load = await peer.load();
    memory.loadPeakBytes = sampler.stop();
    log(
      `${peer.name}: loaded ${run.load.rows.toLocaleString('en-US')} rows in ${(run.load.loadMs / 1000).toFixed(1)} s, ` +
        `${run.load.usersRows.toLocaleString('en-US')} users in ${(run.load.usersLoadMs / 1000).toFixed(1)} s`,
    );
    step = 'queries';
    sampler = new MemorySampler(peer.resources());
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
    memory.queryPeakBytes = sampler.stop();
    sampler = null;
    step = 'disk size';
    run.diskBytes = await peer.diskBytes();
  } catch (error) {
    run.failure = `${step}: ${describeError(error)}`;
    log(`${peer.name}: failed at ${run.failure}`);
  } finally {
    sampler?.stop();
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
  const usersCsvPath = join(workDir, 'users.csv');
  const settings: PeerSettings = { ...options, csvPath, usersCsvPath, log };
  const peers: PeerRun[] = [];
  let csv: BenchRun['csv'] = null;
  try {
    if (options.peers.some((p) => p !== 'eventide')) {
      log(`generating ${options.rows.toLocaleString('en-US')} rows as CSV`);
      const generated = { rows: options.rows, seed: options.seed };
      const events = await writeEventsCsvFile(csvPath, generated);
      const users = await writeUsersCsvFile(usersCsvPath, generated);
      csv = { bytes: events.bytes + users.bytes, ms: events.elapsedMs + users.elapsedMs };
      log(`CSV: ${(csv.bytes / 2 ** 20).toFixed(0)} MiB (${users.rows.toLocaleString('en-US')} users) in ${(csv.ms / 1000).toFixed(1)} s`);
    }
    for (const name of options.peers) peers.push(await runPeer(createPeer(name, settings), options, queries, log));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const kernels = SCAN_KERNELS.filter((k) => queries.some((q) => q.scan === k));
  const scanCeilings = kernels.map((kernel) => measureScanCeiling(kernel, options.rows));
  if (kernels.length > 0) log(`typed-array loops timed: ${scanCeilings.map((c) => `${c.kernel} ${(c.rowsPerSecond / 1e6).toFixed(0)} M rows/s`).join(', ')}`);
  return {
    machine,
    loadAverageAtEnd: loadAverage(),
    command,
    rows: options.rows,
    seed: options.seed,
    repeat: options.repeat,
    queries,
    csv,
    peers,
    scanCeilings,
  };
}
