/**
 * A growable column used where rows arrive one batch at a time: the tail, aggregation output,
 * sort buffers. Growth reallocates to a new array, so a vector handed out earlier by `view()`
 * keeps seeing exactly the rows it had (readers of the tail rely on this).
 */
import type { DataType, Value } from './types.js';
import { allocateFixed, type FixedArray, type Vector } from './vector.js';

export class VectorBuilder {
  readonly type: DataType;
  private fixed: FixedArray | null;
  private strings: string[] | null;
  private validity: Uint8Array | null = null;
  private capacity: number;
  length = 0;

  constructor(type: DataType, initialCapacity = 1024) {
    this.type = type;
    this.capacity = Math.max(16, initialCapacity);
    if (type.layout === 'string') {
      this.fixed = null;
      this.strings = [];
    } else {
      this.fixed = allocateFixed(type.layout, this.capacity);
      this.strings = null;
    }
  }

  private grow(needed: number): void {
    if (needed <= this.capacity) return;
    let capacity = this.capacity;
    while (capacity < needed) capacity *= 2;
    if (this.fixed !== null) {
      const next = allocateFixed(this.type.layout, capacity);
      (next as Float64Array).set(this.fixed as Float64Array);
      this.fixed = next;
    }
    if (this.validity !== null) {
      const next = new Uint8Array(capacity);
      next.set(this.validity);
      this.validity = next;
    }
    this.capacity = capacity;
  }

  private markNull(row: number): void {
    if (this.validity === null) {
      this.validity = new Uint8Array(this.capacity);
      this.validity.fill(1, 0, row);
    }
    this.validity[row] = 0;
  }

  /** Appends rows [start, end) of `vector` (or the rows listed in `rows`). */
  appendVector(vector: Vector, rows: Int32Array | null = null, start = 0, end = rows ? rows.length : vector.length): void {
    const n = end - start;
    const base = this.length;
    this.grow(base + n);
    const srcValidity = vector.validity;
    if (srcValidity !== null || this.validity !== null) {
      if (this.validity === null) {
        this.validity = new Uint8Array(this.capacity);
        this.validity.fill(1, 0, base);
      }
      const dst = this.validity;
      for (let i = 0; i < n; i++) {
        const r = rows ? (rows[start + i] as number) : start + i;
        dst[base + i] = srcValidity === null ? 1 : (srcValidity[r] as number);
      }
    }
    if (vector.kind === 'string' && vector.dictionary !== undefined) {
      // Read through the codes: the vector's strings need not be materialized for a few rows.
      const dst = this.strings as string[];
      const { entries, codes } = vector.dictionary;
      for (let i = 0; i < n; i++) dst[base + i] = entries[codes[rows ? (rows[start + i] as number) : start + i] as number] as string;
    } else if (vector.kind === 'string') {
      const dst = this.strings as string[];
      const src = vector.values;
      for (let i = 0; i < n; i++) dst[base + i] = src[rows ? (rows[start + i] as number) : start + i] as string;
    } else if (rows === null) {
      (this.fixed as Float64Array).set((vector.values as Float64Array).subarray(start, end), base);
    } else {
      const dst = this.fixed as Float64Array;
      const src = vector.values as Float64Array;
      for (let i = 0; i < n; i++) dst[base + i] = src[rows[start + i] as number] as number;
    }
    this.length = base + n;
  }

  appendValue(value: Value): void {
    const row = this.length;
    this.grow(row + 1);
    if (value === null) {
      this.markNull(row);
      if (this.strings !== null) this.strings[row] = '';
    } else if (this.strings !== null) {
      this.strings[row] = String(value);
      if (this.validity !== null) this.validity[row] = 1;
    } else {
      const fixed = this.fixed as FixedArray;
      if (fixed instanceof BigInt64Array) fixed[row] = typeof value === 'bigint' ? value : BigInt(value as number);
      else fixed[row] = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
      if (this.validity !== null) this.validity[row] = 1;
    }
    this.length = row + 1;
  }

  /** A vector over rows [0, length) that stays valid while the builder keeps growing. */
  view(length = this.length): Vector {
    const validity = this.validity === null ? null : this.validity.subarray(0, length);
    if (this.strings !== null) {
      // Strings are pushed in place; a slice pins the prefix for the reader.
      return { kind: 'string', type: this.type, length, values: this.strings.slice(0, length), validity };
    }
    return { kind: 'fixed', type: this.type, length, values: (this.fixed as FixedArray).subarray(0, length), validity };
  }
}
