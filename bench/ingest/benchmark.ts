/**
 * One ingest benchmark run: makes the inputs once (the CSV file, the JSON-lines file, the pool of
 * INSERT rows), then for each database in turn (never two at once: the machine has 2 cores)
 * starts it fresh and runs the chosen workloads, each into its own table, sampling the
 * database's memory and CPU around each. A workload that fails or meets a missing feature is
 * recorded as such and the run goes on.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeEventsCsvFile } from '../csv-file.js';
import { loadAverage, machineInfo, type MachineInfo } from '../machine.js';
import type { PeerName } from '../peers/peer.js';
import { MemorySampler } from '../resource-probe.js';
import { burstWorkload } from './burst.js';
import { copyWorkload, httpWorkload } from './bulk.js';
import { idleLatencyWorkload, multiRowInsertWorkload, singleRowWorkload } from './inserts.js';
import { writeEventsJsonLinesFile } from './json-lines.js';
import { describeError, emptyMeasurement, recordError, rowsPerSecond, type Measurement } from './measurement.js';
import type { IngestOptions, WorkloadName } from './options.js';
import { summarizeProfiles, type ProfileSummary } from './profile.js';
import { RowPool } from './row-pool.js';
import { startTarget, type IngestTarget } from './targets.js';
import { visibilityWorkload } from './visibility.js';
import type { WorkloadContext, WorkloadInputs } from './workload.js';

type Workload = (target: IngestTarget, ctx: WorkloadContext, m: Measurement) => Promise<void>;

const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = {
  copy: copyWorkload,
  http: httpWorkload,
  insert: multiRowInsertWorkload,
  single: singleRowWorkload,
  idle: idleLatencyWorkload,
  visibility: visibilityWorkload,
  burst: burstWorkload,
};

export interface PeerIngestRun {
  readonly name: PeerName;
  version: string | null;
  memoryMethod: string | null;
  /** Why the database could not be started, if it could not. */
  failure: string | null;
  readonly measurements: Measurement[];
  /** Eventide's server CPU profile, with --profile. */
  profile: ProfileSummary | null;
}

