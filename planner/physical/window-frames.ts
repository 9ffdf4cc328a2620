/**
 * Partition and peer boundaries of sorted window input, found once per Window execution, and the
 * frame [start, end) of every row for one frame clause. All arrays are indexed by sorted position.
 * Frame starts and ends never decrease within a partition, which the aggregates rely on.
 */
import { DbError } from '../../storage/errors.js';
import { numericAdd, numericCompare, numericSub } from '../../storage/numeric.js';
import { resolveTimeZone } from '../../storage/datetime.js';
import { compareIntervals, decodeInterval, encodeInterval, USECS_PER_DAY } from '../../storage/interval.js';
import { addIntervalToTimestamp } from '../../storage/interval-timestamp.js';
import { isTimeType, type Value } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import type { SortKey } from '../logical-plan.js';
import type { FrameBound, WindowFrame } from '../window-call.js';
import { evaluateConstant } from '../kernels/eval.js';
import type { ExecContext } from './context.js';
import { keyComparator } from './sort.js';

const zeroInterval = encodeInterval(0, 0, 0);

export interface WindowLayout {
  readonly rows: number;
  readonly partitionStart: Int32Array;
  readonly partitionEnd: Int32Array;
  /** Peers share all ORDER BY values; without ORDER BY a whole partition is one peer group. */
  readonly peerStart: Int32Array;
  readonly peerEnd: Int32Array;
  /** Peer group number of each row, counted over all partitions. */
  readonly group: Int32Array;
  /** First and end row of each peer group number. */
  readonly groupStart: Int32Array;
  readonly groupEnd: Int32Array;
}

/** Boundaries from the sorted partition and order key vectors. */
export function windowLayout(rows: number, partitionKeys: readonly Vector[], orderKeys: readonly Vector[], orderBy: readonly SortKey[]): WindowLayout {
  const ascending = { descending: false, nullsFirst: false };
  // 2 where a partition starts, 1 where only a peer group does: one loop per key vector.
  const boundary = new Uint8Array(rows);
  if (rows > 0) boundary[0] = 2;
  partitionKeys.forEach((v) => markChanges(keyComparator(v, ascending), rows, boundary, 2));
  orderKeys.forEach((v, k) => markChanges(keyComparator(v, orderBy[k] as SortKey), rows, boundary, 1));
  const partitionStart = new Int32Array(rows);
  const partitionEnd = new Int32Array(rows);
  const peerStart = new Int32Array(rows);
  const peerEnd = new Int32Array(rows);
  const group = new Int32Array(rows);
  const groupStarts: number[] = [];
  let pStart = 0;
  let gStart = 0;
  let g = -1;
  for (let i = 0; i < rows; i++) {
    const newPartition = boundary[i] === 2;
    const newGroup = boundary[i] !== 0;
    if (newPartition) {
      for (let r = pStart; r < i; r++) partitionEnd[r] = i;
      pStart = i;
    }
    if (newGroup) {
      for (let r = gStart; r < i; r++) peerEnd[r] = i;
      gStart = i;
      g++;
      groupStarts.push(i);
    }
    partitionStart[i] = pStart;
    peerStart[i] = gStart;
    group[i] = g;
  }
  for (let r = pStart; r < rows; r++) partitionEnd[r] = rows;
  for (let r = gStart; r < rows; r++) peerEnd[r] = rows;
  const groupStart = Int32Array.from(groupStarts);
  const groupEnd = new Int32Array(groupStart.length);
  for (let k = 0; k < groupStart.length; k++) groupEnd[k] = k + 1 < groupStart.length ? (groupStart[k + 1] as number) : rows;
  return { rows, partitionStart, partitionEnd, peerStart, peerEnd, group, groupStart, groupEnd };
}

function markChanges(compare: (a: number, b: number) => number, rows: number, boundary: Uint8Array, mark: number): void {
  for (let i = 1; i < rows; i++) if ((boundary[i] as number) < mark && compare(i - 1, i) !== 0) boundary[i] = mark;
}

/** Frame of every row; `exclude` rows are left out by `frameSegments`. */
export interface Frames {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly exclude: WindowFrame['exclude'];
  readonly layout: WindowLayout;
  /** Whether every frame starts at its partition start (running aggregates need no restart). */
  readonly anchored: boolean;
}

export function computeFrames(frame: WindowFrame, layout: WindowLayout, orderKeys: readonly Vector[], orderBy: readonly SortKey[], context: ExecContext): Frames {
  const n = layout.rows;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const range = frame.mode === 'range' && (isOffset(frame.start) || isOffset(frame.end)) ? rangeSearch(orderKeys[0] as Vector, orderBy[0] as SortKey, layout, context) : null;
  const startOffset = offsetValue(frame.start, frame.mode, 'starting', context);
  const endOffset = offsetValue(frame.end, frame.mode, 'ending', context);
  for (let i = 0; i < n; i++) {
    const s = boundRow(frame.start, true, frame.mode, startOffset, i, layout, range);
    const e = boundRow(frame.end, false, frame.mode, endOffset, i, layout, range);
    start[i] = s;
    end[i] = e < s ? s : e;
  }
  return { start, end, exclude: frame.exclude, layout, anchored: frame.start.kind === 'unbounded_preceding' && frame.exclude === 'no_others' };
}

function isOffset(bound: FrameBound): bound is Extract<FrameBound, { offset: unknown }> {
  return bound.kind === 'preceding' || bound.kind === 'following';
}

