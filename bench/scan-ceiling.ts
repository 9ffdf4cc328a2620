/**
 * The speed ceiling of a single-column scan in this runtime: a plain typed-array loop, in the
 * benchmark process, doing the work of a single-column query (sum an Int32Array, count the set
 * bytes of a Uint8Array, take the minimum of a Float64Array, count the codes of a Uint8Array).
 * The loop runs per 64K-row chunk, as a vectorized engine calls its kernels, over a column as
 * long as the benchmark's (capped, so 100M rows do not need a 800 MB array: past the caches the
 * rate no longer depends on the length). The best of a few timing windows is reported.
 */
import type { ScanKernel } from './queries.js';

export const SCAN_KERNELS: readonly ScanKernel[] = ['sum-int32', 'count-true-uint8', 'min-float64', 'count-codes-uint8'];
/** Longest column the ceiling is measured on. */
export const MAX_CEILING_ROWS = 16 * 1024 * 1024;
const CHUNK_ROWS = 64 * 1024;
/** Each timing window repeats the loop until this much time has passed... */
const WINDOW_MS = 100;
const MIN_PASSES = 2;
/** ...and the best of these windows is the ceiling: on a shared machine, other work only slows a window down. */
const WINDOWS = 4;

export interface ScanCeiling {
  readonly kernel: ScanKernel;
  /** Length of the column looped over. */
  readonly rows: number;
  /** Rows per second on one core. */
  readonly rowsPerSecond: number;
  /** What the loop does, for the report. */
  readonly description: string;
}

export const KERNEL_DESCRIPTIONS: Readonly<Record<ScanKernel, string>> = {
  'sum-int32': 'sum of an Int32Array',
  'count-true-uint8': 'count of non-zero bytes of a Uint8Array',
  'min-float64': 'min of a Float64Array',
  'count-codes-uint8': 'counts of 3 codes in a Uint8Array',
};

function sumInt32(values: Int32Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i] as number;
  return sum;
}

function countTrue(values: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) count += values[i] as number;
  return count;
}

function minFloat64(values: Float64Array, start: number, end: number): number {
  let min = Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
  }
  return min;
}

function countCodes(values: Uint8Array, start: number, end: number, counts: Float64Array): void {
  for (let i = start; i < end; i++) (counts[values[i] as number] as number)++;
}

/** A column like the benchmark's, filled cheaply (the loops do not depend on the values' order). */
function column(kernel: ScanKernel, rows: number): Int32Array | Uint8Array | Float64Array {
  let state = 0x9e3779b9;
  const next = () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0);
  switch (kernel) {
    case 'sum-int32': {
      const values = new Int32Array(rows);
      for (let i = 0; i < rows; i++) values[i] = next() % 100_000;
      return values;
    }
    case 'count-true-uint8': {
      const values = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) values[i] = next() % 100 < 3 ? 1 : 0;
      return values;
    }
    case 'min-float64': {
      const values = new Float64Array(rows);
      // Microseconds over 90 days, roughly increasing as the events are.
      for (let i = 0; i < rows; i++) values[i] = 1.7119e15 + i * 777.6 + (next() % 1_000_000);
      return values;
    }
    case 'count-codes-uint8': {
      const values = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) values[i] = next() % 3;
      return values;
    }
  }
}

/** One pass over the column in 64K-row chunks; returns a value so the work is not optimised away. */
function pass(kernel: ScanKernel, values: Int32Array | Uint8Array | Float64Array, counts: Float64Array): number {
  let result = 0;
  for (let start = 0; start < values.length; start += CHUNK_ROWS) {
    const end = Math.min(values.length, start + CHUNK_ROWS);
    switch (kernel) {
      case 'sum-int32':
        result += sumInt32(values as Int32Array, start, end);
        break;
      case 'count-true-uint8':
        result += countTrue(values as Uint8Array, start, end);
        break;
      case 'min-float64':
        result = Math.min(result, minFloat64(values as Float64Array, start, end));
        break;
      case 'count-codes-uint8':
        countCodes(values as Uint8Array, start, end, counts);
        break;
    }
  }
  return result + (counts[0] as number);
}

export function measureScanCeiling(kernel: ScanKernel, rows: number): ScanCeiling {
  const length = Math.max(1, Math.min(rows, MAX_CEILING_ROWS));
  const values = column(kernel, length);
  const counts = new Float64Array(256);
  let sink = pass(kernel, values, counts); // warm-up: compiled before timing
  let best = 0;
  for (let window = 0; window < WINDOWS; window++) {
    let passes = 0;
    const started = performance.now();
    let elapsedMs = 0;
    while (passes < MIN_PASSES || elapsedMs < WINDOW_MS) {
      sink += pass(kernel, values, counts);
      passes++;
      elapsedMs = performance.now() - started;
    }
    best = Math.max(best, (length * passes) / (elapsedMs / 1000));
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: the scan loop gave NaN');
  return { kernel, rows: length, rowsPerSecond: best, description: KERNEL_DESCRIPTIONS[kernel] };
}
