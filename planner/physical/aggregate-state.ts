/** The per-group state of one aggregate call, and helpers its implementations share. */
import type { Vector } from '../../storage/vector.js';

export interface AggregateState {
  /**
   * Adds rows whose `mask` byte is 1 (null mask = every row); `arg` is null for count(*). `extra`
   * holds the call's extra arguments, then its ORDER BY keys, evaluated over the same batch.
   */
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void;
  /** The same as `update` with every row in group 0 (no GROUP BY), where a state has a faster loop for it. */
  updateSingle?(length: number, arg: Vector | null, mask: Uint8Array | null): void;
  finish(groupCount: number): Vector;
  /**
   * Parallel aggregation: the state of groups [0, groupCount) as plain data a worker thread sends
   * back (typed arrays are fresh, so their buffers can be transferred). Absent on states that
   * cannot be split across threads (ordered-set, string_agg, array_agg, the variance family).
   */
  partial?(groupCount: number): PartialState;
  /** Adds a partial state of another thread: its group g goes into this state's group `groups[g]`. */
  merge?(partial: PartialState, groups: Int32Array): void;
}

/** An aggregate's per-group state as plain, structured-cloneable data. */
export interface PartialState {
  /** Per-group numbers (counts, sums, bool results), each of the partial's group count. */
  readonly arrays: readonly (Float64Array | Uint8Array)[];
  /** Per-group values that are not numbers (min/max values, exact sums); null = none yet. */
  readonly values: readonly unknown[];
}

/** Largest group id in `groups` plus one (0 when empty): how far a state must grow. */
export function groupsNeeded(groups: Int32Array, length: number): number {
  let max = -1;
  for (let i = 0; i < length; i++) if ((groups[i] as number) > max) max = groups[i] as number;
  return max + 1;
}

export function grow<T extends Float64Array | Uint8Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

export function live(arg: Vector | null, mask: Uint8Array | null, i: number): boolean {
  return (mask === null || mask[i] === 1) && (arg === null || arg.validity === null || arg.validity[i] === 1);
}


/**
 * The rows an update adds, as one byte per row (1 = add), or null when every row counts: the
 * mask and the argument's validity folded once per batch so the update loops test one byte.
 */
export function liveRows(arg: Vector | null, mask: Uint8Array | null, length: number): Uint8Array | null {
  const validity = arg === null ? null : arg.validity;
  if (validity === null) return mask;
  if (mask === null) return validity;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (mask[i] as number) & (validity[i] as number);
  return out;
}

/** The largest group id of a batch, to size the state arrays once. */
export function maxGroup(groups: Int32Array, length: number): number {
  let max = 0;
  for (let i = 0; i < length; i++) {
    const g = groups[i] as number;
    max = g > max ? g : max;
  }
  return max;
}
