/**
 * How much memory and CPU a peer uses, whatever its process layout: one server process
 * (Eventide), a postmaster with backends and workers (PostgreSQL), or the benchmark process
 * itself (DuckDB, in process). A sampler polls memory every ~100 ms during a phase; where the
 * kernel keeps a peak (VmHWM of one process) it is reset at the phase start and read at its end,
 * so a spike between two samples is not missed.
 */
import { childPids, readProcStat, readPss, readStatusMemory, resetPeak } from './process-stats.js';

export interface ResourceProbe {
  /** How memory is counted, for the report. */
  readonly memoryMethod: string;
  /** Memory in use now, or null where it cannot be read. */
  memoryBytes(): number | null;
  /** Starts the kernel's peak afresh; false when there is none to reset. */
  resetPeak(): boolean;
  /** The kernel's peak since the reset, or null. */
  peakBytes(): number | null;
  /** CPU seconds used so far by every thread of the peer's processes, or null. */
  cpuSeconds(): number | null;
}

/** One server process with its worker threads. */
export function processProbe(pid: number): ResourceProbe {
  let peakReset = false;
  return {
    memoryMethod: 'server RSS',
    memoryBytes: () => readStatusMemory(pid).rssBytes,
    resetPeak: () => (peakReset = resetPeak(pid)),
    peakBytes: () => (peakReset ? readStatusMemory(pid).peakBytes : null),
    cpuSeconds: () => readProcStat(pid)?.cpuSeconds ?? null,
  };
}

/** A postmaster and its children: Pss summed, so shared buffers count once. */
export function clusterProbe(rootPid: number): ResourceProbe {
  const pids = () => [rootPid, ...childPids(rootPid)];
  return {
    memoryMethod: 'cluster processes, sum of Pss',
    memoryBytes() {
      let total = 0;
      for (const pid of pids()) {
        // A child may exit between the listing and the read: it then uses nothing.
        const pss = readPss(pid) ?? (pid === rootPid ? null : 0);
        if (pss === null) return null;
        total += pss;
      }
      return total;
    },
    resetPeak: () => false,
    peakBytes: () => null,
    cpuSeconds() {
      const root = readProcStat(rootPid);
      if (root === null) return null;
      // Finished children (parallel workers) are in the postmaster's children time once reaped.
      let total = root.cpuSeconds + root.childrenCpuSeconds;
      for (const pid of childPids(rootPid)) total += readProcStat(pid)?.cpuSeconds ?? 0;
      return total;
    },
  };
}

/** The benchmark process itself, where DuckDB runs (its own work included: it is small when idle). */
export function selfProbe(): ResourceProbe {
  let peakReset = false;
  return {
    memoryMethod: 'benchmark process RSS',
    memoryBytes: () => process.memoryUsage().rss,
    resetPeak: () => (peakReset = resetPeak(process.pid)),
    peakBytes: () => (peakReset ? readStatusMemory(process.pid).peakBytes : null),
    cpuSeconds: () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    },
  };
}

export const MEMORY_SAMPLE_INTERVAL_MS = 100;

/** Peak memory of a peer over one phase: the highest sample, or the kernel's peak if higher. */
export class MemorySampler {
  private peak: number | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly probe: ResourceProbe, intervalMs = MEMORY_SAMPLE_INTERVAL_MS) {
    probe.resetPeak();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const bytes = this.probe.memoryBytes();
    if (bytes !== null) this.peak = Math.max(this.peak ?? 0, bytes);
  }

  /** Stops sampling; the peak in bytes, or null when memory could not be read. */
  stop(): number | null {
    clearInterval(this.timer);
    this.sample();
    const kernelPeak = this.probe.peakBytes();
    return kernelPeak === null ? this.peak : Math.max(this.peak ?? 0, kernelPeak);
  }
}
