/** The per-group state of one aggregate call, and helpers its implementations share. */
import type { Vector } from '../../storage/vector.js';

export interface AggregateState {
  /**
   * Adds rows whose `mask` byte is 1 (null mask = every row); `arg` is null for count(*). `extra`
   * holds the call's extra arguments, then its ORDER BY keys, evaluated over the same batch.
   */
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void;
  finish(groupCount: number): Vector;
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

