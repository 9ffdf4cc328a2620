/**
 * What one workload measured on one database, and how an error is told apart: a feature the
 * database does not have yet (reported as such, the run goes on) or a failure.
 */
import type { PeerName } from '../peers/peer.js';
import type { ResourceProbe } from '../resource-probe.js';
import type { LatencySummary } from './latency.js';
import type { WorkloadName } from './options.js';

export type Outcome = 'ok' | 'unsupported' | 'failed' | 'not applicable';

export interface Visibility {
  /** Markers checked, and those seen by the first query after their acknowledgement. */
  readonly markers: number;
  readonly visibleAtOnce: number;
  /** From the acknowledgement to the start of the first query that saw the marker; 0 when at once. */
  readonly lag: LatencySummary | null;
}

export interface BurstPhase {
  readonly offeredRowsPerSecond: number;
  readonly achievedRowsPerSecond: number;
  /** Of each multi-row INSERT, from send to acknowledgement. */
  readonly ack: LatencySummary | null;
  /** The dashboard query run every second on another connection. */
  readonly dashboard: LatencySummary | null;
  /** How far behind the offered schedule the writers were when the phase ended. */
  readonly behindScheduleMs: number;
}

export interface Measurement {
  readonly workload: WorkloadName;
  readonly peer: PeerName;
  outcome: Outcome;
  /** How it was measured, e.g. 'COPY CSV FROM STDIN, 1 connection'. */
  method: string;
  /** Why not ok, or a remark. */
  note: string | null;
  rows: number;
  elapsedMs: number;
  ack: LatencySummary | null;
  visibility: Visibility | null;
  burst: { readonly normal: BurstPhase; readonly spike: BurstPhase; readonly serverAlive: boolean } | null;
  /** Peak memory of the database's processes during the workload. */
  peakMemoryBytes: number | null;
  /** CPU seconds of the database's processes and of the benchmark process during the workload. */
  serverCpuSeconds: number | null;
  benchCpuSeconds: number | null;
}

export function emptyMeasurement(workload: WorkloadName, peer: PeerName, method: string): Measurement {
  return {
    workload,
    peer,
    outcome: 'ok',
    method,
    note: null,
    rows: 0,
    elapsedMs: 0,
    ack: null,
    visibility: null,
    burst: null,
    peakMemoryBytes: null,
    serverCpuSeconds: null,
    benchCpuSeconds: null,
  };
}

/** Workloads whose rows/s is not a rate of ingest: the visibility check waits on a reader after every row. */
const NOT_A_RATE: readonly WorkloadName[] = ['visibility'];

export function rowsPerSecond(m: Measurement): number | null {
  if (NOT_A_RATE.includes(m.workload)) return null;
  return m.outcome === 'ok' && m.elapsedMs > 0 && m.rows > 0 ? m.rows / (m.elapsedMs / 1000) : null;
}

/** Thrown by a workload when the database lacks what it needs. */
export class Unsupported extends Error {}

/** SQLSTATEs of a statement the server does not know yet: feature_not_supported, syntax_error. */
const UNSUPPORTED_SQLSTATES = new Set(['0A000', '42601']);

export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' ? `${code}: ${text}` : text).split('\n').slice(0, 2).join(' ').slice(0, 300);
}

/** Records `error` on `m` as unsupported or failed. */
export function recordError(m: Measurement, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const unsupported = error instanceof Unsupported || (typeof code === 'string' && UNSUPPORTED_SQLSTATES.has(code));
  m.outcome = unsupported ? 'unsupported' : 'failed';
  m.note = describeError(error);
}

/** Times a workload's measured part: elapsed time, and the CPU of the database and of this process over it. */
export interface Clock {
  readonly startedMs: number;
  /** Sets elapsedMs, serverCpuSeconds and benchCpuSeconds of `m`. */
  stop(m: Measurement): void;
}

export function startClock(target: { resources(): ResourceProbe }): Clock {
  const probe = target.resources();
  const serverCpu = probe.cpuSeconds();
  const benchCpu = process.cpuUsage();
  const startedMs = performance.now();
  return {
    startedMs,
    stop(m) {
      m.elapsedMs = performance.now() - startedMs;
      const serverCpuAfter = probe.cpuSeconds();
      m.serverCpuSeconds = serverCpu === null || serverCpuAfter === null ? null : serverCpuAfter - serverCpu;
      const bench = process.cpuUsage(benchCpu);
      m.benchCpuSeconds = (bench.user + bench.system) / 1e6;
    },
  };
}
