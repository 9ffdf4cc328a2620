/**
 * Latency samples in milliseconds, kept in a growable Float64Array (a 50-connection run records
 * hundreds of thousands), and their percentiles by nearest rank.
 */

const INITIAL_SAMPLES = 4096;

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export class LatencyRecorder {
  private samples = new Float64Array(INITIAL_SAMPLES);
  count = 0;

  add(ms: number): void {
    if (this.count === this.samples.length) {
      const next = new Float64Array(this.samples.length * 2);
      next.set(this.samples);
      this.samples = next;
    }
    this.samples[this.count++] = ms;
  }

  /** Times `work` and records its duration; returns its value. */
  async time<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const value = await work();
    this.add(performance.now() - started);
    return value;
  }

  summary(): LatencySummary | null {
    if (this.count === 0) return null;
    const sorted = this.samples.slice(0, this.count).sort();
    return { count: this.count, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted[this.count - 1] as number };
  }
}

/** Nearest-rank percentile of ascending samples: the smallest value with at least `q` of the samples at or below it. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}
