/**
 * count/sum/avg/min/max over window frames, without re-reading whole frames where the math allows:
 * counts and exact sums (integers, numeric) through prefix sums, so any frame costs O(1); min/max
 * through a monotonic queue over frames that only move forward; float sums, which PostgreSQL
 * accumulates in row order and restarts whenever the frame head moves, the same way (so rounding
 * matches), which is O(1) per row for frames anchored at the partition start. EXCLUDE frames fall
 * back to visiting their (up to three) row ranges.
 */
import { compareIntervals, decodeInterval, divideInterval, encodeInterval, type Interval } from '../../storage/interval.js';
import { NumericAccumulator } from '../../storage/numeric.js';
import { decimalFromCanonical, finite, nanDecimal, negativeInfinity, positiveInfinity, pow10, Special } from '../../storage/numeric-decimal.js';
import type { DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { compareValues } from '../kernels/compare.js';
import type { WindowCall } from '../window-call.js';
import { frameSegments, type Frames } from './window-frames.js';
import { gather } from './window-functions.js';

/** Gives the event loop a turn (and hears a cancel) during long frame scans. */
export type Pace = () => Promise<void>;

/** Rows visited between calls of `pace` in the loops that scan frames. */
const rowsPerPace = 1 << 20;

export async function windowAggregate(call: WindowCall, frames: Frames, arg: Vector | null, filter: Uint8Array | null, pace: Pace): Promise<Vector> {
  const n = frames.layout.rows;
  const live = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    live[r] = (filter === null ? 1 : (filter[r] as number)) & (arg === null || arg.validity === null ? 1 : (arg.validity[r] as number));
  }
  switch (call.fn) {
    case 'count':
    case 'count_star':
      return countOver(call.type, frames, live);
    case 'sum':
    case 'avg': {
      const id = (arg as Vector).type.id;
      if (id === 'interval') return intervalSumOver(call.type, frames, arg as Vector, live, call.fn === 'avg');
      if (id === 'float4' || id === 'float8') return floatSumOver(call.type, frames, arg as Vector, live, call.fn === 'avg', call.fn === 'sum' && id === 'float4', pace);
      if (call.fn === 'sum' && id !== 'numeric') {
        const fast = integerSumOver(call.type, frames, arg as Vector, live);
        if (fast !== null) return fast;
      }
      return exactSumOver(call.type, frames, arg as Vector, live, call.fn === 'avg', pace);
    }
    case 'min':
    case 'max': {
      const vector = arg as Vector;
      const values = vector.values as ArrayLike<number | bigint | string>;
      const numericText = vector.type.id === 'numeric';
      const sign = call.fn === 'max' ? 1 : -1;
      // Intervals compare by span ('1 day' = '24 hours'), not by their text.
      const better =
        vector.type.id === 'interval'
          ? (a: number, b: number) => sign * compareIntervals(values[a] as string, values[b] as string) > 0
          : (a: number, b: number) => sign * compareValues(values[a] as number, values[b] as number, numericText) > 0;
      return { ...gather(vector, await bestOver(frames, live, better, pace), null), type: call.type };
    }
    default:
      throw new Error(`${call.fn} is not an aggregate`);
  }
}

/** Sums `prefix` (indexed by row, length rows + 1) over a row's frame ranges. */
function overSegments(frames: Frames, i: number, segments: Int32Array, prefix: Float64Array): number {
  const count = frameSegments(frames, i, segments);
  let total = 0;
  for (let s = 0; s < count; s++) total += (prefix[segments[s * 2 + 1] as number] as number) - (prefix[segments[s * 2] as number] as number);
  return total;
}

function liveCounts(live: Uint8Array): Float64Array {
  const prefix = new Float64Array(live.length + 1);
  for (let r = 0; r < live.length; r++) prefix[r + 1] = (prefix[r] as number) + (live[r] as number);
  return prefix;
}

function countOver(type: DataType, frames: Frames, live: Uint8Array): Vector {
  const n = live.length;
  const prefix = liveCounts(live);
  const segments = new Int32Array(6);
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt(overSegments(frames, i, segments, prefix));
  return { kind: 'fixed', type, length: n, values: out, validity: null };
}

/**
 * sum of integers whose absolute values add up to less than 2^53: float64 prefix sums are then
 * exact, without a BigInt per row. Null when the values are too large for that.
 */
