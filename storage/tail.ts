/**
 * The tail: per partition, in-memory columns of rows that are committed but not yet in a segment.
 *
 * Rows are only ever appended, and growth copies into a new array, so the prefix [0, n) of a
 * column never changes once written: a snapshot keeps the tail object and a row count, and reads
 * that prefix later without locks. A flush never edits a tail either; it replaces it with a new
 * one holding the rows that arrived after the flush froze its count.
 */
import type { DataType } from './types.js';
import { type FixedArray, type Vector, allocateFixed } from './vector.js';

export class TailColumn {
  private fixed: FixedArray | null;
  private readonly strings: string[] | null;
  private validity: Uint8Array | null = null;
  private capacity: number;
  length = 0;

  constructor(
    readonly type: DataType,
    initialCapacity = 256,
  ) {
    this.capacity = initialCapacity;
    this.fixed = type.layout === 'string' ? null : allocateFixed(type.layout, initialCapacity);
    this.strings = type.layout === 'string' ? [] : null;
  }

  private grow(needed: number): void {
    if (needed <= this.capacity) return;
    let capacity = Math.max(16, this.capacity * 2);
    while (capacity < needed) capacity *= 2;
    if (this.fixed !== null) {
      const next = allocateFixed(this.type.layout, capacity);
      (next as Float64Array).set(this.fixed.subarray(0, this.length) as Float64Array);
      this.fixed = next;
    }
    if (this.validity !== null) {
      const next = new Uint8Array(capacity);
      next.set(this.validity.subarray(0, this.length));
      this.validity = next;
    }
    this.capacity = capacity;
  }

  /** Appends the rows listed in `rows` (or rows [start, end) when `rows` is null) of `vector`. */
  append(vector: Vector, rows: Int32Array | null, start: number, end: number): void {
    const n = end - start;
    const base = this.length;
    this.grow(base + n);
    const source = vector.validity;
    if (source !== null && this.validity === null) {
      this.validity = new Uint8Array(this.capacity);
      this.validity.fill(1, 0, base);
    }
    if (this.validity !== null) {
      const dst = this.validity;
      if (source === null) dst.fill(1, base, base + n);
      else if (rows === null) dst.set(source.subarray(start, end), base);
      else for (let i = 0; i < n; i++) dst[base + i] = source[rows[start + i] as number] as number;
    }
    if (vector.kind === 'string') {
      const dst = this.strings as string[];
      const src = vector.values;
      if (rows === null) for (let i = 0; i < n; i++) dst.push(src[start + i] as string);
      else for (let i = 0; i < n; i++) dst.push(src[rows[start + i] as number] as string);
    } else if (rows === null) {
      (this.fixed as Float64Array).set((vector.values as Float64Array).subarray(start, end), base);
    } else if (this.fixed instanceof BigInt64Array) {
      // Copy int8 as word pairs: no BigInt per row.
      const dst = new Int32Array(this.fixed.buffer, this.fixed.byteOffset, this.capacity * 2);
      const values = vector.values as BigInt64Array;
      const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let i = 0; i < n; i++) {
        const r = rows[start + i] as number;
        dst[2 * (base + i)] = src[2 * r] as number;
        dst[2 * (base + i) + 1] = src[2 * r + 1] as number;
      }
    } else {
      const dst = this.fixed as Float64Array;
      const src = vector.values as Float64Array;
      for (let i = 0; i < n; i++) dst[base + i] = src[rows[start + i] as number] as number;
    }
    this.length = base + n;
  }

  /** Rows [start, end) as a vector; shares memory for fixed layouts. end <= length. */
  view(start: number, end: number): Vector {
    const length = end - start;
    let validity: Uint8Array | null = null;
    if (this.validity !== null) {
      const v = this.validity.subarray(start, end);
      // Report no validity when this range has no NULLs, as vectors elsewhere do.
      if (v.indexOf(0) >= 0) validity = v;
    }
    if (this.strings !== null) {
      return { kind: 'string', type: this.type, length, values: this.strings.slice(start, end), validity };
    }
    return { kind: 'fixed', type: this.type, length, values: (this.fixed as FixedArray).subarray(start, end), validity };
  }
}

export class PartitionTail {
  readonly columns: TailColumn[];
  /** Rows visible to readers; columns may briefly hold more while a record is being applied. */
  committedRows = 0;

  constructor(readonly types: readonly DataType[]) {
    this.columns = types.map((t) => new TailColumn(t));
  }

  /** Appends rows of a batch's columns and publishes them at once. */
  append(vectors: readonly Vector[], rows: Int32Array | null, start: number, end: number): void {
    for (let c = 0; c < this.columns.length; c++) this.columns[c]!.append(vectors[c]!, rows, start, end);
    this.committedRows += end - start;
  }

  /** A new tail holding rows [from, committedRows) of this one: what is left after a flush. */
  remainderAfter(from: number): PartitionTail {
    const next = new PartitionTail(this.types);
    const to = this.committedRows;
    if (to > from) next.append(this.columns.map((c) => c.view(from, to)), null, 0, to - from);
    return next;
  }
}
