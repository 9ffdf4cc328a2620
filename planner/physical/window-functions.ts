/**
 * Ranking (row_number, rank, dense_rank, percent_rank, cume_dist, ntile) and value (lag, lead,
 * first_value, last_value, nth_value) window functions: one loop over the sorted rows each, using
 * the partition and peer boundaries; value functions pick a row index per row and gather once.
 */
import { DbError } from '../../storage/errors.js';
import type { DataType } from '../../storage/types.js';
import { allocateFixed, type FixedArray, type Vector } from '../../storage/vector.js';
import type { RankingFunction, ValueFunction } from '../window-call.js';
import { frameSegments, type Frames, type WindowLayout } from './window-frames.js';

export function rankingFunction(fn: RankingFunction, type: DataType, layout: WindowLayout, args: readonly Vector[]): Vector {
  const n = layout.rows;
  const { partitionStart, partitionEnd, peerStart, peerEnd, group } = layout;
  if (fn === 'percent_rank' || fn === 'cume_dist') {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = partitionStart[i] as number;
      const size = (partitionEnd[i] as number) - p;
      out[i] = fn === 'cume_dist' ? ((peerEnd[i] as number) - p) / size : size === 1 ? 0 : ((peerStart[i] as number) - p) / (size - 1);
    }
    return { kind: 'fixed', type, length: n, values: out, validity: null };
  }
  if (fn === 'ntile') return ntile(type, layout, args[0] as Vector);
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const p = partitionStart[i] as number;
    if (fn === 'row_number') out[i] = BigInt(i - p + 1);
    else if (fn === 'rank') out[i] = BigInt((peerStart[i] as number) - p + 1);
    else out[i] = BigInt((group[i] as number) - (group[p] as number) + 1);
  }
  return { kind: 'fixed', type, length: n, values: out, validity: null };
}

/** ntile(k): k is read at the partition's first row; the first n % k buckets get one row more. */
function ntile(type: DataType, layout: WindowLayout, buckets: Vector): Vector {
  const n = layout.rows;
  const out = new Int32Array(n);
  let validity: Uint8Array | null = null;
  const values = buckets.values as ArrayLike<number>;
  for (let p = 0; p < n; p = layout.partitionEnd[p] as number) {
    const end = layout.partitionEnd[p] as number;
    if (buckets.validity !== null && buckets.validity[p] === 0) {
      validity ??= new Uint8Array(n).fill(1);
      validity.fill(0, p, end);
      continue;
    }
    const k = Number(values[p]);
    if (k <= 0) throw new DbError('22014', 'argument of ntile must be greater than zero');
    const size = end - p;
    const small = Math.floor(size / k);
    const large = size % k;
    for (let r = 0; r < size; r++) {
      const bucket = r < large * (small + 1) ? Math.floor(r / (small + 1)) : large + Math.floor((r - large * (small + 1)) / Math.max(small, 1));
      out[p + r] = bucket + 1;
    }
  }
  return { kind: 'fixed', type, length: n, values: out, validity };
}

/** The value functions; `frames` is null for lag/lead, which ignore the frame. */
export function valueFunction(fn: ValueFunction, layout: WindowLayout, frames: Frames | null, args: readonly Vector[]): Vector {
  const n = layout.rows;
  const value = args[0] as Vector;
  const pick = new Int32Array(n).fill(-1);
  let fallback: Vector | null = null;
  if (fn === 'lag' || fn === 'lead') {
    const offsets = args[1] ?? null;
    fallback = args[2] ?? null;
    const sign = fn === 'lag' ? -1 : 1;
    for (let i = 0; i < n; i++) {
      if (offsets !== null && offsets.validity !== null && offsets.validity[i] === 0) {
        pick[i] = -2;
        continue;
      }
      const target = i + sign * (offsets === null ? 1 : Number(offsets.values[i]));
      if (target >= (layout.partitionStart[i] as number) && target < (layout.partitionEnd[i] as number)) pick[i] = target;
    }
    return gather(value, pick, fallback);
  }
  const f = frames as Frames;
  const segments = new Int32Array(6);
  const nth = args[1] ?? null;
  for (let i = 0; i < n; i++) {
    let k: number;
    if (fn === 'nth_value') {
      const v = nth as Vector;
      if (v.validity !== null && v.validity[i] === 0) continue;
      k = Number(v.values[i]);
      if (k <= 0) throw new DbError('22016', 'argument of nth_value must be greater than zero');
    } else k = 1;
    const count = frameSegments(f, i, segments);
    if (fn === 'last_value') {
      if (count > 0) pick[i] = (segments[count * 2 - 1] as number) - 1;
      continue;
    }
    for (let s = 0; s < count; s++) {
      const size = (segments[s * 2 + 1] as number) - (segments[s * 2] as number);
      if (k <= size) {
        pick[i] = (segments[s * 2] as number) + k - 1;
        break;
      }
      k -= size;
    }
  }
  return gather(value, pick, null);
}

/** Row `pick[i]` of `vector`; -1 takes `fallback`'s row i (or NULL), -2 is NULL. */
export function gather(vector: Vector, pick: Int32Array, fallback: Vector | null): Vector {
  const n = pick.length;
  const validity = new Uint8Array(n);
  const src = vector.validity;
  const alt = fallback?.validity ?? null;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const r = pick[i] as number;
    const valid = r >= 0 ? (src === null ? 1 : (src[r] as number)) : r === -1 && fallback !== null ? (alt === null ? 1 : (alt[i] as number)) : 0;
    validity[i] = valid;
    nulls += valid ^ 1;
  }
  if (vector.kind === 'string') {
    const values = new Array<string>(n);
    const from = vector.values;
    const other = fallback?.values as readonly string[] | undefined;
    for (let i = 0; i < n; i++) {
      const r = pick[i] as number;
      values[i] = r >= 0 ? (from[r] as string) : r === -1 && other !== undefined ? (other[i] as string) : '';
    }
    return { kind: 'string', type: vector.type, length: n, values, validity: nulls > 0 ? validity : null };
  }
  const values: FixedArray = allocateFixed(vector.type.layout, n);
  const from = vector.values as ArrayLike<number | bigint>;
  const other = fallback?.values as ArrayLike<number | bigint> | undefined;
  const target = values as unknown as (number | bigint)[];
  for (let i = 0; i < n; i++) {
    const r = pick[i] as number;
    if (r >= 0) target[i] = from[r] as number | bigint;
    else if (r === -1 && other !== undefined && validity[i] === 1) target[i] = other[i] as number | bigint;
  }
  return { kind: 'fixed', type: vector.type, length: n, values, validity: nulls > 0 ? validity : null };
}