function integerSumOver(type: DataType, frames: Frames, arg: Vector, live: Uint8Array): Vector | null {
  const n = live.length;
  const values = arg.values as ArrayLike<number | bigint>;
  const prefix = new Float64Array(n + 1);
  let magnitude = 0;
  for (let r = 0; r < n; r++) {
    const v = live[r] === 1 ? Number(values[r]) : 0;
    magnitude += Math.abs(v);
    prefix[r + 1] = (prefix[r] as number) + v;
  }
  if (!(magnitude < 2 ** 53)) return null;
  const counts = liveCounts(live);
  const segments = new Int32Array(6);
  const numericResult = type.id === 'numeric';
  const out = numericResult ? null : new BigInt64Array(n);
  const text: string[] | null = numericResult ? new Array<string>(n) : null;
  const validity = new Uint8Array(n);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (overSegments(frames, i, segments, counts) === 0) {
      nulls++;
      if (text !== null) text[i] = '';
      continue;
    }
    validity[i] = 1;
    const total = overSegments(frames, i, segments, prefix);
    if (out !== null) out[i] = BigInt(total);
    else (text as string[])[i] = String(total);
  }
  const valid = nulls > 0 ? validity : null;
  if (text !== null) return { kind: 'string', type, length: n, values: text, validity: valid };
  return { kind: 'fixed', type, length: n, values: out as BigInt64Array, validity: valid };
}

/** sum/avg of integers and numerics: BigInt prefix sums at the largest scale present. */
async function exactSumOver(type: DataType, frames: Frames, arg: Vector, live: Uint8Array, average: boolean, pace: Pace): Promise<Vector> {
  const n = live.length;
  const numericText = arg.type.id === 'numeric';
  const scaled: bigint[] = new Array<bigint>(n).fill(0n);
  const scales = new Int32Array(n);
  const specials = [new Float64Array(n + 1), new Float64Array(n + 1), new Float64Array(n + 1)];
  let maxScale = 0;
  let firstScale = -1;
  let mixedScales = false;
  if (numericText) {
    const values = arg.values as readonly string[];
    const decimals = [];
    for (let r = 0; r < n; r++) {
      const d = live[r] === 1 ? decimalFromCanonical(values[r] as string) : null;
      decimals.push(d);
      if (d !== null && d.special === Special.Finite) {
        if (firstScale < 0) firstScale = d.scale;
        else if (d.scale !== firstScale) mixedScales = true;
        scales[r] = d.scale;
        if (d.scale > maxScale) maxScale = d.scale;
      }
    }
    for (let r = 0; r < n; r++) {
      const d = decimals[r];
      for (let k = 0; k < 3; k++) (specials[k] as Float64Array)[r + 1] = ((specials[k] as Float64Array)[r] as number) + (d != null && d.special === [Special.NaN, Special.PositiveInfinity, Special.NegativeInfinity][k] ? 1 : 0);
      if (d != null && d.special === Special.Finite) scaled[r] = d.value * pow10(maxScale - d.scale);
    }
  } else {
    const values = arg.values as ArrayLike<number | bigint>;
    for (let r = 0; r < n; r++) if (live[r] === 1) scaled[r] = BigInt(values[r] as number | bigint);
  }
  const prefix: bigint[] = new Array<bigint>(n + 1);
  prefix[0] = 0n;
  for (let r = 0; r < n; r++) prefix[r + 1] = (prefix[r] as bigint) + (scaled[r] as bigint);
  const counts = liveCounts(live);
  // A frame's sum keeps the largest scale among its own values, as PostgreSQL's does.
  const frameScale = mixedScales ? await bestOver(frames, live, (a, b) => (scales[a] as number) > (scales[b] as number), pace) : null;
  const segments = new Int32Array(6);
  const integerResult = type.id === 'int8';
  const out: (bigint | string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const count = overSegments(frames, i, segments, counts);
    if (count === 0) {
      out[i] = null;
      continue;
    }
    const ranges = frameSegments(frames, i, segments);
    let total = 0n;
    for (let s = 0; s < ranges; s++) total += (prefix[segments[s * 2 + 1] as number] as bigint) - (prefix[segments[s * 2] as number] as bigint);
    if (integerResult) {
      out[i] = total;
      continue;
    }
    const accumulator = new NumericAccumulator();
    for (let k = 0; k < 3; k++) if (overSegments(frames, i, segments, specials[k] as Float64Array) > 0) accumulator.addDecimal([nanDecimal, positiveInfinity, negativeInfinity][k]!);
    const scale = frameScale === null ? maxScale : frameScale[i]! >= 0 ? (scales[frameScale[i]!] as number) : maxScale;
    accumulator.addDecimal(finite(total / pow10(maxScale - scale), scale));
    accumulator.count = count;
    out[i] = average ? accumulator.avg() : accumulator.sum();
  }
  return fromValues(type, out);
}

function fromValues(type: DataType, values: readonly (bigint | string | null)[]): Vector {
  const n = values.length;
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (values[i] === null) {
      validity ??= new Uint8Array(n).fill(1);
      validity[i] = 0;
    }
  }
  if (type.layout === 'string') return { kind: 'string', type, length: n, values: values.map((v) => (v === null ? '' : String(v))), validity };
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i] === null ? 0n : (values[i] as bigint);
  return { kind: 'fixed', type, length: n, values: out, validity };
}