export interface IngestRun {
  readonly machine: MachineInfo;
  readonly loadAverageAtEnd: number;
  readonly command: string;
  readonly options: IngestOptions;
  readonly inputs: { readonly csvBytes: number | null; readonly jsonBytes: number | null; readonly ms: number };
  readonly peers: readonly PeerIngestRun[];
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A workload that did not end in time; the database is then closed under it. */
class WorkloadTimeout extends Error {
  measurement: Measurement | null = null;
}

/**
 * Runs one workload with the database's memory sampled throughout (the workload times its own
 * measured part). Throws WorkloadTimeout, carrying the measurement, when it does not end in time.
 */
async function measure(target: IngestTarget, name: WorkloadName, ctx: WorkloadContext): Promise<Measurement> {
  const m = emptyMeasurement(name, target.name, '');
  const probe = target.resources();
  const sampler = new MemorySampler(probe);
  const timeoutMs = ctx.options.timeoutSeconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  const work = WORKLOADS[name](target, ctx, m);
  // A workload abandoned at its timeout fails later, when the database is closed under it: unobserved.
  work.catch(() => undefined);
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WorkloadTimeout(`no end within ${ctx.options.timeoutSeconds} s (--timeout)`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    recordError(m, error);
    if (error instanceof WorkloadTimeout) throw Object.assign(error, { measurement: m });
  } finally {
    clearTimeout(timer);
    m.peakMemoryBytes = sampler.stop();
  }
  if (m.outcome === 'not applicable') {
    // Nothing ran: the figures would only show the idle database.
    m.peakMemoryBytes = m.serverCpuSeconds = m.benchCpuSeconds = null;
  }
  if (!target.alive()) {
    m.outcome = 'failed';
    m.note = `${m.note ?? ''} the database process died`.trim();
  }
  return m;
}

function logMeasurement(m: Measurement, log: (line: string) => void): void {
  const rate = rowsPerSecond(m);
  const parts = [`${m.peer} ${m.workload}: ${m.outcome}`];
  if (rate !== null) parts.push(`${Math.round(rate).toLocaleString('en-US')} rows/s (${m.rows.toLocaleString('en-US')} rows in ${(m.elapsedMs / 1000).toFixed(1)} s)`);
  if (m.ack) parts.push(`ack p50 ${m.ack.p50Ms.toFixed(2)} ms p99 ${m.ack.p99Ms.toFixed(2)} ms`);
  if (m.visibility) parts.push(`visible at once ${m.visibility.visibleAtOnce}/${m.visibility.markers}, lag p99 ${m.visibility.lag?.p99Ms.toFixed(2) ?? '-'} ms`);
  if (m.burst) parts.push(`dashboard p99 ${m.burst.spike.dashboard?.p99Ms.toFixed(1) ?? '-'} ms in the burst`);
  if (m.peakMemoryBytes !== null) parts.push(`peak ${mb(m.peakMemoryBytes)}`);
  if (m.note) parts.push(m.note);
  log(parts.join('; '));
}

async function runPeer(name: PeerName, options: IngestOptions, ctx: WorkloadContext): Promise<PeerIngestRun> {
  const run: PeerIngestRun = { name, version: null, memoryMethod: null, failure: null, measurements: [], profile: null };
  let target: IngestTarget | null = null;
  let profileDir: string | null = null;
  if (name === 'eventide' && options.profileDir !== null) {
    mkdirSync(resolve(options.profileDir), { recursive: true });
    profileDir = mkdtempSync(join(resolve(options.profileDir), 'eventide-'));
  }
  try {
    ctx.log(`${name}: starting`);
    target = await startTarget(name, profileDir);
    run.version = await target.version();
    run.memoryMethod = target.resources().memoryMethod;
    if (name === 'eventide' && target.httpUrl === null) ctx.log('eventide: no HTTP listener in this build');
    for (const workload of options.workloads) {
      ctx.log(`${name}: ${workload}`);
      let m: Measurement;
      try {
        m = await measure(target, workload, ctx);
      } catch (error) {
        if (error instanceof WorkloadTimeout && error.measurement !== null) run.measurements.push(error.measurement);
        throw error;
      }
      run.measurements.push(m);
      logMeasurement(m, ctx.log);
      if (!target.alive()) throw new Error(`the server died during ${workload}`);
    }
  } catch (error) {
    run.failure = describeError(error);
    ctx.log(`${name}: failed: ${run.failure}`);
  } finally {
    await target?.close().catch((error: unknown) => ctx.log(`${name}: close failed: ${describeError(error)}`));
  }
  // The profiles are written as the server exits.
  if (profileDir !== null) {
    run.profile = summarizeProfiles(profileDir);
    ctx.log(`eventide: CPU profiles in ${profileDir}`);
  }
  return run;
}

async function prepareInputs(options: IngestOptions, workDir: string, log: (line: string) => void): Promise<{ inputs: WorkloadInputs; csvBytes: number | null; jsonBytes: number | null; ms: number }> {
  const started = performance.now();
  const generated = { rows: options.rows, seed: options.seed };
  let csvPath: string | null = null;
  let csvBytes: number | null = null;
  if (options.workloads.includes('copy')) {
    csvPath = join(workDir, 'events.csv');
    csvBytes = (await writeEventsCsvFile(csvPath, generated)).bytes;
    log(`CSV: ${options.rows.toLocaleString('en-US')} rows, ${mb(csvBytes)}`);
  }
  let jsonLines = null;
  if (options.workloads.includes('http') && options.peers.some((p) => p !== 'postgres')) {
    jsonLines = await writeEventsJsonLinesFile(join(workDir, 'events.jsonl'), generated, options.httpLines);
    log(`JSON lines: ${options.rows.toLocaleString('en-US')} rows, ${mb(jsonLines.bytes)}`);
  }
  const pool = new RowPool(options.seed);
  return { inputs: { csvPath, jsonLines, pool }, csvBytes, jsonBytes: jsonLines?.bytes ?? null, ms: performance.now() - started };
}

export async function runIngestBenchmark(options: IngestOptions, command: string, log: (line: string) => void): Promise<IngestRun> {
  const machine = machineInfo();
  const workDir = mkdtempSync(join(tmpdir(), 'eventide-ingest-'));
  // DuckDB reads the files in process; PostgreSQL's own user may need to traverse tmp paths.
  chmodSync(workDir, 0o755);
  try {
    log('preparing the inputs');
    const prepared = await prepareInputs(options, workDir, log);
    const ctx: WorkloadContext = { options, inputs: prepared.inputs, log };
    const peers: PeerIngestRun[] = [];
    for (const name of options.peers) peers.push(await runPeer(name, options, ctx));
    return {
      machine,
      loadAverageAtEnd: loadAverage(),
      command,
      options,
      inputs: { csvBytes: prepared.csvBytes, jsonBytes: prepared.jsonBytes, ms: prepared.ms },
      peers,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
