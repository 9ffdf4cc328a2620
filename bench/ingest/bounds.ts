/**
 * For each rate target Eventide misses, what the measurement says bounds it: the server's CPU
 * (it kept a core busy, and its CPU per row caps the rate one core can reach), the client
 * sending the data, other work on a shared machine (the load average), or neither (waiting on
 * commit fsyncs or round trips). A server CPU profile (--profile) says which code the server's CPU went to.
 */
import type { PeerIngestRun } from './benchmark.js';
import { rowsPerSecond, type Measurement } from './measurement.js';
import type { WorkloadName } from './options.js';

/** Rate targets on this 2-core machine (issue: real-time ingestion). */
export const RATE_TARGETS: Readonly<Partial<Record<WorkloadName, number>>> = {
  copy: 1_000_000,
  http: 1_000_000,
  insert: 500_000,
  single: 50_000,
};
export const SINGLE_ACK_P99_TARGET_MS = 20;

/** A process that used this share of one core or more over a workload was the busy side. */
const BUSY_CORES = 0.85;
/** A load average above this many times the cores means other work took much of the machine. */
const BUSY_MACHINE_FACTOR = 1.5;

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Cores a process kept busy on average over the workload. */
function cores(cpuSeconds: number | null, m: Measurement): number | null {
  return cpuSeconds === null || m.elapsedMs <= 0 ? null : cpuSeconds / (m.elapsedMs / 1000);
}

function boundText(m: Measurement, loadAverage: number, machineCores: number): string {
  const server = cores(m.serverCpuSeconds, m);
  const bench = cores(m.benchCpuSeconds, m);
  const perRowUs = m.serverCpuSeconds === null || m.rows === 0 ? null : (m.serverCpuSeconds * 1e6) / m.rows;
  const facts = [
    server === null ? null : `the server kept ${server.toFixed(2)} cores busy`,
    perRowUs === null ? null : `spent ${perRowUs.toFixed(1)} µs of CPU a row (one core at that cost: ${count(1e6 / perRowUs)} rows/s)`,
    bench === null ? null : `the benchmark process ${bench.toFixed(2)} cores`,
  ].filter((f) => f !== null);
  let verdict: string;
  if (server !== null && server >= BUSY_CORES) verdict = 'bound by the server\'s CPU';
  else if (bench !== null && bench >= BUSY_CORES) verdict = 'bound by the client sending the data';
  else if (loadAverage > machineCores * BUSY_MACHINE_FACTOR) {
    verdict = `the machine was busy with other work (load average ${loadAverage} on ${machineCores} cores), so the rate says little: compare the CPU per row`;
  } else verdict = 'neither side kept a core busy: waiting on commits (fsync) or round trips';
  return `${facts.join(', ')}: ${verdict}`;
}

/** Markdown lines, one per missed target of Eventide; empty when it met them all or did not run. */
export function boundsSection(eventide: PeerIngestRun | undefined, loadAverage: number, machineCores: number): string[] {
  if (eventide === undefined) return [];
  const lines: string[] = [];
  for (const m of eventide.measurements) {
    const target = RATE_TARGETS[m.workload];
    const rate = rowsPerSecond(m);
    if (target !== undefined && rate !== null && rate < target) {
      lines.push(`- ${m.workload}: ${count(rate)} rows/s of ${count(target)}; ${boundText(m, loadAverage, machineCores)}.`);
    }
    if (m.workload === 'single' && m.ack !== null && m.ack.p99Ms >= SINGLE_ACK_P99_TARGET_MS) {
      lines.push(`- single: ack p99 ${m.ack.p99Ms.toFixed(1)} ms, target under ${SINGLE_ACK_P99_TARGET_MS} ms (p50 ${m.ack.p50Ms.toFixed(1)} ms, max ${m.ack.maxMs.toFixed(1)} ms).`);
    }
  }
  if (lines.length === 0) return [];
  return ['', '## Where Eventide misses a target', '', ...lines];
}