/** sum/avg of intervals: months, days and microseconds each through prefix sums (interval_pl). */
function intervalSumOver(type: DataType, frames: Frames, arg: Vector, live: Uint8Array, average: boolean): Vector {
  const n = live.length;
  const values = arg.values as readonly string[];
  const fields = [new Float64Array(n + 1), new Float64Array(n + 1), new Float64Array(n + 1)] as const;
  const span: Interval = { months: 0, days: 0, micros: 0 };
  for (let r = 0; r < n; r++) {
    if (live[r] === 1) decodeInterval(values[r] as string, span);
    const add = live[r] === 1 ? [span.months, span.days, span.micros] : [0, 0, 0];
    for (let f = 0; f < 3; f++) {
      const field = fields[f] as Float64Array;
      field[r + 1] = (field[r] as number) + (add[f] as number);
    }
  }
  const counts = liveCounts(live);
  const segments = new Int32Array(6);
  const out: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const count = overSegments(frames, i, segments, counts);
    if (count === 0) {
      out[i] = null;
      continue;
    }
    const sum = { months: overSegments(frames, i, segments, fields[0]), days: overSegments(frames, i, segments, fields[1]), micros: overSegments(frames, i, segments, fields[2]) };
    out[i] = average ? divideInterval(sum, count) : encodeInterval(sum.months, sum.days, sum.micros);
  }
  return fromValues(type, out);
}

/** Float sums in row order, restarting when the frame head moves (PostgreSQL has no inverse for them). */
async function floatSumOver(type: DataType, frames: Frames, arg: Vector, live: Uint8Array, average: boolean, float4: boolean, pace: Pace): Promise<Vector> {
  const n = live.length;
  const values = arg.values as ArrayLike<number>;
  const out = new Float64Array(n);
  const validity = new Uint8Array(n);
  const segments = new Int32Array(6);
  let headAt = -1;
  let tailAt = -1;
  let sum = 0;
  let count = 0;
  let visited = 0;
  const add = (from: number, to: number) => {
    visited += to - from;
    for (let r = from; r < to; r++) {
      if (live[r] === 0) continue;
      sum = float4 ? Math.fround(sum + (values[r] as number)) : sum + (values[r] as number);
      count++;
    }
  };
  for (let i = 0; i < n; i++) {
    const s = frames.start[i] as number;
    const e = frames.end[i] as number;
    if (frames.exclude !== 'no_others') {
      sum = 0;
      count = 0;
      const ranges = frameSegments(frames, i, segments);
      for (let k = 0; k < ranges; k++) add(segments[k * 2] as number, segments[k * 2 + 1] as number);
    } else {
      if (s !== headAt || e < tailAt) {
        sum = 0;
        count = 0;
        headAt = tailAt = s;
      }
      add(tailAt, e);
      tailAt = e;
    }
    validity[i] = count > 0 ? 1 : 0;
    out[i] = count === 0 ? 0 : average ? sum / count : sum;
    if (visited >= rowsPerPace) {
      visited = 0;
      await pace();
    }
  }
  const values32 = type.id === 'float4' ? Float32Array.from(out) : out;
  return { kind: 'fixed', type, length: n, values: values32, validity: validity.includes(0) ? validity : null };
}

/**
 * The best live row of every frame by `better` (-2 when the frame has none): a monotonic queue
 * while frames only move forward, else a scan of each frame's ranges.
 */
async function bestOver(frames: Frames, live: Uint8Array, better: (a: number, b: number) => boolean, pace: Pace): Promise<Int32Array> {
  const n = live.length;
  const pick = new Int32Array(n).fill(-2);
  if (frames.exclude !== 'no_others') {
    const segments = new Int32Array(6);
    let visited = 0;
    for (let i = 0; i < n; i++) {
      const ranges = frameSegments(frames, i, segments);
      let best = -2;
      for (let k = 0; k < ranges; k++) {
        // Among equal values the last wins, as in PostgreSQL's float8_larger/numeric_larger.
        for (let r = segments[k * 2] as number; r < (segments[k * 2 + 1] as number); r++) if (live[r] === 1 && (best < 0 || !better(best, r))) best = r;
        visited += (segments[k * 2 + 1] as number) - (segments[k * 2] as number);
      }
      pick[i] = best;
      if (visited >= rowsPerPace) {
        visited = 0;
        await pace();
      }
    }
    return pick;
  }
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  let partitionEnd = -1;
  for (let i = 0; i < n; i++) {
    if (i >= partitionEnd) {
      partitionEnd = frames.layout.partitionEnd[i] as number;
      head = tail = 0;
      next = i;
    }
    const s = frames.start[i] as number;
    const e = frames.end[i] as number;
    for (; next < e; next++) {
      if (live[next] === 0) continue;
      while (tail > head && !better(queue[tail - 1] as number, next)) tail--;
      queue[tail++] = next;
    }
    while (tail > head && (queue[head] as number) < s) head++;
    if (tail > head) pick[i] = queue[head] as number;
  }
  return pick;
}