/** ROWS/GROUPS offsets as numbers; RANGE offsets keep their value (number or numeric text). */
function offsetValue(bound: FrameBound, mode: WindowFrame['mode'], which: 'starting' | 'ending', context: ExecContext): Value {
  if (!isOffset(bound)) return null;
  const value = evaluateConstant(bound.offset, context);
  if (value === null) throw new DbError('22004', `frame ${which} offset must not be null`);
  if (mode === 'range') {
    const negative =
      bound.offset.type.id === 'interval'
        ? compareIntervals(value as string, zeroInterval) < 0
        : typeof value === 'string'
          ? value === 'NaN' || numericCompare(value, '0') < 0
          : value !== value || (value as number | bigint) < 0;
    if (negative) throw new DbError('22013', 'invalid preceding or following size in window function');
    return value;
  }
  const count = Number(value);
  if (count < 0) throw new DbError('22013', `frame ${which} offset must not be negative`);
  return count;
}

function boundRow(bound: FrameBound, isStart: boolean, mode: WindowFrame['mode'], offset: Value, i: number, layout: WindowLayout, range: RangeSearch | null): number {
  const pStart = layout.partitionStart[i] as number;
  const pEnd = layout.partitionEnd[i] as number;
  switch (bound.kind) {
    case 'unbounded_preceding':
      return pStart;
    case 'unbounded_following':
      return pEnd;
    case 'current_row':
      if (mode === 'rows') return isStart ? i : i + 1;
      return isStart ? (layout.peerStart[i] as number) : (layout.peerEnd[i] as number);
    case 'preceding':
    case 'following': {
      const sign = bound.kind === 'preceding' ? -1 : 1;
      if (mode === 'rows') {
        const row = i + sign * (offset as number) + (isStart ? 0 : 1);
        return Math.min(pEnd, Math.max(pStart, row));
      }
      if (mode === 'groups') {
        const firstGroup = layout.group[pStart] as number;
        const lastGroup = layout.group[pEnd - 1] as number;
        const target = (layout.group[i] as number) + sign * (offset as number);
        if (target < firstGroup) return pStart;
        if (target > lastGroup) return pEnd;
        return isStart ? (layout.groupStart[target] as number) : (layout.groupEnd[target] as number);
      }
      return (range as RangeSearch)(i, sign, offset, isStart);
    }
  }
}

/** Frame edge for RANGE offsets: the first row at or past (start) / beyond (end) key ± offset. */
type RangeSearch = (i: number, sign: number, offset: Value, isStart: boolean) => number;

function rangeSearch(vector: Vector, key: SortKey, layout: WindowLayout, context: ExecContext): RangeSearch {
  const validity = vector.validity;
  const isNull = (r: number) => validity !== null && validity[r] === 0;
  const numericText = vector.type.id === 'numeric';
  const values = vector.values as ArrayLike<number | bigint | string>;
  // Dates and timestamps move by an interval on the calendar (timestamptz in the session's zone).
  const calendar = isTimeType(vector.type);
  const zone = vector.type.id === 'timestamptz' ? resolveTimeZone(context.settings.timeZone) : null;
  const scale = vector.type.id === 'date' ? USECS_PER_DAY : 1;
  const keyAt = (r: number) => Number(values[r]) * scale;
  // Descending keys are searched as ascending ones by flipping the sign of every comparison.
  const direction = key.descending ? -1 : 1;
  const compare = (r: number, bound: number | string) =>
    direction * (numericText ? numericCompare(values[r] as string, bound as string) : keyAt(r) < (bound as number) ? -1 : keyAt(r) > (bound as number) ? 1 : 0);
  const span = { months: 0, days: 0, micros: 0 };
  const boundOf = (i: number, step: number, offset: Value): number | string => {
    if (numericText) return step > 0 ? numericAdd(values[i] as string, String(offset)) : numericSub(values[i] as string, String(offset));
    if (!calendar) return Number(values[i]) + step * Number(offset);
    decodeInterval(offset as string, span);
    const signed = step > 0 ? span : { months: -span.months, days: -span.days, micros: -span.micros };
    return addIntervalToTimestamp(keyAt(i), signed, zone);
  };
  return (i, sign, offset, isStart) => {
    const pStart = layout.partitionStart[i] as number;
    const pEnd = layout.partitionEnd[i] as number;
    if (isNull(i)) return isStart ? (layout.peerStart[i] as number) : (layout.peerEnd[i] as number);
    // Non-null rows of the partition are one sorted run; nulls sit before or after it.
    let lo = pStart;
    let hi = pEnd;
    if (key.nullsFirst) while (lo < hi && isNull(lo)) lo = layout.peerEnd[lo] as number;
    else while (hi > lo && isNull(hi - 1)) hi = layout.peerStart[hi - 1] as number;
    const bound = boundOf(i, sign * direction, offset);
    // Start: first row not below the bound; end: first row above it.
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const c = compare(mid, bound);
      if (c < 0 || (!isStart && c === 0)) a = mid + 1;
      else b = mid;
    }
    return a;
  };
}

/**
 * Row ranges of row `i`'s frame after EXCLUDE, in order: writes up to three [from, to) pairs into
 * `out` and returns how many.
 */
export function frameSegments(frames: Frames, i: number, out: Int32Array): number {
  const s = frames.start[i] as number;
  const e = frames.end[i] as number;
  if (frames.exclude === 'no_others') {
    out[0] = s;
    out[1] = e;
    return s < e ? 1 : 0;
  }
  const layout = frames.layout;
  const exStart = frames.exclude === 'current_row' ? i : (layout.peerStart[i] as number);
  const exEnd = frames.exclude === 'current_row' ? i + 1 : (layout.peerEnd[i] as number);
  let count = 0;
  const push = (from: number, to: number) => {
    if (from < to) {
      out[count * 2] = from;
      out[count * 2 + 1] = to;
      count++;
    }
  };
  push(s, Math.min(e, exStart));
  if (frames.exclude === 'ties') push(Math.max(s, i), Math.min(e, i + 1));
  push(Math.max(s, exEnd), e);
  return count;
}
